import type { Knex } from 'knex';
import {
  DELIVERY_STATISTICS,
  type AwaitingBatch,
  type DeliveryStatistics,
  type MailingCounts,
  type MailingKind,
  type MailingRecord,
  type MailingRef,
  type RecipientRecord,
  type RenderedVariant,
} from './mailing';
import type { BatchState } from './mailing-state';
import { STATISTIC_COLUMNS } from './delivery-statistics';
import { createKnexPlanningStore } from './knex-plan-store';
import { COUNTERS, MAILING_TABLES, byMailing as where, counterMoves, inIds, type Counter } from './knex-tables';
import { BATCHES, DELIVERIES, VARIANTS, isPostgres } from './schema';
import type { BatchRecord, CancelOutcome, OpenBatch, SendingStore, Settlement } from './store';
import { toDate } from './values';
import { isDatabaseUnavailable } from '../../core/infra/database-unavailable';

/**
 * The engine's store on SQLite and PostgreSQL (knex): mailings, batches, deliveries, cancel; the
 * planning half is knex-plan-store.ts. Mailings live in their content type's table (`editions`,
 * `campaigns`: state, send time, counters); deliveries, batches and variants in the engine's own
 * tables (schema.ts), keyed by mailing kind and id.
 */

/** A cancel names the pending batches it stops in slices of this many, keeping each statement's parameter list short. */
const BATCH_NOS_PER_STATEMENT = 500;

const BATCH_COLUMNS = ['batch_no', 'variant_key', 'state', 'size', 'attempts', 'locked_until'];

function toBatchRecord(row: Record<string, unknown>): BatchRecord {
  return {
    batchNo: Number(row.batch_no),
    variantKey: String(row.variant_key),
    state: row.state as BatchState,
    size: Number(row.size),
    attempts: Number(row.attempts),
    lockedUntil: row.locked_until === null ? null : Number(row.locked_until),
  };
}

