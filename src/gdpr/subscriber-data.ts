/**
 * GDPR operations on newsletter subscribers: access (export), erasure, and retention (purge).
 * Works on a loaded Strapi instance, no HTTP: used by `npm run gdpr` and the desk plugin's admin
 * routes (src/plugins/desk/server/src/controllers/gdpr.ts).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { reportedStatistics } from '../mailings/engine/delivery-statistics';
import { DELIVERIES } from '../mailings/engine/schema';
import { normaliseEmail } from '../core/domain/email';
import { cutoffDate, isBeforeCutoff } from '../core/retention';
import { CONTENT_TYPES } from '../core/content-types';

export const SUBSCRIBER_UID = CONTENT_TYPES.subscriber;
export const CONSENT_COMPONENT_UID = 'subscription.consent-record';
/** Added later by the newsletter work; everything here copes with it being absent. */

export type SubscriberRef = { email: string } | { documentId: string };

export interface RemovedCounts {
  subscribers: number;
  consentRecords: number;
  deliveries: number;
}

export interface EraseResult {
  erased: boolean;
  removed: RemovedCounts;
}

export interface PurgeOptions {
  now?: Date;
  pendingMaxAgeDays: number;
  unsubscribedRetentionDays: number;
  /** Only count what would be erased. */
  dryRun?: boolean;
  /** Rows fetched per page (keyset on id); 500 unless told. */
  pageSize?: number;
}

export interface PurgeResult {
  dryRun: boolean;
  cutoffs: { pendingCreatedBefore: string; unsubscribedBefore: string };
  /** Subscribers erased (or, in a dry run, that would be erased) per reason. */
  pending: number;
  unsubscribed: number;
  /** What was deleted (zeros in a dry run). */
  removed: RemovedCounts;
}

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface SubscriberExport {
  exportedAt: string;
  explanation: { nl: ExportExplanation; en: ExportExplanation };
  subscriber: {
    documentId: string;
    email: string;
    name: string | null;
    preferredLocale: string | null;
    themes: JsonValue;
    state: string;
    confirmedAt: string | null;
    unsubscribedAt: string | null;
    suppressionReason: string | null;
    suppressedAt: string | null;
    createdAt: string | null;
    updatedAt: string | null;
  };
  consent: { givenAt: string | null; source: string | null; textVersion: string | null; ipHash: string | null } | null;
  deliveries: Array<Record<string, JsonValue>>;
}

interface ExportExplanation {
  summary: string;
  subscriber: string;
  consent: string;
  deliveries: string;
}

const EXPLANATION: SubscriberExport['explanation'] = {
  nl: {
    summary: 'Alle gegevens die wij over u bewaren voor de nieuwsbrief, op het moment van exporteren (exportedAt).',
    subscriber:
      'Uw inschrijving: e-mailadres, naam, voorkeurstaal, gekozen thema\'s, status (pending = nog niet bevestigd, active = actief, unsubscribed = afgemeld, bounced = onbestelbaar, complained = als spam gemeld) en wanneer u bevestigde, zich afmeldde en wanneer de inschrijving is aangemaakt en laatst gewijzigd.',
    consent:
      'Uw toestemming: wanneer u die gaf, waar (bijvoorbeeld het inschrijfformulier), welke versie van de toestemmingstekst u zag, en een onomkeerbare hash van uw IP-adres (niet het adres zelf).',
    deliveries: 'Verzendingen: welke nieuwsbrieven naar u zijn verstuurd en wat er met de e-mail gebeurde. Leeg als er nog niets is verstuurd.',
  },
  en: {
    summary: 'Everything we hold about you for the newsletter, at the moment of export (exportedAt).',
    subscriber:
      'Your subscription: email address, name, preferred language, chosen themes, state (pending = not yet confirmed, active, unsubscribed, bounced = undeliverable, complained = reported as spam) and when you confirmed, unsubscribed, and when the subscription was created and last changed.',
    consent:
      'Your consent: when you gave it, where (for example the sign-up form), which version of the consent text you saw, and a one-way hash of your IP address (not the address itself).',
    deliveries: 'Deliveries: which newsletters were sent to you and what happened to the email. Empty when nothing has been sent yet.',
  },
};

