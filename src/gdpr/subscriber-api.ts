/**
 * The subscriber list for integrations (a CRM, a member administration): what `GET /api/subscribers`
 * answers to an API token that was given the subscribers scope. A page of readers at a time, by
 * state, language and theme, with only what an integration needs to keep its own list in step
 * (never the consent record's IP hash or the link key). Sign-up and unsubscribe go through the
 * reader's own paths (src/site/subscription/), so an integration cannot skip the double opt-in.
 */
import type { Knex } from 'knex';
import type { Locale } from '../core/domain/locale';
import type { SubscriberState } from '../core/domain/subscriber-state';
import { storedThemes } from '../core/domain/subscriber-themes';
import { SUBSCRIBERS_TABLE } from './bulk-subscribers';
import { toIso } from './export';
import { checkSubscriberFilter } from './subscriber-filter';

export const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 100;

export interface SubscriberListQuery {
  page: number;
  pageSize: number;
  state?: SubscriberState;
  locale?: Locale;
  /** Readers of this theme, and those who chose none (they follow every theme, as in a campaign's audience). */
  theme?: string;
}

export interface SubscriberSummary {
  documentId: string;
  email: string;
  name: string | null;
  locale: Locale;
  themes: string[];
  state: SubscriberState;
  confirmedAt: string | null;
  unsubscribedAt: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export type QueryCheck = { ok: true; value: SubscriberListQuery } | { ok: false; message: string };

function positiveInteger(raw: unknown): number | null {
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw)) return null;
  const value = Number(raw);
  return value >= 1 ? value : null;
}

/** `?page=&pageSize=&state=&locale=&theme=` (Strapi's own `pagination[page]` spelling too), each checked. */
export function checkListQuery(query: Record<string, unknown>): QueryCheck {
  const pagination = (typeof query.pagination === 'object' && query.pagination !== null ? query.pagination : {}) as Record<string, unknown>;
  const rawPage = query.page ?? pagination.page;
  const rawSize = query.pageSize ?? pagination.pageSize;
  const page = rawPage === undefined ? 1 : positiveInteger(rawPage);
  if (page === null) return { ok: false, message: 'page must be a whole number from 1' };
  const pageSize = rawSize === undefined ? DEFAULT_PAGE_SIZE : positiveInteger(rawSize);
  if (pageSize === null || pageSize > MAX_PAGE_SIZE) return { ok: false, message: `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}` };
  const value: SubscriberListQuery = { page, pageSize };
  const filter = checkSubscriberFilter(query);
  if (!filter.ok) return { ok: false, message: filter.message.en };
  Object.assign(value, filter.value);
  return { ok: true, value };
}

interface Row {
  document_id: string;
  email: string;
  name: string | null;
  preferred_locale: string | null;
  themes: unknown;
  state: SubscriberState;
  confirmed_at: unknown;
  unsubscribed_at: unknown;
  created_at: unknown;
  updated_at: unknown;
}

/** One page of readers, oldest first (a stable order to page through), and how many match in all. */
export async function listSubscribers(
  db: Knex,
  query: SubscriberListQuery,
): Promise<{ data: SubscriberSummary[]; meta: { pagination: { page: number; pageSize: number; pageCount: number; total: number } } }> {
  const filtered = () => {
    const builder = db(SUBSCRIBERS_TABLE);
    if (query.state) builder.where('state', query.state);
    // A reader without a stored locale reads Dutch, the default.
    if (query.locale === 'nl') builder.where((where) => where.where('preferred_locale', 'nl').orWhereNull('preferred_locale'));
    else if (query.locale) builder.where('preferred_locale', query.locale);
    if (query.theme) {
      // Themes are a JSON list of slugs (text in SQLite, jsonb in PostgreSQL): a slug is matched with its quotes.
      const quoted = `%"${query.theme}"%`;
      builder.where((where) =>
        where.whereNull('themes').orWhereRaw('CAST(themes AS TEXT) IN (?, ?)', ['[]', 'null']).orWhereRaw('CAST(themes AS TEXT) LIKE ?', [quoted]),
      );
    }
    return builder;
  };
  const [{ total }] = (await filtered().count({ total: '*' })) as Array<{ total: number | string }>;
  const rows = (await filtered()
    .orderBy('id')
    .offset((query.page - 1) * query.pageSize)
    .limit(query.pageSize)
    .select('document_id', 'email', 'name', 'preferred_locale', 'themes', 'state', 'confirmed_at', 'unsubscribed_at', 'created_at', 'updated_at')) as Row[];
  const count = Number(total);
  return {
    data: rows.map((row) => ({
      documentId: row.document_id,
      email: row.email,
      name: row.name,
      locale: row.preferred_locale === 'en' ? 'en' : 'nl',
      themes: storedThemes(row.themes),
      state: row.state,
      confirmedAt: toIso(row.confirmed_at),
      unsubscribedAt: toIso(row.unsubscribed_at),
      createdAt: toIso(row.created_at),
      updatedAt: toIso(row.updated_at),
    })),
    meta: { pagination: { page: query.page, pageSize: query.pageSize, pageCount: Math.ceil(count / query.pageSize), total: count } },
  };
}
