import type { Knex } from 'knex';
import { STATISTIC_COLUMNS } from './delivery-statistics';
import type { AudienceFilter, AudienceSubscriber, MailingRef } from './mailing';
import { COUNTERS, MAILING_TABLES, byMailing as where, counterMoves, pgIntArray } from './knex-tables';
import { BATCHES, DELIVERIES, VARIANTS, isPostgres } from './schema';
import { RECEIVED_DELIVERY_STATUSES } from './mailing-state';
import type { PlanChunk, SendingStore } from './store';
import { parseJson } from './values';

/**
 * The planning half of the engine's Knex store (SQLite and PostgreSQL): the audience scan, the
 * claim, and one transaction per planning chunk (src/mailings/engine/plan.ts). knex-store.ts adds the rest.
 */
export type PlanningStore = Pick<SendingStore, 'subscribers' | 'claimForPlanning' | 'plannedSoFar' | 'writePlanChunk'>;

export function createKnexPlanningStore(db: Knex): PlanningStore {
  const table = (ref: MailingRef) => MAILING_TABLES[ref.kind].table;

  async function insertBatch(trx: Knex.Transaction, ref: MailingRef, batch: PlanChunk['batches'][number]): Promise<void> {
    await trx(BATCHES).insert({
      ...where(ref),
      batch_no: batch.batchNo,
      variant_key: batch.variantKey,
      state: 'pending',
      size: batch.subscriberIds.length,
      attempts: 0,
      updated_at: Date.now(),
    });
    // One statement per batch, the ids as one array parameter: no thousand-row VALUES list to build,
    // bind and parse (knex's multi-row insert cost more than the database's work of storing the rows).
    const columns = '?? (mailing_kind, mailing_id, subscriber_id, batch_no, status)';
    if (isPostgres(trx)) {
      await trx.raw(`INSERT INTO ${columns} SELECT ?, ?, unnest(?::int[]), ?, 'queued'`, [
        DELIVERIES,
        ref.kind,
        ref.id,
        pgIntArray(batch.subscriberIds),
        batch.batchNo,
      ]);
    } else {
      await trx.raw(`INSERT INTO ${columns} SELECT ?, ?, value, ?, 'queued' FROM json_each(?)`, [
        DELIVERIES,
        ref.kind,
        ref.id,
        batch.batchNo,
        JSON.stringify(batch.subscriberIds),
      ]);
    }
  }

  return {
    subscribers: (audience, afterId, limit, unplannedOf) => scan(db, audience, afterId, limit, unplannedOf),

    async claimForPlanning(ref) {
      const zeroed = Object.fromEntries([...Object.values(COUNTERS), ...Object.values(STATISTIC_COLUMNS)].map((column) => [column, 0]));
      return (
        (await db(table(ref))
          .where({ id: ref.id, state: 'scheduled' })
          .update({ state: 'sending', planned_at: null, ...zeroed })) > 0
      );
    },

    async plannedSoFar(ref) {
      const variants: Array<{ variant_key: string }> = await db(VARIANTS).where(where(ref)).select('variant_key');
      const last = await db(BATCHES).where(where(ref)).max({ n: 'batch_no' }).first();
      return { variantKeys: variants.map((row) => row.variant_key), lastBatchNo: Number(last?.n ?? 0) };
    },

    async writePlanChunk(ref, chunk) {
      try {
        await db.transaction(async (trx) => {
          for (const { key, rendered } of chunk.variants) {
            await trx(VARIANTS).insert({
              ...where(ref),
              edition_id: ref.kind === 'edition' ? ref.id : null,
              variant_key: key,
              subject: rendered.subject,
              html: rendered.html,
              text: rendered.text,
            });
          }
          for (const batch of chunk.batches) await insertBatch(trx, ref, batch);
          // Last, so that PostgreSQL holds the mailing row's lock (which settling batches also take) only
          // up to the commit; conditional, so a cancel that ended planning meanwhile rolls the chunk back.
          const moved = await trx(table(ref))
            .where({ id: ref.id, state: 'sending' })
            .whereNull('planned_at')
            .update({
              ...counterMoves(trx, { recipients: chunk.recipients, queued: chunk.recipients, variants: chunk.variants.length }),
              ...(chunk.last ? { planned_at: new Date() } : {}),
            });
          if (!moved) throw new PlanningEnded();
        });
      } catch (error) {
        if (error instanceof PlanningEnded) return false;
        throw error;
      }
      // PostgreSQL has no statistics on the rows just written; without them it may scan the whole
      // mailing per batch. After the first chunk (sending starts then) and once planning is done.
      if (isPostgres(db) && (chunk.sequence === 1 || chunk.last)) await db.raw(`ANALYZE ${DELIVERIES}`);
      return true;
    },
  };
}

/** A planning chunk found its planning ended by a cancel: thrown to roll the chunk back. */
class PlanningEnded extends Error {}

async function scan(db: Knex, audience: AudienceFilter, afterId: number, limit: number, unplannedOf?: MailingRef): Promise<AudienceSubscriber[]> {
  let query = db('subscribers').select('id', 'preferred_locale', 'themes').where('state', 'active').andWhere('id', '>', afterId);
  if (audience.preferredLocale) query = query.andWhere('preferred_locale', audience.preferredLocale);
  if (audience.notReceivedFrom) {
    // The original and its remainders: each reader of the audience gets one of them, once.
    const original = audience.notReceivedFrom;
    const family = db(MAILING_TABLES[original.kind].table).where('id', original.id).orWhere('remainder_of', original.id).select('id');
    query = query.whereNotExists(
      db(DELIVERIES)
        .where('mailing_kind', original.kind)
        .whereIn('mailing_id', family)
        .whereIn('status', RECEIVED_DELIVERY_STATUSES)
        .whereRaw('?? = ??', [`${DELIVERIES}.subscriber_id`, 'subscribers.id'])
        .select(db.raw('1')),
    );
  }
  if (unplannedOf) {
    query = query.whereNotExists(
      db(DELIVERIES)
        .where(where(unplannedOf))
        .whereRaw('?? = ??', [`${DELIVERIES}.subscriber_id`, 'subscribers.id'])
        .select(db.raw('1')),
    );
  }
  const rows: Array<{ id: number; preferred_locale: string | null; themes: unknown }> = await query.orderBy('id', 'asc').limit(limit);
  return rows.map((row) => ({ id: row.id, preferredLocale: row.preferred_locale, themes: parseJson<string[]>(row.themes, []) }));
}
