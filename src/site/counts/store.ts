import type { Knex } from 'knex';
import { type CountedKind, type CountSource, type Opening } from '../../core/domain/item-counts';
import { mailingKey } from '../../mailings/engine/mailing';
import { itemPath } from '../../core/links';
import type { Locale } from '../../core/domain/locale';

/**
 * The item counts' table `item_counts` (made by database/migrations): one row per network day x
 * source (mail or page) x mailing (null for a page) x item, holding how often it was opened. Not a
 * column about a reader: tests/integration/item-counts.test.ts checks the table's columns.
 */
export const ITEM_COUNTS_TABLE = 'item_counts';

/**
 * Adds openings, atomically on both databases: per row one INSERT ... ON CONFLICT DO UPDATE that
 * adds to what is there, so two processes counting the same item on the same day never lose one of
 * the two. The conflict targets are the table's two partial unique indexes (a NULL mailing never
 * conflicts in a plain one). All rows in one transaction: one commit for a whole buffer.
 */
export async function countOpenings(db: Knex, openings: ReadonlyArray<Opening & { times?: number }>): Promise<void> {
  if (openings.length === 0) return;
  await db.transaction(async (trx) => {
    for (const opening of openings) {
      const target =
        opening.mailing === null
          ? '(day, source, item_kind, item_document_id) where mailing is null'
          : '(day, source, mailing, item_kind, item_document_id) where mailing is not null';
      await trx.raw(
        `insert into ${ITEM_COUNTS_TABLE} (day, source, mailing, item_kind, item_document_id, openings) values (?, ?, ?, ?, ?, ?)
         on conflict ${target} do update set openings = ${ITEM_COUNTS_TABLE}.openings + excluded.openings`,
        [opening.day, opening.source, opening.mailing, opening.item.kind, opening.item.documentId, opening.times ?? 1],
      );
    }
  });
}

export interface ItemRef {
  kind: CountedKind;
  documentId: string;
}

interface SumRow {
  item_kind: CountedKind;
  item_document_id: string;
  source: CountSource;
  n: number | string;
}

/** A mailing's items with their clicks, most opened first. */
export async function mailingItemCounts(db: Knex, mailing: string): Promise<Array<ItemRef & { clicks: number }>> {
  const rows = (await db(ITEM_COUNTS_TABLE)
    .where({ mailing, source: 'mail' })
    .groupBy('item_kind', 'item_document_id')
    .select('item_kind', 'item_document_id')
    .sum({ n: 'openings' })
    .orderBy([{ column: 'n', order: 'desc' }, { column: 'item_document_id' }])) as Array<Omit<SumRow, 'source'>>;
  return rows.map((row) => ({ kind: row.item_kind, documentId: row.item_document_id, clicks: Number(row.n) }));
}

/** Every item opened since a day (inclusive): clicks in mails and page views apart, most opened first. */
export async function mostRead(db: Knex, sinceDay: string, limit: number): Promise<Array<ItemRef & { clicks: number; views: number }>> {
  const rows = (await db(ITEM_COUNTS_TABLE)
    .where('day', '>=', sinceDay)
    .groupBy('item_kind', 'item_document_id', 'source')
    .select('item_kind', 'item_document_id', 'source')
    .sum({ n: 'openings' })) as SumRow[];
  const items = new Map<string, ItemRef & { clicks: number; views: number }>();
  for (const row of rows) {
    const key = `${row.item_kind}:${row.item_document_id}`;
    const item = items.get(key) ?? { kind: row.item_kind, documentId: row.item_document_id, clicks: 0, views: 0 };
    if (row.source === 'mail') item.clicks += Number(row.n);
    else item.views += Number(row.n);
    items.set(key, item);
  }
  return [...items.values()].sort((a, b) => b.clicks + b.views - (a.clicks + a.views) || a.documentId.localeCompare(b.documentId)).slice(0, limit);
}

export interface ItemPage {
  title: string;
  locale: Locale;
  slug: string;
}

const TABLES: Record<CountedKind, string> = { article: 'articles', resource: 'resources' };

/**
 * The current published version of items, per item the one in `preferred` when there is one, else
 * the other language's: their title and slug. An item no longer published is missing from the map.
 */
export async function publishedPages(db: Knex, items: readonly ItemRef[], preferred: Locale = 'nl'): Promise<Map<string, ItemPage>> {
  const found = new Map<string, ItemPage>();
  for (const kind of Object.keys(TABLES) as CountedKind[]) {
    const ids = [...new Set(items.filter((item) => item.kind === kind).map((item) => item.documentId))];
    for (let start = 0; start < ids.length; start += 500) {
      const rows = (await db(TABLES[kind])
        .whereIn('document_id', ids.slice(start, start + 500))
        .whereNotNull('published_at')
        .select('document_id', 'locale', 'title', 'slug')) as Array<{ document_id: string; locale: Locale; title: string; slug: string }>;
      for (const row of rows) {
        const key = `${kind}:${row.document_id}`;
        if (!found.has(key) || row.locale === preferred) found.set(key, { title: row.title, locale: row.locale, slug: row.slug });
      }
    }
  }
  return found;
}

/** The reading page of one item now, or null when it is published in no language. */
export async function currentPage(db: Knex, item: ItemRef, locale: Locale): Promise<ItemPage | null> {
  return (await publishedPages(db, [item], locale)).get(`${item.kind}:${item.documentId}`) ?? null;
}

/** Items with what editors and the CLI show of them: title and page address (an item gone keeps its id as title). */
export async function describeItems<T extends ItemRef>(
  db: Knex,
  items: readonly T[],
  siteUrl: string,
  locale: Locale = 'nl',
): Promise<Array<T & { title: string; url: string | null }>> {
  const pages = await publishedPages(db, items, locale);
  return items.map((item) => {
    const page = pages.get(`${item.kind}:${item.documentId}`);
    return { ...item, title: page?.title ?? item.documentId, url: page ? `${siteUrl}${itemPath(item.kind, page.locale, page.slug)}` : null };
  });
}

/** A mailing's items as the status command and the desk show them: title, page now, clicks; most opened first. */
export async function mailingItemClicks(
  db: Knex,
  mailing: { kind: 'edition' | 'campaign'; id: number },
  siteUrl: string,
): Promise<Array<{ kind: CountedKind; documentId: string; title: string; url: string | null; clicks: number }>> {
  return describeItems(db, await mailingItemCounts(db, mailingKey(mailing)), siteUrl);
}
