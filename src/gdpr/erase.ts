/**
 * Erasure (GDPR right to be forgotten): removes one person's data everywhere, in one transaction.
 * Used by `npm run gdpr -- erase`, the desk's erase route and, per expired subscriber, by the
 * retention purge (./purge.ts).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { DELIVERIES } from '../mailings/engine/schema';
import {
  chunks,
  CONSENT_COMPONENT_UID,
  findSubscriberRows,
  NOTHING_REMOVED,
  SUBSCRIBER_UID,
  unique,
  type RemovedCounts,
  type SubscriberRef,
  type SubscriberRow,
} from './subscribers';

export interface EraseResult {
  erased: boolean;
  removed: RemovedCounts;
}

/**
 * Removes the person's data everywhere, in one transaction: delivery records (when that table
 * exists), the subscriber row and its consent component row. Idempotent: a second call finds
 * nothing and reports `erased: false` with zeros.
 */
export async function eraseSubscriber(strapi: Core.Strapi, ref: SubscriberRef): Promise<EraseResult> {
  return strapi.db.transaction(async ({ trx }) => {
    const rows = await findSubscriberRows(strapi, ref);
    if (rows.length === 0) return { erased: false, removed: { ...NOTHING_REMOVED } };
    return { erased: true, removed: await eraseRows(strapi, rows, trx as unknown as Knex) };
  });
}

/** Erases these rows inside `trx`: their deliveries, then the entries through the document service. */
export async function eraseRows(strapi: Core.Strapi, rows: SubscriberRow[], trx: Knex): Promise<RemovedCounts> {
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

/** Deletes their delivery records; none when the sending engine never created its tables in this database. */
async function deleteDeliveries(trx: Knex, rows: SubscriberRow[]): Promise<number> {
  if (rows.length === 0 || !(await trx.schema.hasTable(DELIVERIES))) return 0;
  let removed = 0;
  for (const part of chunks(rows.map((row) => row.id))) removed += await trx(DELIVERIES).whereIn('subscriber_id', part).del();
  return removed;
}