/** How the database layer hands back a datetime (a Date; strings or numbers handled too). */
type DbDate = Date | string | number | null | undefined;

interface ConsentRow {
  id: number;
  givenAt?: DbDate;
  source?: string | null;
  textVersion?: string | null;
  ipHash?: string | null;
}

interface SubscriberRow {
  id: number;
  documentId: string;
  email: string;
  name?: string | null;
  preferredLocale?: string | null;
  themes?: unknown;
  state: string;
  confirmedAt?: DbDate;
  unsubscribedAt?: DbDate;
  suppressionReason?: string | null;
  suppressedAt?: DbDate;
  createdAt?: DbDate;
  updatedAt?: DbDate;
  consent?: ConsentRow | null;
}

const ZERO: RemovedCounts = { subscribers: 0, consentRecords: 0, deliveries: 0 };
const DEFAULT_PAGE_SIZE = 500;
/** Bound for `$in` lists, well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

/* ------------------------------------------------------------------------------------------------
 * Export
 * ----------------------------------------------------------------------------------------------*/

/** Everything we hold on one person, JSON-serialisable; null when there is no such subscriber. */
export async function exportSubscriberData(strapi: Core.Strapi, ref: SubscriberRef): Promise<SubscriberExport | null> {
  const rows = await findSubscriberRows(strapi, ref);
  if (rows.length === 0) return null;
  // Subscribers are neither localized nor draft & publish: one row per document.
  const row = rows[0];
  const consent = row.consent ?? null;
  return {
    exportedAt: new Date().toISOString(),
    explanation: EXPLANATION,
    subscriber: {
      documentId: row.documentId,
      email: row.email,
      name: row.name ?? null,
      preferredLocale: row.preferredLocale ?? null,
      themes: toJson(row.themes ?? null),
      state: row.state,
      confirmedAt: toIso(row.confirmedAt),
      unsubscribedAt: toIso(row.unsubscribedAt),
      suppressionReason: row.suppressionReason ?? null,
      suppressedAt: toIso(row.suppressedAt),
      createdAt: toIso(row.createdAt),
      updatedAt: toIso(row.updatedAt),
    },
    consent: consent
      ? { givenAt: toIso(consent.givenAt), source: consent.source ?? null, textVersion: consent.textVersion ?? null, ipHash: consent.ipHash ?? null }
      : null,
    deliveries: await findDeliveries(strapi, rows),
  };
}

/* ------------------------------------------------------------------------------------------------
 * Erase
 * ----------------------------------------------------------------------------------------------*/

/**
 * Removes the person's data everywhere, in one transaction: delivery records (when that type
 * exists), the subscriber row and its consent component row. Idempotent: a second call finds
 * nothing and reports `erased: false` with zeros.
 */
export async function eraseSubscriber(strapi: Core.Strapi, ref: SubscriberRef): Promise<EraseResult> {
  return strapi.db.transaction(async ({ trx }) => {
    const rows = await findSubscriberRows(strapi, ref);
    if (rows.length === 0) return { erased: false, removed: { ...ZERO } };
    return { erased: true, removed: await eraseRows(strapi, rows, trx as unknown as Knex) };
  });
}

async function eraseRows(strapi: Core.Strapi, rows: SubscriberRow[], trx: Knex): Promise<RemovedCounts> {
  const ids = rows.map((row) => row.id);
  const consentIds = rows.flatMap((row) => (row.consent ? [row.consent.id] : []));

  const deliveries = await deleteDeliveries(trx, rows);

  // The document service removes the entry with its components and relations, as the content
  // manager does...
  for (const documentId of unique(rows.map((row) => row.documentId))) {
    await strapi.documents(SUBSCRIBER_UID as never).delete({ documentId } as never);
  }
  // ...and we check rather than trust it: whatever is left (a row, or an orphaned consent
  // component) is deleted directly.
  await deleteRemaining(strapi, SUBSCRIBER_UID, ids);
  await deleteRemaining(strapi, CONSENT_COMPONENT_UID, consentIds);

  return { subscribers: ids.length, consentRecords: consentIds.length, deliveries };
}

