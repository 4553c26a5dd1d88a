/**
 * An edition's items as stored: a repeatable component (`edition.item`), one entry per item, with
 * a relation to a news article or to a resource (bundles are resources). Editors pick, drop and drag
 * entries in the admin panel; the component keeps their order, and that order is the mail's order
 * (within each reader's theme sections, see variants.ts). The assembly writes the entries, the
 * renderer and the window (which items went out already) read them here, and only here.
 *
 * Before, the items were a JSON list of `{ type, documentId, ... }`; databases from then are
 * converted at start (src/mailings/edition/edition-items-migration.ts).
 */
import type { Core } from '@strapi/strapi';
import type { ItemType } from './assembly';
import { CONTENT_TYPES } from '../../core/content-types';

export const EDITION_UID = CONTENT_TYPES.edition;

/** One item of an edition, in order. */
export interface EditionItem {
  type: ItemType;
  documentId: string;
}

interface StoredEntry {
  article?: { documentId: string } | null;
  resource?: { documentId: string } | null;
}

/** Populate for the query layer: the entries in order, with the document ids they point at. */
export const ITEMS_POPULATE = {
  items: { populate: { article: { select: ['documentId'] }, resource: { select: ['documentId'] } } },
} as const;

/**
 * The items of stored entries, in order. An entry that names nothing (an editor added one and left
 * it empty) is skipped; one that names both an article and a resource gives both, the article first.
 */
export function itemsOfEntries(entries: StoredEntry[] | null | undefined): EditionItem[] {
  const items: EditionItem[] = [];
  for (const entry of entries ?? []) {
    if (entry.article?.documentId) items.push({ type: 'article', documentId: entry.article.documentId });
    if (entry.resource?.documentId) items.push({ type: 'resource', documentId: entry.resource.documentId });
  }
  return items;
}

export async function readEditionItems(strapi: Core.Strapi, editionId: number): Promise<EditionItem[]> {
  const edition = (await strapi.db.query(EDITION_UID).findOne({ where: { id: editionId }, select: ['id'], populate: ITEMS_POPULATE })) as {
    items?: StoredEntry[];
  } | null;
  return itemsOfEntries(edition?.items);
}

/** Several editions' items at once (the assembly's window), by edition id. */
export async function readItemsOfEditions(
  strapi: Core.Strapi,
  where: Record<string, unknown>,
): Promise<Array<{ id: number; cutoff: unknown; items: EditionItem[] }>> {
  const rows = (await strapi.db.query(EDITION_UID).findMany({ where, select: ['id', 'cutoff'], populate: ITEMS_POPULATE })) as Array<{
    id: number;
    cutoff: unknown;
    items?: StoredEntry[];
  }>;
  return rows.map((row) => ({ id: row.id, cutoff: row.cutoff, items: itemsOfEntries(row.items) }));
}

/**
 * What the document service takes to store items as entries. Articles and resources are localized:
 * the relation names one language version, here one the item is published in (Dutch when it is).
 */
export function entriesFor(items: Array<EditionItem & { locales: readonly string[] }>): Array<Record<string, unknown>> {
  return items.map((item) => {
    const locale = item.locales.includes('nl') ? 'nl' : item.locales[0];
    return { [item.type]: { documentId: item.documentId, ...(locale ? { locale } : {}) } };
  });
}
