/**
 * Retention (GDPR storage limitation): erases subscribers kept longer than the retention settings
 * allow (src/core/retention.ts). Run by the worker on a schedule and by `npm run gdpr -- purge`.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { cutoffDate, isBeforeCutoff } from '../core/retention';
import { eraseRows } from './erase';
import { findSubscriberRows, NOTHING_REMOVED, SUBSCRIBER_UID, unique, type RemovedCounts, type SubscriberRow } from './subscribers';

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

const DEFAULT_PAGE_SIZE = 500;

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
      stillExpired: (row) => row.state === 'unsubscribed' && isBeforeCutoff(row.unsubscribedAt ?? row.updatedAt, unsubscribedCutoff),
    },
  ];

  const result: PurgeResult = {
    dryRun,
    cutoffs: { pendingCreatedBefore: pendingCutoff.toISOString(), unsubscribedBefore: unsubscribedCutoff.toISOString() },
    pending: 0,
    unsubscribed: 0,
    removed: { ...NOTHING_REMOVED },
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
