/**
 * Subscribers written in bulk straight into Strapi's tables, for the import and the fake-subscriber
 * tool: a thousand readers through the document service take seconds, this takes milliseconds.
 * It writes what the document service would: a document id, the random link key, the address
 * normalised, and the consent record as Strapi stores a component (a row in the component's table
 * and one in the subscribers' component join table). The integration tests read the rows back
 * through Strapi to hold it to that.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { normaliseEmail } from '../core/domain/email';
import { newLinkKey } from '../core/domain/tokens';
import type { Locale } from '../core/domain/locale';
import type { SubscriberState } from '../core/domain/subscriber-state';
import { CONSENT_COMPONENT_UID } from './subscribers';

export const SUBSCRIBERS_TABLE = 'subscribers';
const CONSENT_TABLE = 'components_subscription_consent_records';
/** Strapi's join table for a content type's components: `<collection>_cmps`. */
const COMPONENT_JOIN_TABLE = 'subscribers_cmps';

export interface NewSubscriber {
  /** Strapi makes one when none is given (this module does the same). */
  documentId?: string;
  email: string;
  name: string | null;
  preferredLocale: Locale;
  themes: string[];
  state: SubscriberState;
  confirmedAt?: Date | null;
  unsubscribedAt?: Date | null;
  suppressedAt?: Date | null;
  suppressionReason?: string | null;
  consent?: { givenAt: Date; source: string | null; textVersion: string; ipHash: string | null } | null;
}

export interface InsertedSubscriber {
  id: number;
  documentId: string;
  email: string;
}

/** A subscriber row as stored, in column order (dates as Date, themes as JSON text). */
type SubscriberRow = [string, string, string | null, string, string, string, string, Date | null, Date | null, Date | null, string | null, Date, Date, Date];
const SUBSCRIBER_COLUMNS = [
  'document_id',
  'email',
  'name',
  'preferred_locale',
  'themes',
  'state',
  'link_key',
  'confirmed_at',
  'unsubscribed_at',
  'suppressed_at',
  'suppression_reason',
  'created_at',
  'updated_at',
  'published_at',
] as const;
const CONSENT_COLUMNS = ['given_at', 'source', 'text_version', 'ip_hash'] as const;

/**
 * Inserts the subscribers (and their consent records) in one transaction (a savepoint when `db`
 * is one already). Addresses must be new: the unique index refuses a known one. Each database gets
 * the statement shape that is fast there: SQLite one prepared statement run per row (no SQL text
 * to build, nothing to parse twice), PostgreSQL one statement per table over arrays (`unnest`),
 * not thousands of bound values. Knex's multi-row INSERT spent most of an import building SQL.
 */
export async function insertSubscribers(db: Knex, subscribers: readonly NewSubscriber[], now = new Date()): Promise<InsertedSubscriber[]> {
  if (subscribers.length === 0) return [];
  const documentIds = newDocumentIds(subscribers.length);
  const rows: SubscriberRow[] = subscribers.map((subscriber, index) => [
    subscriber.documentId ?? documentIds[index],
    normaliseEmail(subscriber.email),
    subscriber.name,
    subscriber.preferredLocale,
    JSON.stringify(subscriber.themes),
    subscriber.state,
    newLinkKey(),
    subscriber.confirmedAt ?? null,
    subscriber.unsubscribedAt ?? null,
    subscriber.suppressedAt ?? null,
    subscriber.suppressionReason ?? null,
    now,
    now,
    now,
  ]);
  return db.transaction(async (trx) => {
    const written = isPostgres(trx) ? await insertPostgres(trx, rows, subscribers) : await insertSqlite(trx, rows, subscribers);
    return written;
  });
}

