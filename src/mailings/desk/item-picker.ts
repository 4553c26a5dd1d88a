import type { Core } from '@strapi/strapi';
import { CONTENT_TYPES, MAILING_ITEM_LISTS } from '../../core/content-types';
import type { Locale } from '../../core/domain/locale';
import type { MailingKind } from '../engine/mailing';

/**
 * What the desk's item picker shows (src/admin/edit/ItemPicker.tsx): the published articles and
 * resources (bundles are resources) an editor can add to an edition or a campaign, found by title in
 * one language, and the items a mailing already holds, by the entries' ids. Drafts are never offered;
 * an entry that points at one (picked before, or unpublished since) comes back marked, and the send
 * refuses it (mailing rules).
 */
export type PickedType = 'article' | 'resource';

export interface PickableItem {
  type: PickedType;
  /** A resource's kind (bundle, book, tool, video, report); null for an article. */
  kind: string | null;
  /** The row of the published version in `locale`: what the content manager connects. */
  id: number;
  documentId: string;
  locale: string;
  title: string;
  /** The date readers see (its publication date, else when it was published), ISO. */
  date: string | null;
}

export interface PickedEntry {
  /** The component entry's id in the mailing's list. */
  entryId: number;
  type: PickedType;
  kind: string | null;
  documentId: string;
  title: string;
  date: string | null;
  /** Whether a published version exists: a send only takes published items. */
  published: boolean;
}

/** At most this many hits per search: the picker lists them under the box. */
export const MAX_HITS = 20;

interface Row {
  id: number;
  documentId: string;
  locale: string;
  title: string;
  kind?: string | null;
  publicationDate?: string | null;
  publishedAt?: string | Date | null;
}

const UIDS: Record<PickedType, string> = { article: CONTENT_TYPES.article, resource: CONTENT_TYPES.resource };
const FIELDS: Record<PickedType, string[]> = {
  article: ['id', 'documentId', 'locale', 'title', 'publicationDate', 'publishedAt'],
  resource: ['id', 'documentId', 'locale', 'title', 'kind', 'publicationDate', 'publishedAt'],
};

const dateOf = (row: Row): string | null =>
  row.publicationDate ? String(row.publicationDate) : row.publishedAt ? new Date(row.publishedAt).toISOString() : null;

function toItem(type: PickedType, row: Row): PickableItem {
  return {
    type,
    kind: type === 'resource' ? (row.kind ?? null) : null,
    id: row.id,
    documentId: row.documentId,
    locale: row.locale,
    title: row.title,
    date: dateOf(row),
  };
}

/** Published items in `locale` whose title contains `query` (any case), newest first; without a query the newest. */
export async function searchPublishedItems(strapi: Core.Strapi, query: string, locale: Locale): Promise<PickableItem[]> {
  const found = await Promise.all(
    (Object.keys(UIDS) as PickedType[]).map(async (type) => {
      const rows = (await strapi.db.query(UIDS[type] as never).findMany({
        where: { locale, publishedAt: { $notNull: true }, ...(query ? { title: { $containsi: query } } : {}) },
        select: FIELDS[type],
        orderBy: { publishedAt: 'desc' },
        limit: MAX_HITS,
      })) as Row[];
      return rows.map((row) => toItem(type, row));
    }),
  );
  return found
    .flat()
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))
    .slice(0, MAX_HITS);
}

interface Entry {
  id: number;
  article?: Row | null;
  resource?: Row | null;
}

/**
 * The entries of a mailing's list by their ids, as the picker shows them: the title in `locale` when
 * the item has one (else the version the entry points at), and whether it is published.
 */
export async function pickedEntries(strapi: Core.Strapi, kind: MailingKind, entryIds: number[], locale: Locale): Promise<PickedEntry[]> {
  if (entryIds.length === 0) return [];
  const entries = (await strapi.db.query(MAILING_ITEM_LISTS[kind].component as never).findMany({
    where: { id: { $in: entryIds } },
    select: ['id'],
    populate: { article: { select: FIELDS.article }, resource: { select: FIELDS.resource } },
  })) as Entry[];
  // The published versions of every picked item, one query per type (not one per entry).
  const published = new Map<string, Row[]>();
  for (const type of Object.keys(UIDS) as PickedType[]) {
    const documentIds = [...new Set(entries.map((entry) => entry[type]?.documentId).filter((id): id is string => Boolean(id)))];
    if (documentIds.length === 0) continue;
    const rows = (await strapi.db.query(UIDS[type] as never).findMany({
      where: { documentId: { $in: documentIds }, publishedAt: { $notNull: true } },
      select: FIELDS[type],
    })) as Row[];
    for (const row of rows) published.set(`${type}:${row.documentId}`, [...(published.get(`${type}:${row.documentId}`) ?? []), row]);
  }
  const out: PickedEntry[] = [];
  for (const entry of entries) {
    const type: PickedType | null = entry.article ? 'article' : entry.resource ? 'resource' : null;
    if (!type) continue;
    const linked = entry[type]!;
    const versions = published.get(`${type}:${linked.documentId}`) ?? [];
    const shown = versions.find((row) => row.locale === locale) ?? versions[0] ?? linked;
    out.push({
      entryId: entry.id,
      type,
      kind: type === 'resource' ? (shown.kind ?? linked.kind ?? null) : null,
      documentId: linked.documentId,
      title: shown.title,
      date: dateOf(shown),
      published: versions.length > 0,
    });
  }
  return out;
}
