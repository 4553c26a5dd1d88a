import type { Knex } from 'knex';
import type { MailingCounts, MailingKind, MailingRef } from './mailing';
import { isPostgres } from './schema';

/**
 * What the Knex stores (sending: knex-store.ts and knex-plan-store.ts; feedback) share: where a
 * mailing kind's row lives, its counter columns, the engine tables' key, and ids as one parameter.
 * Mailings live in their content type's table (`editions`, `campaigns`: state, send time,
 * counters); deliveries, batches and variants in the engine's own tables (schema.ts).
 */
export const MAILING_TABLES: Record<MailingKind, { table: string; sendAt: string }> = {
  edition: { table: 'editions', sendAt: 'scheduled_at' },
  campaign: { table: 'campaigns', sendAt: 'send_at' },
};

export const COUNTERS = {
  recipients: 'recipients_count',
  queued: 'queued_count',
  submitted: 'submitted_count',
  failed: 'failed_count',
  suppressed: 'suppressed_count',
  unknown: 'unknown_count',
  cancelled: 'cancelled_count',
  variants: 'variants_count',
} as const satisfies Record<keyof MailingCounts, string>;

export type Counter = keyof typeof COUNTERS;

/** The update that moves a mailing's counters by these amounts (zeros left out): one place for `COALESCE(column, 0) + n`. */
export function counterMoves(db: Knex, moves: Partial<Record<Counter, number>>): Record<string, Knex.Raw> {
  const update: Record<string, Knex.Raw> = {};
  for (const [counter, n] of Object.entries(moves) as Array<[Counter, number]>)
    if (n) update[COUNTERS[counter]] = db.raw('COALESCE(??, 0) + ?', [COUNTERS[counter], n]);
  return update;
}

/** The engine tables' key of a mailing's rows. */
export const byMailing = (ref: MailingRef) => ({ mailing_kind: ref.kind, mailing_id: ref.id });

/**
 * `column IN ids` with the ids as one array parameter: a thousand placeholders cost more to build,
 * bind and prepare (SQLite: 5.6 ms per batch of 1000) than the lookups themselves.
 */
export function inIds(db: Knex, column: string, ids: number[]): [string, unknown[]] {
  return isPostgres(db) ? ['?? = ANY(?::int[])', [column, pgIntArray(ids)]] : ['?? IN (SELECT value FROM json_each(?))', [column, JSON.stringify(ids)]];
}

/**
 * Integer ids as one PostgreSQL array literal (`{1,2,3}`, cast with `::int[]`): given a JS array,
 * the pg driver escapes and quotes every element on its own (a tenth of the worker's SQL time per
 * batch, in the profile). Anything but integers is refused, so nothing else can reach the SQL.
 */
export function pgIntArray(ids: readonly number[]): string {
  for (const id of ids) if (!Number.isSafeInteger(id)) throw new TypeError(`not an integer id: ${String(id)}`);
  return `{${ids.join(',')}}`;
}