async function deleteRemaining(strapi: Core.Strapi, uid: string, ids: number[]): Promise<void> {
  for (const part of chunks(ids)) {
    const left = await strapi.db.query(uid as never).count({ where: { id: { $in: part } } });
    if (left > 0) await strapi.db.query(uid as never).deleteMany({ where: { id: { $in: part } } });
  }
}

/* ------------------------------------------------------------------------------------------------
 * Purge (retention)
 * ----------------------------------------------------------------------------------------------*/

/**
 * Erases expired subscribers: `pending` ones created before the pending cut-off, and
 * `unsubscribed` ones whose `unsubscribedAt` (or, if that is missing, last change) is before the
 * unsubscribed cut-off. `bounced` and `complained` are kept: they are suppressions. Works in pages
 * (keyset on id), each subscriber in its own transaction, re-checking the rule inside it so that a
 * subscriber who confirmed in the meantime is not erased.
 */
export async function purgeExpiredSubscribers(strapi: Core.Strapi, options: PurgeOptions): Promise<PurgeResult> {
  const now = options.now ?? new Date();
  const pendingCutoff = cutoffDate(now, options.pendingMaxAgeDays);
  const unsubscribedCutoff = cutoffDate(now, options.unsubscribedRetentionDays);
  const pageSize = Math.max(1, Math.min(options.pageSize ?? DEFAULT_PAGE_SIZE, 5000));
  const dryRun = options.dryRun === true;

  const rules: Array<{ reason: 'pending' | 'unsubscribed'; where: Record<string, unknown>; stillExpired: (row: SubscriberRow) => boolean }> = [
    {
      reason: 'pending',
      where: { state: 'pending', createdAt: { $lt: pendingCutoff } },
      stillExpired: (row) => row.state === 'pending' && isBeforeCutoff(row.createdAt, pendingCutoff),
    },
    {
      reason: 'unsubscribed',
      where: {
        state: 'unsubscribed',
        $or: [{ unsubscribedAt: { $lt: unsubscribedCutoff } }, { unsubscribedAt: { $null: true }, updatedAt: { $lt: unsubscribedCutoff } }],
      },
      stillExpired: (row) =>
        row.state === 'unsubscribed' &&
        isBeforeCutoff(row.unsubscribedAt ?? row.updatedAt, unsubscribedCutoff),
    },
  ];

  const result: PurgeResult = {
    dryRun,
    cutoffs: { pendingCreatedBefore: pendingCutoff.toISOString(), unsubscribedBefore: unsubscribedCutoff.toISOString() },
    pending: 0,
    unsubscribed: 0,
    removed: { ...ZERO },
  };

  for (const rule of rules) {
    if (dryRun) {
      result[rule.reason] = await strapi.db.query(SUBSCRIBER_UID as never).count({ where: rule.where });
      continue;
    }
    let afterId = 0;
    for (;;) {
      const page: Array<{ id: number; documentId: string }> = await strapi.db.query(SUBSCRIBER_UID as never).findMany({
        where: { ...rule.where, id: { $gt: afterId } },
        select: ['id', 'documentId'],
        orderBy: { id: 'asc' },
        limit: pageSize,
      });
      if (page.length === 0) break;
      afterId = page[page.length - 1].id;
      for (const documentId of unique(page.map((row) => row.documentId))) {
        const removed = await strapi.db.transaction(async ({ trx }) => {
          const rows = await findSubscriberRows(strapi, { documentId });
          if (rows.length === 0 || !rows.every(rule.stillExpired)) return null;
          return eraseRows(strapi, rows, trx as unknown as Knex);
        });
        if (!removed) continue;
        result[rule.reason] += 1;
        result.removed.subscribers += removed.subscribers;
        result.removed.consentRecords += removed.consentRecords;
        result.removed.deliveries += removed.deliveries;
      }
      if (page.length < pageSize) break;
    }
  }
  return result;
}

