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

/** Rows per INSERT: a subscriber row binds 14 values, well under SQLite's 32,766 and PostgreSQL's 65,535. */
const ROWS_PER_STATEMENT = 500;

/**
 * Inserts the subscribers (and their consent records) with `db`, which should be a transaction when
 * the caller needs all or nothing. Addresses must be new: the unique index refuses a known one.
 */
export async function insertSubscribers(db: Knex, subscribers: readonly NewSubscriber[], now = new Date()): Promise<InsertedSubscriber[]> {
  const inserted: InsertedSubscriber[] = [];
  for (let start = 0; start < subscribers.length; start += ROWS_PER_STATEMENT) {
    const part = subscribers.slice(start, start + ROWS_PER_STATEMENT);
    const rows = part.map((subscriber) => ({
      document_id: subscriber.documentId ?? newDocumentId(),
      email: normaliseEmail(subscriber.email),
      name: subscriber.name,
      preferred_locale: subscriber.preferredLocale,
      themes: JSON.stringify(subscriber.themes),
      state: subscriber.state,
      link_key: newLinkKey(),
      confirmed_at: subscriber.confirmedAt ?? null,
      unsubscribed_at: subscriber.unsubscribedAt ?? null,
      suppressed_at: subscriber.suppressedAt ?? null,
      suppression_reason: subscriber.suppressionReason ?? null,
      created_at: now,
      updated_at: now,
      published_at: now,
    }));
    const ids: Array<{ id: number; document_id: string; email: string }> = await db(SUBSCRIBERS_TABLE).insert(rows).returning(['id', 'document_id', 'email']);
    const byEmail = new Map(ids.map((row) => [row.email, row]));
    for (const row of rows) {
      const written = byEmail.get(row.email)!;
      inserted.push({ id: written.id, documentId: written.document_id, email: written.email });
    }
    await insertConsentRecords(
      db,
      part.flatMap((subscriber, index) => (subscriber.consent ? [{ subscriberId: byEmail.get(rows[index].email)!.id, consent: subscriber.consent }] : [])),
    );
  }
  return inserted;
}

async function insertConsentRecords(db: Knex, records: Array<{ subscriberId: number; consent: NonNullable<NewSubscriber['consent']> }>): Promise<void> {
  if (records.length === 0) return;
  const ids: Array<{ id: number }> = await db(CONSENT_TABLE)
    .insert(records.map(({ consent }) => ({ given_at: consent.givenAt, source: consent.source, text_version: consent.textVersion, ip_hash: consent.ipHash })))
    .returning(['id']);
  // A multi-row INSERT ... RETURNING hands the ids back in the order of its VALUES in both databases.
  await db(COMPONENT_JOIN_TABLE).insert(
    records.map((record, index) => ({
      entity_id: record.subscriberId,
      cmp_id: ids[index].id,
      component_type: CONSENT_COMPONENT_UID,
      field: 'consent',
      order: 1,
    })),
  );
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

/** A document id as Strapi makes them (24 lower-case letters and digits, a letter first). */
export function newDocumentId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(24);
  let id = alphabet[bytes[0] % 26];
  for (let i = 1; i < 24; i += 1) id += alphabet[bytes[i] % 36];
  return id;
}