interface SqliteStatement {
  get(...values: unknown[]): { id: number } | undefined;
  run(...values: unknown[]): unknown;
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

async function insertSqlite(trx: Knex.Transaction, rows: SubscriberRow[], subscribers: readonly NewSubscriber[]): Promise<InsertedSubscriber[]> {
  // Inside a transaction Knex hands back that transaction's connection (better-sqlite3's Database).
  const client = trx.client as unknown as { acquireConnection(): Promise<SqliteConnection>; releaseConnection(connection: unknown): Promise<void> };
  const connection = await client.acquireConnection();
  try {
    const insertRow = connection.prepare(
      `INSERT INTO ${SUBSCRIBERS_TABLE} (${SUBSCRIBER_COLUMNS.join(', ')}) VALUES (${SUBSCRIBER_COLUMNS.map(() => '?').join(', ')}) RETURNING id`,
    );
    const insertConsent = connection.prepare(`INSERT INTO ${CONSENT_TABLE} (${CONSENT_COLUMNS.join(', ')}) VALUES (?, ?, ?, ?) RETURNING id`);
    const link = connection.prepare(`INSERT INTO ${COMPONENT_JOIN_TABLE} (entity_id, cmp_id, component_type, field, "order") VALUES (?, ?, ?, 'consent', 1)`);
    // Dates as milliseconds, as Knex and Strapi store them in SQLite.
    const value = (cell: unknown) => (cell instanceof Date ? cell.getTime() : cell);
    return rows.map((row, index) => {
      const id = insertRow.get(...row.map(value))!.id;
      const consent = subscribers[index].consent;
      if (consent) {
        const cmpId = insertConsent.get(consent.givenAt.getTime(), consent.source, consent.textVersion, consent.ipHash)!.id;
        link.run(id, cmpId, CONSENT_COMPONENT_UID);
      }
      return { id, documentId: row[0], email: row[1] };
    });
  } finally {
    await client.releaseConnection(connection);
  }
}

async function insertPostgres(trx: Knex.Transaction, rows: SubscriberRow[], subscribers: readonly NewSubscriber[]): Promise<InsertedSubscriber[]> {
  const types = await columnTypes(trx, SUBSCRIBERS_TABLE);
  const columns = SUBSCRIBER_COLUMNS.map((column, index) => rows.map((row) => row[index]));
  const result = await trx.raw(
    `INSERT INTO ?? (${SUBSCRIBER_COLUMNS.map(() => '??').join(', ')}) SELECT * FROM unnest(${SUBSCRIBER_COLUMNS.map((column) => `?::${types.get(column)}[]`).join(', ')}) RETURNING id, email`,
    [SUBSCRIBERS_TABLE, ...SUBSCRIBER_COLUMNS, ...columns],
  );
  const ids = new Map((result.rows as Array<{ id: number; email: string }>).map((row) => [row.email, row.id]));
  const inserted = rows.map((row) => ({ id: ids.get(row[1])!, documentId: row[0], email: row[1] }));

  const consents = subscribers.flatMap((subscriber, index) => (subscriber.consent ? [{ entityId: inserted[index].id, consent: subscriber.consent }] : []));
  if (consents.length === 0) return inserted;
  // The consent rows' ids are taken from their sequence first, so each join row names its own
  // without relying on the order in which INSERT ... RETURNING hands ids back.
  const taken = await trx.raw(`SELECT nextval(pg_get_serial_sequence(?, 'id')) AS id FROM generate_series(1, ?)`, [CONSENT_TABLE, consents.length]);
  const cmpIds = (taken.rows as Array<{ id: string | number }>).map((row) => Number(row.id));
  const consentTypes = await columnTypes(trx, CONSENT_TABLE);
  await trx.raw(
    `INSERT INTO ?? (id, ${CONSENT_COLUMNS.map(() => '??').join(', ')}) SELECT * FROM unnest(?::integer[], ${CONSENT_COLUMNS.map((column) => `?::${consentTypes.get(column)}[]`).join(', ')})`,
    [
      CONSENT_TABLE,
      ...CONSENT_COLUMNS,
      cmpIds,
      consents.map(({ consent }) => consent.givenAt),
      consents.map(({ consent }) => consent.source),
      consents.map(({ consent }) => consent.textVersion),
      consents.map(({ consent }) => consent.ipHash),
    ],
  );
  await trx.raw(
    `INSERT INTO ?? (entity_id, cmp_id, component_type, field, "order") SELECT e, c, ?, 'consent', 1 FROM unnest(?::integer[], ?::integer[]) AS t(e, c)`,
    [COMPONENT_JOIN_TABLE, CONSENT_COMPONENT_UID, consents.map(({ entityId }) => entityId), cmpIds],
  );
  return inserted;
}

/** The columns' SQL types as PostgreSQL names them (`character varying(255)`, `timestamp(6) without time zone`, `jsonb`): the arrays are cast to exactly these. */
async function columnTypes(trx: Knex.Transaction, table: string): Promise<Map<string, string>> {
  const result = await trx.raw(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped`,
    [table],
  );
  return new Map((result.rows as Array<{ name: string; type: string }>).map((row) => [row.name, row.type]));
}

function isPostgres(db: Knex): boolean {
  const client = String(db.client.config.client);
  return client === 'pg' || client === 'postgres' || client === 'postgresql';
}

/**
 * Fresh statistics for the subscribers table after a bulk write: with stale ones, the planner of
 * a send right after an import may scan the table the slow way (PostgreSQL's autovacuum catches up
 * only later; SQLite has none until someone runs ANALYZE). Both take the table's name, which
 * spares SQLite a pass over a million delivery rows it was not asked about.
 */
export async function analyzeSubscribers(db: Knex): Promise<void> {
  await db.raw('ANALYZE ??', [SUBSCRIBERS_TABLE]);
}

/**
 * Document ids of Strapi's shape (24 lower-case letters and digits, a letter first) that rise in
 * the order they are made: the time, a counter, then random characters. Strapi's own are random;
 * nothing reads meaning into either (it is not a secret; the link key is). Rising ids land at the
 * end of the document-id index, so a chunk dirties a few of its pages, not nearly all of them:
 * with random ids every commit of an import rewrote the whole index into SQLite's write-ahead log.
 */
export function newDocumentIds(count: number): string[] {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const time = Date.now().toString(36).padStart(9, '0').slice(-9);
  const bytes = randomBytes(9 * count);
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    sequence = (sequence + 1) % 36 ** 5;
    let id = `d${time}${sequence.toString(36).padStart(5, '0')}`;
    for (let i = 0; i < 9; i += 1) id += alphabet[bytes[index * 9 + i] % 36];
    ids.push(id);
  }
  return ids;
}

let sequence = 0;
