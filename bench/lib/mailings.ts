import type { Knex } from 'knex';
import type { MailingKind, MailingRef } from '../../src/mailings/engine/mailing';
import { BATCHES, DELIVERIES, VARIANTS } from '../../src/mailings/engine/schema';

/** The mailings a bench run can send: the assembled edition, and the seeded bundle-launch campaign (audience everyone). */
export const BENCH_MAILINGS: readonly MailingKind[] = ['edition', 'campaign'];

/** The seed's draft campaign (database/seed: "Lancering inspiratiebundel Leercultuur"), audience everyone. */
export async function seededCampaign(db: Knex): Promise<MailingRef> {
  const row = (await db('campaigns').orderBy('id').first('id')) as { id: number } | undefined;
  if (!row) throw new Error('the demo seed made no campaign');
  return { kind: 'campaign', id: row.id };
}

const TABLES: Record<MailingKind, { table: string; sendAt: string; idle: string }> = {
  edition: { table: 'editions', sendAt: 'scheduled_at', idle: 'scheduled' },
  campaign: { table: 'campaigns', sendAt: 'send_at', idle: 'draft' },
};

/**
 * Back to before the send, for the next repeat on the same data: the engine's rows of the mailing
 * deleted, its counters zeroed, and the mailing not due (an edition scheduled a day ahead, a
 * campaign a draft), so that the next worker's start-up tick leaves it alone.
 */
export async function resetMailing(db: Knex, ref: MailingRef): Promise<void> {
  const where = { mailing_kind: ref.kind, mailing_id: ref.id };
  const { table, sendAt, idle } = TABLES[ref.kind];
  await db.transaction(async (trx) => {
    for (const engineTable of [DELIVERIES, BATCHES, VARIANTS]) await trx(engineTable).where(where).delete();
    await trx(table)
      .where({ id: ref.id })
      .update({
        state: idle,
        [sendAt]: idle === 'scheduled' ? new Date(Date.now() + 86_400_000) : null,
        recipients_count: 0,
        queued_count: 0,
        submitted_count: 0,
        failed_count: 0,
        suppressed_count: 0,
        unknown_count: 0,
        cancelled_count: 0,
        variants_count: 0,
        planned_at: null,
        sent_at: null,
        notes: null,
      });
  });
}