/* ------------------------------------------------------------------------------------------------
 * Lookups
 * ----------------------------------------------------------------------------------------------*/

/** Longest documentId we look up; Strapi's are 24 characters. Longer input cannot match. */
const MAX_DOCUMENT_ID_LENGTH = 64;

/** The subscriber rows (normally one) for a reference; [] for no match or unusable input. */
async function findSubscriberRows(strapi: Core.Strapi, ref: SubscriberRef): Promise<SubscriberRow[]> {
  let where: Record<string, unknown>;
  if (ref && 'email' in ref && typeof ref.email === 'string') {
    const email = normaliseEmail(ref.email);
    if (email === '' || email.length > 254) return [];
    where = { email };
  } else if (ref && 'documentId' in ref && typeof ref.documentId === 'string') {
    const documentId = ref.documentId.trim();
    if (documentId === '' || documentId.length > MAX_DOCUMENT_ID_LENGTH) return [];
    where = { documentId };
  } else {
    return [];
  }
  const query = strapi.db.query(SUBSCRIBER_UID as never);
  const matches: SubscriberRow[] = await query.findMany({ where, select: ['documentId'] });
  if (matches.length === 0) return [];
  // Every row of the matched documents (one per document today; more if the type ever gets
  // draft & publish or locales).
  return query.findMany({
    where: { documentId: { $in: unique(matches.map((row) => row.documentId)) } },
    populate: { consent: true },
    orderBy: { id: 'asc' },
  });
}


/** The delivery records of these subscribers (see src/mailings/engine/schema.ts), with the edition's title for editions. */
async function findDeliveries(strapi: Core.Strapi, rows: SubscriberRow[]): Promise<Array<Record<string, JsonValue>>> {
  const db = strapi.db.connection as unknown as Knex;
  if (rows.length === 0 || !(await db.schema.hasTable(DELIVERIES))) return [];
  const found: Array<Record<string, unknown>> = await db(`${DELIVERIES} as d`)
    .leftJoin('editions as e', (join) => join.on('e.id', '=', 'd.mailing_id').andOnVal('d.mailing_kind', '=', 'edition'))
    .whereIn('d.subscriber_id', rows.map((row) => row.id))
    .select('d.mailing_kind as mailing', 'd.mailing_id as mailingId', 'e.document_id as edition', 'e.title as editionTitle', 'd.status', 'd.submitted_at as submittedAt', 'd.error', 'd.feedback')
    .orderBy([{ column: 'd.mailing_kind' }, { column: 'd.mailing_id' }]);
  return found.map(({ feedback, ...delivery }) =>
    toJson({ ...delivery, submittedAt: delivery.submittedAt ? new Date(Number(delivery.submittedAt)).toISOString() : null, reportedBySendGrid: reportedStatistics(Number(feedback ?? 0)) }) as Record<string, JsonValue>,
  );
}

async function deleteDeliveries(trx: Knex, rows: SubscriberRow[]): Promise<number> {
  if (rows.length === 0 || !(await trx.schema.hasTable(DELIVERIES))) return 0;
  let removed = 0;
  for (const part of chunks(rows.map((row) => row.id))) removed += await trx(DELIVERIES).whereIn('subscriber_id', part).del();
  return removed;
}

/* ------------------------------------------------------------------------------------------------
 * Helpers
 * ----------------------------------------------------------------------------------------------*/

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function chunks<T>(values: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

function toIso(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value as string | number);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

/** A value as plain JSON: dates as ISO strings, big integers as strings, no undefined. */
function toJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return toIso(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) if (inner !== undefined) out[key] = toJson(inner);
    return out;
  }
  return String(value);
}