export function createKnexSendingStore(db: Knex): SendingStore {
  const table = (kind: MailingKind) => MAILING_TABLES[kind];

  async function moveCounts(trx: Knex, ref: MailingRef, moves: Partial<Record<Counter, number>>): Promise<void> {
    const update = counterMoves(trx, moves);
    if (Object.keys(update).length > 0) await trx(table(ref.kind).table).where({ id: ref.id }).update(update);
  }

  const COUNTER_FOR: Record<Settlement['status'], Counter> = { submitted: 'submitted', failed: 'failed', suppressed: 'suppressed', unknown: 'unknown' };

  async function settleIn(trx: Knex, ref: MailingRef, batchNo: number, deliveryIds: number[] | 'queued', outcome: Settlement): Promise<number> {
    let query = trx(DELIVERIES).where({ ...where(ref), batch_no: batchNo, status: 'queued' });
    if (deliveryIds !== 'queued') query = query.whereRaw(...inIds(trx, 'id', deliveryIds));
    const changed = await query.update(
      outcome.status === 'submitted'
        ? { status: 'submitted', submitted_at: Date.now(), message_id: outcome.messageId, error: null }
        : { status: outcome.status, submitted_at: null, error: outcome.error.slice(0, 500) },
    );
    await moveCounts(trx, ref, { queued: -changed, [COUNTER_FOR[outcome.status]]: changed });
    return changed;
  }

  /** A settled batch's state from its deliveries: submitted if anything went out (or nothing had to), else unknown or failed. */
  async function stateFromDeliveries(trx: Knex, ref: MailingRef, batchNo: number): Promise<BatchState> {
    const rows: Array<{ status: string; n: number | string }> = await trx(DELIVERIES)
      .where({ ...where(ref), batch_no: batchNo })
      .groupBy('status')
      .select('status')
      .count({ n: '*' });
    const count = (status: string) => Number(rows.find((row) => row.status === status)?.n ?? 0);
    return count('submitted') > 0 || count('failed') + count('unknown') === 0 ? 'submitted' : count('unknown') > 0 ? 'unknown' : 'failed';
  }

  async function closeIn(trx: Knex, ref: MailingRef, batchNo: number, known?: BatchState): Promise<BatchState> {
    const state = known ?? (await stateFromDeliveries(trx, ref, batchNo));
    const now = Date.now();
    await trx(BATCHES)
      .where({ ...where(ref), batch_no: batchNo, state: 'sending' })
      .update({ state, locked_until: null, updated_at: now, unknown_since: state === 'unknown' ? now : null });
    return state;
  }

  return {
    isUnavailable: isDatabaseUnavailable,

    async mailing(ref) {
      const row = await db(table(ref.kind).table)
        .where({ id: ref.id })
        .first('id', 'document_id', 'title', 'state', 'track_engagement', 'planned_at', 'remainder_of', `${table(ref.kind).sendAt} as send_at`);
      if (!row) return null;
      return {
        ref,
        documentId: row.document_id,
        title: row.title,
        state: row.state,
        sendAt: toDate(row.send_at),
        plannedAt: toDate(row.planned_at),
        trackEngagement: Boolean(row.track_engagement),
        remainderOf: row.remainder_of === null || row.remainder_of === undefined ? null : Number(row.remainder_of),
      } satisfies MailingRecord;
    },

    async counts(ref) {
      const row = await db(table(ref.kind).table).where({ id: ref.id }).first(Object.values(COUNTERS));
      if (!row) return null;
      const counts = {} as MailingCounts;
      for (const [counter, column] of Object.entries(COUNTERS) as Array<[Counter, string]>) counts[counter] = Number(row[column] ?? 0);
      return counts;
    },

    async statistics(ref) {
      const row = await db(table(ref.kind).table).where({ id: ref.id }).first(Object.values(STATISTIC_COLUMNS));
      if (!row) return null;
      return Object.fromEntries(DELIVERY_STATISTICS.map((name) => [name, Number(row[STATISTIC_COLUMNS[name]] ?? 0)])) as unknown as DeliveryStatistics;
    },

    async schedule(ref, at) {
      const updated = await db(table(ref.kind).table)
        .where({ id: ref.id })
        .whereIn('state', ['draft', 'scheduled'])
        .update({ state: 'scheduled', [table(ref.kind).sendAt]: at });
      return updated > 0;
    },

    async unschedule(ref) {
      return (
        (await db(table(ref.kind).table)
          .where({ id: ref.id, state: 'scheduled' })
          .update({ state: 'draft', [table(ref.kind).sendAt]: null })) > 0
      );
    },

    async due(kind, now) {
      const rows: Array<{ id: number; send_at: unknown }> = await db(table(kind).table)
        .where({ state: 'scheduled' })
        .select('id', `${table(kind).sendAt} as send_at`);
      return rows.filter((row) => (toDate(row.send_at)?.getTime() ?? Infinity) <= now.getTime()).map((row) => ({ kind, id: row.id }));
    },

    async sending(kind) {
      const rows: Array<{ id: number }> = await db(table(kind).table).where({ state: 'sending' }).select('id');
      return rows.map((row) => ({ kind, id: row.id }));
    },

    async endUnplanned(ref, state, note) {
      return (await db(table(ref.kind).table).where({ id: ref.id, state: 'scheduled' }).update({ state, notes: note })) > 0;
    },

    async finish(ref, outcome) {
      const updated = await db(table(ref.kind).table)
        .where({ id: ref.id, state: 'sending' })
        .update({ state: outcome.state, sent_at: outcome.at, ...(outcome.note ? { notes: outcome.note } : {}) });
      return updated > 0;
    },

    ...createKnexPlanningStore(db),

    async batch(ref, batchNo) {
      const row = await db(BATCHES)
        .where({ ...where(ref), batch_no: batchNo })
        .first(BATCH_COLUMNS);
      return row ? toBatchRecord(row) : null;
    },

    async lease(ref, batchNo, until) {
      // One statement, no read before it: the batch's columns come back with the update (SQLite 3.35+ and PostgreSQL).
      const [row] = await db(BATCHES)
        .where({ ...where(ref), batch_no: batchNo, state: 'pending' })
        .update({ state: 'sending', locked_until: until, attempts: db.raw('attempts + 1'), updated_at: Date.now() }, BATCH_COLUMNS);
      return row ? toBatchRecord(row) : null;
    },

    async release(ref, batchNo, reason) {
      await db(BATCHES)
        .where({ ...where(ref), batch_no: batchNo, state: 'sending' })
        .update({ state: 'pending', locked_until: null, error: reason.slice(0, 2000), updated_at: Date.now() });
    },

    async recipients(ref, batchNo) {
      // One statement. On PostgreSQL the subscriber is looked up per delivery (LATERAL with OFFSET 0,
      // which the planner cannot flatten into a join): joined plainly it hashes the whole subscribers
      // table for each batch (a sequential scan: 11 ms at 100k subscribers, ten times that at 1M).
      // SQLite looks each one up by primary key either way. A subscriber erased since planning
      // (GDPR) took their delivery row with them.
      const subscriber = isPostgres(db)
        ? `CROSS JOIN LATERAL (SELECT document_id, email, name, preferred_locale, link_key, state FROM subscribers WHERE subscribers.id = d.subscriber_id OFFSET 0) s`
        : `JOIN subscribers s ON s.id = d.subscriber_id`;
      const result = await db.raw(
        `SELECT d.id AS delivery_id, d.subscriber_id, s.document_id, s.email, s.name, s.preferred_locale, s.link_key, s.state
         FROM ?? d ${subscriber}
         WHERE d.mailing_kind = ? AND d.mailing_id = ? AND d.batch_no = ? AND d.status = 'queued'
         ORDER BY d.id`,
        [DELIVERIES, ref.kind, ref.id, batchNo],
      );
      const rows: Array<Record<string, unknown>> = isPostgres(db) ? result.rows : result;
      return rows.map((row): RecipientRecord => ({
        deliveryId: Number(row.delivery_id),
        subscriberId: Number(row.subscriber_id),
        subscriberDocumentId: row.document_id as string,
        email: row.email as string,
        name: (row.name as string | null) ?? null,
        preferredLocale: (row.preferred_locale as string | null) ?? null,
        linkKey: row.link_key as string,
        state: row.state as string,
      }));
    },

    async variant(ref, variantKey) {
      const row = await db(VARIANTS)
        .where({ ...where(ref), variant_key: variantKey })
        .first('subject', 'html', 'text');
      return (row as RenderedVariant | undefined) ?? null;
    },

    async settle(ref, batchNo, deliveryIds, outcome) {
      if (deliveryIds.length === 0) return 0;
      return db.transaction((trx) => settleIn(trx, ref, batchNo, deliveryIds, outcome));
    },

    async expire(ref, batchNo, reason) {
      return db.transaction(async (trx) => {
        const changed = await settleIn(trx, ref, batchNo, 'queued', { status: 'unknown', error: reason });
        // SendGrid's events may already have accepted every delivery of it (the worker died after the request): then it arrived.
        const state = changed > 0 ? 'unknown' : await stateFromDeliveries(trx, ref, batchNo);
        const now = Date.now();
        await trx(BATCHES)
          .where({ ...where(ref), batch_no: batchNo })
          .whereIn('state', ['pending', 'sending'])
          .update({ state, locked_until: null, error: reason, updated_at: now, unknown_since: state === 'unknown' ? now : null });
        return changed;
      });
    },

    async awaitingResolution(ref) {
      const rows: Array<{ batch_no: number; size: number; unknown_since: unknown }> = await db(BATCHES)
        .where({ ...where(ref), state: 'unknown' })
        .whereNotNull('unknown_since')
        .orderBy('unknown_since')
        .select('batch_no', 'size', 'unknown_since');
      return rows.map((row): AwaitingBatch => ({ batchNo: row.batch_no, recipients: Number(row.size), since: Number(row.unknown_since) }));
    },

    async resend(ref, batchNo, reason) {
      return db.transaction(async (trx) => {
        const reopened = await trx(BATCHES)
          .where({ ...where(ref), batch_no: batchNo, state: 'unknown' })
          .whereNotNull('unknown_since')
          .update({ state: 'pending', unknown_since: null, locked_until: null, error: reason.slice(0, 2000), updated_at: Date.now() });
        if (!reopened) return false;
        const requeued = await trx(DELIVERIES)
          .where({ ...where(ref), batch_no: batchNo, status: 'unknown' })
          .update({ status: 'queued', error: null });
        await moveCounts(trx, ref, { unknown: -requeued, queued: requeued });
        return true;
      });
    },

    close: (ref, batchNo) => closeIn(db, ref, batchNo),

    async settleAndClose(ref, batchNo, deliveryIds, outcome) {
      return db.transaction(async (trx) => {
        const changed = await settleIn(trx, ref, batchNo, deliveryIds, outcome);
        // Anything submitted makes the batch submitted: no need to count its deliveries.
        return closeIn(trx, ref, batchNo, outcome.status === 'submitted' && changed > 0 ? 'submitted' : undefined);
      });
    },

    async openBatches(ref, limit) {
      let query = db(BATCHES).where(where(ref)).whereIn('state', ['pending', 'sending']).select('batch_no', 'state', 'locked_until').orderBy('batch_no');
      if (limit !== undefined) query = query.limit(limit);
      const rows: Array<{ batch_no: number; state: 'pending' | 'sending'; locked_until: unknown }> = await query;
      return rows.map((row): OpenBatch => ({
        batchNo: row.batch_no,
        state: row.state,
        lockedUntil: row.locked_until === null ? null : Number(row.locked_until),
      }));
    },

    async cancel(ref): Promise<CancelOutcome> {
      return db.transaction(async (trx) => {
        const mailings = table(ref.kind).table;
        // Conditional on the state, so a planning transaction in flight is waited for (its row lock) and then seen as sending.
        if ((await trx(mailings).where({ id: ref.id }).whereIn('state', ['draft', 'scheduled']).update({ state: 'cancelled' })) > 0)
          return { outcome: 'cancelled' };
        // Ends a planning under way. On PostgreSQL this waits for a chunk being written that already
        // moved the mailing's counters (its batches are then seen below); a chunk that has not yet
        // finds planning ended and rolls back.
        await trx(mailings).where({ id: ref.id, state: 'sending' }).whereNull('planned_at').update({ planned_at: new Date() });
        const row = await trx(mailings).where({ id: ref.id }).first('state');
        if (!row) return { outcome: 'missing' };
        if (row.state !== 'sending') return { outcome: 'final', state: row.state };
        const pending: Array<{ batch_no: number }> = await trx(BATCHES)
          .where({ ...where(ref), state: 'pending' })
          .select('batch_no');
        const batchNos = pending.map((batch) => batch.batch_no);
        let recipients = 0;
        let batches = 0;
        for (let start = 0; start < batchNos.length; start += BATCH_NOS_PER_STATEMENT) {
          const part = batchNos.slice(start, start + BATCH_NOS_PER_STATEMENT);
          batches += await trx(BATCHES)
            .where({ ...where(ref), state: 'pending' })
            .whereIn('batch_no', part)
            .update({ state: 'cancelled', locked_until: null, updated_at: Date.now() });
          // Only the recipients of batches this cancel stopped: on PostgreSQL a worker may lease one of
          // `part` between the SELECT above and that UPDATE (which then skips it); its recipients are
          // being sent and must settle normally, not be counted as cancelled.
          const stopped = trx(BATCHES)
            .where({ ...where(ref), state: 'cancelled' })
            .whereIn('batch_no', part)
            .select('batch_no');
          recipients += await trx(DELIVERIES)
            .where({ ...where(ref), status: 'queued' })
            .whereIn('batch_no', stopped)
            .update({ status: 'cancelled', error: 'cancelled before it was sent' });
        }
        await moveCounts(trx, ref, { queued: -recipients, cancelled: recipients });
        // Batches of unknown fate are not sent again after a cancel: they stay unknown, no longer awaited.
        await trx(BATCHES)
          .where({ ...where(ref), state: 'unknown' })
          .whereNotNull('unknown_since')
          .update({ unknown_since: null, updated_at: Date.now() });
        const inFlight = await trx(BATCHES)
          .where({ ...where(ref), state: 'sending' })
          .count({ n: '*' })
          .first();
        return { outcome: 'stopping', batches, recipients, inFlight: Number(inFlight?.n ?? 0) };
      });
    },
  };
}
