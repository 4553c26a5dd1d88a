import type { Knex } from 'knex';
import { inIds, MAILING_TABLES } from '../sending/knex-store';
import { BATCHES, DELIVERIES, FEEDBACK_EVENTS, isPostgres } from '../sending/schema';
import type { MailingRef } from '../sending/mailing';
import { STATISTIC_BITS, STATISTIC_COLUMNS } from './statistics';
import { SUPPRESSES_FROM, type FeedbackSession, type FeedbackStore } from './store';

/**
 * The feedback store on SQLite and PostgreSQL. Within a post's transaction rows are taken in one
 * order: event ids, then per mailing (in mailing order) its delivery rows (each statement in id
 * order), its batches of unknown fate and its row, then subscribers. The sending worker's settle
 * takes a batch's delivery rows, then its mailing's row: no two transactions wait in a circle.
 */
export function createKnexFeedbackStore(db: Knex): FeedbackStore {
  const of = (ref: MailingRef) => ({ mailing_kind: ref.kind, mailing_id: ref.id });
  const session = (trx: Knex.Transaction): FeedbackSession => ({
    async claim(eventIds, now) {
      if (eventIds.length === 0) return new Set();
      const rows: Array<{ event_id: string }> = isPostgres(trx)
        ? (await trx.raw(`INSERT INTO ?? (event_id, received_at) SELECT unnest(?::text[]), ? ON CONFLICT DO NOTHING RETURNING event_id`, [FEEDBACK_EVENTS, eventIds, now])).rows
        : await trx.raw(`INSERT OR IGNORE INTO ?? (event_id, received_at) SELECT value, ? FROM json_each(?) RETURNING event_id`, [FEEDBACK_EVENTS, now, JSON.stringify(eventIds)]);
      return new Set(rows.map((row) => row.event_id));
    },

    async tracking(ref) {
      const row = await trx(MAILING_TABLES[ref.kind].table).where({ id: ref.id }).first('track_engagement');
      return row ? Boolean(row.track_engagement) : null;
    },

    async accept(ref, deliveryIds, now) {
      const rows = () => trx(DELIVERIES).where(of(ref)).whereRaw(...inIds(trx, 'id', deliveryIds));
      const queued = await rows().andWhere('status', 'queued').update({ status: 'submitted', submitted_at: now });
      const unknown = await rows().andWhere('status', 'unknown').update({ status: 'submitted', submitted_at: now, error: null });
      let resolvedBatches = 0;
      if (unknown > 0) {
        const batchNos = trx(DELIVERIES).where(of(ref)).whereRaw(...inIds(trx, 'id', deliveryIds)).distinct('batch_no');
        resolvedBatches = await trx(BATCHES).where(of(ref)).andWhere('state', 'unknown').whereIn('batch_no', batchNos).update({ state: 'submitted', unknown_since: null, error: 'SendGrid reported events of its deliveries: it arrived', updated_at: now });
      }
      const moved = queued + unknown;
      if (moved > 0) {
        const counters = MAILING_TABLES[ref.kind].table;
        await trx(counters)
          .where({ id: ref.id })
          .update({ queued_count: trx.raw('COALESCE(queued_count, 0) - ?', [queued]), unknown_count: trx.raw('COALESCE(unknown_count, 0) - ?', [unknown]), submitted_count: trx.raw('COALESCE(submitted_count, 0) + ?', [moved]) });
      }
      return { accepted: moved, resolvedBatches };
    },

    async mark(ref, statistic, deliveryIds) {
      const bit = STATISTIC_BITS[statistic];
      return trx(DELIVERIES)
        .where(of(ref))
        .whereRaw(...inIds(trx, 'id', deliveryIds))
        .andWhereRaw('(feedback & ?) = 0', [bit])
        .update({ feedback: trx.raw('feedback | ?', [bit]) });
    },

    async count(ref, moves) {
      const update: Record<string, Knex.Raw> = {};
      for (const [statistic, n] of Object.entries(moves) as Array<[keyof typeof STATISTIC_COLUMNS, number]>) {
        if (n) update[STATISTIC_COLUMNS[statistic]] = trx.raw('COALESCE(??, 0) + ?', [STATISTIC_COLUMNS[statistic], n]);
      }
      if (Object.keys(update).length > 0) await trx(MAILING_TABLES[ref.kind].table).where({ id: ref.id }).update(update);
    },

    async subscribersOf(ref, deliveryIds) {
      const rows: Array<{ subscriber_id: number }> = await trx(DELIVERIES).where(of(ref)).whereRaw(...inIds(trx, 'id', deliveryIds)).select('subscriber_id');
      return [...new Set(rows.map((row) => Number(row.subscriber_id)))].sort((a, b) => a - b);
    },

    async suppress(subscriberIds, suppression, at) {
      const update: Record<string, unknown> = { state: suppression.state, suppression_reason: suppression.reason, suppressed_at: at, updated_at: new Date() };
      if (suppression.state === 'unsubscribed') update.unsubscribed_at = at;
      return trx('subscribers').whereRaw(...inIds(trx, 'id', subscriberIds)).whereIn('state', [...SUPPRESSES_FROM[suppression.state]]).update(update);
    },
  });

  return {
    transaction: (work) => db.transaction((trx) => work(session(trx))),
    async forgetEvents(before) {
      return db(FEEDBACK_EVENTS).where('received_at', '<', before).delete();
    },
  };
}
