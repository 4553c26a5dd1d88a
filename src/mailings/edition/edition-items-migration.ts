import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { EDITION_UID, entriesFor, readEditionItems } from './edition-items';
import { asInternalWrite } from '../engine/internal-write';
import { CONTENT_TYPES } from '../../core/content-types';

const KEPT = 'edition_items_json';
const TARGET = { article: CONTENT_TYPES.article, resource: CONTENT_TYPES.resource } as const;

interface KeptRef {
  type?: unknown;
  documentId?: unknown;
  locales?: unknown;
}

/**
 * Turns the item lists kept by database/migrations/2026.12.02T00.00.00.keep-edition-items-json.js
 * into component entries, in their order: once per edition (`converted_at`), also for editions sent
 * long ago (the assembly's window reads which items went out). The JSON stays in the table, so
 * nothing is lost: an entry that pointed at an item deleted since cannot be an entry any more and
 * is only there, named in the log.
 */
export async function convertKeptEditionItems(strapi: Core.Strapi): Promise<void> {
  const db = strapi.db.connection as unknown as Knex;
  if (!(await db.schema.hasTable(KEPT))) return;
  const pending = (await db(KEPT).whereNull('converted_at').orderBy('edition_id').select('edition_id', 'items')) as Array<{
    edition_id: number;
    items: string | null;
  }>;
  for (const row of pending) {
    const edition = (await strapi.db.query(EDITION_UID).findOne({ where: { id: row.edition_id }, select: ['documentId'] })) as { documentId: string } | null;
    if (edition && (await readEditionItems(strapi, row.edition_id)).length === 0) {
      const items: Array<{ type: 'article' | 'resource'; documentId: string; locales: string[] }> = [];
      for (const ref of parseKept(row.items)) {
        const type = ref.type === 'resource' ? 'resource' : ref.type === 'article' ? 'article' : null;
        if (!type || typeof ref.documentId !== 'string') continue;
        const locales = (await strapi.db.query(TARGET[type]).findMany({ where: { documentId: ref.documentId }, select: ['locale'] })) as Array<{
          locale: string;
        }>;
        if (locales.length === 0) {
          strapi.log.warn(`[editions] edition ${row.edition_id}: ${type} ${ref.documentId} no longer exists; kept only in ${KEPT}`);
          continue;
        }
        items.push({ type, documentId: ref.documentId, locales: [...new Set(locales.map((entry) => entry.locale))] });
      }
      await asInternalWrite(() => strapi.documents(EDITION_UID).update({ documentId: edition.documentId, data: { items: entriesFor(items) } } as never));
    }
    await db(KEPT).where({ edition_id: row.edition_id }).update({ converted_at: new Date() });
  }
}

function parseKept(value: string | null): KeptRef[] {
  try {
    const list = JSON.parse(value ?? '[]') as unknown;
    return Array.isArray(list) ? (list.filter((entry) => typeof entry === 'object' && entry !== null) as KeptRef[]) : [];
  } catch {
    return [];
  }
}
