/**
 * Access (GDPR export): everything we hold on one person as plain JSON, with texts explaining each
 * part (./texts.ts). Used by `npm run gdpr -- export` and the desk's export route.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { reportedStatistics } from '../mailings/engine/delivery-statistics';
import { DELIVERIES } from '../mailings/engine/schema';
import { findSubscriberRows, type SubscriberRef, type SubscriberRow } from './subscribers';
import { EXPORT_EXPLANATION, type ExportExplanation } from './texts';

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

/** Everything we hold on one person, JSON-serialisable; null when there is no such subscriber. */
export async function exportSubscriberData(strapi: Core.Strapi, ref: SubscriberRef): Promise<SubscriberExport | null> {
  const rows = await findSubscriberRows(strapi, ref);
  if (rows.length === 0) return null;
  // Subscribers are neither localized nor draft & publish: one row per document.
  const row = rows[0];
  const consent = row.consent ?? null;
  return {
    exportedAt: new Date().toISOString(),
    explanation: EXPORT_EXPLANATION,
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

/**
 * The delivery records of these subscribers (see src/mailings/engine/schema.ts), with the edition's title for editions.
 * None when the sending engine never created its tables in this database.
 */
async function findDeliveries(strapi: Core.Strapi, rows: SubscriberRow[]): Promise<Array<Record<string, JsonValue>>> {
  const db = strapi.db.connection as unknown as Knex;
  if (rows.length === 0 || !(await db.schema.hasTable(DELIVERIES))) return [];
  const found: Array<Record<string, unknown>> = await db(`${DELIVERIES} as d`)
    .leftJoin('editions as e', (join) => join.on('e.id', '=', 'd.mailing_id').andOnVal('d.mailing_kind', '=', 'edition'))
    .whereIn(
      'd.subscriber_id',
      rows.map((row) => row.id),
    )
    .select(
      'd.mailing_kind as mailing',
      'd.mailing_id as mailingId',
      'e.document_id as edition',
      'e.title as editionTitle',
      'd.status',
      'd.submitted_at as submittedAt',
      'd.error',
      'd.feedback',
    )
    .orderBy([{ column: 'd.mailing_kind' }, { column: 'd.mailing_id' }]);
  return found.map(
    ({ feedback, ...delivery }) =>
      toJson({
        ...delivery,
        submittedAt: delivery.submittedAt ? new Date(Number(delivery.submittedAt)).toISOString() : null,
        reportedBySendGrid: reportedStatistics(Number(feedback ?? 0)),
      }) as Record<string, JsonValue>,
  );
}

/** A stored datetime (Date, ISO text or milliseconds, as the two databases hand them back) as ISO text. */
export function toIso(value: unknown): string | null {
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
