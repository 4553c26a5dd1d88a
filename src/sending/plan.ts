import { BatchPlanner, type Batch } from './batching';
import { clock, producerFor, type EngineDeps } from './deps';
import { finishIfDone } from './finish';
import { isNothingToSend, mailingKey, type MailingRef } from './mailing';
import { isMailingRefusal } from './refusal';

export type PlanResult =
  | { outcome: 'planned'; batches: number[]; recipients: number; variants: number }
  | { outcome: 'not-due' | 'not-scheduled' | 'missing' | 'nothing' };

/** Subscribers per keyset page of the planning scan. */
export const PAGE_SIZE = 5000;

/**
 * Claims a due mailing and plans it: one keyset scan of the active subscribers (narrowed by the
 * audience's filter), a variant per key the producer gives (rendered once, stored), delivery
 * records and batches of at most `batchSize` recipients of one variant, in one transaction.
 * Subscribers the producer puts outside the audience get no delivery at all.
 */
export async function planMailing(deps: EngineDeps, ref: MailingRef, options: { force?: boolean } = {}): Promise<PlanResult> {
  const { store } = deps;
  const mailing = await store.mailing(ref);
  if (!mailing) return { outcome: 'missing' };
  if (mailing.state !== 'scheduled') return { outcome: 'not-scheduled' };
  if (!options.force && mailing.sendAt && mailing.sendAt.getTime() > clock(deps)) return { outcome: 'not-due' };

  let prepared;
  try {
    prepared = await producerFor(deps, ref.kind).prepare(mailing);
  } catch (error) {
    if (!isMailingRefusal(error)) throw error;
    // A refusal does not go away by trying again: the mailing ends failed and says why.
    prepared = { nothing: { state: 'failed' as const, note: error.message } };
  }
  if (isNothingToSend(prepared)) {
    if (await store.endUnplanned(ref, prepared.nothing.state, prepared.nothing.note)) deps.log('warn', `mailing.${prepared.nothing.state}`, { mailing: mailingKey(ref), note: prepared.nothing.note });
    return { outcome: 'nothing' };
  }
  const source = prepared;

  const planned = await store.plan(ref, async (session) => {
    const planner = new BatchPlanner<number>(deps.settings.batchSize);
    const variants = new Set<string>();
    const batches: number[] = [];
    const write = async (batch: Batch<number>) => {
      const batchNo = batches.length + 1;
      batches.push(batchNo);
      await session.addBatch(batchNo, batch.variant, batch.recipients);
    };
    let recipients = 0;
    let lastId = 0;
    for (;;) {
      const page = await session.subscribers(source.audience, lastId, PAGE_SIZE);
      if (page.length === 0) break;
      for (const subscriber of page) {
        const key = source.variantFor(subscriber);
        if (key === null) continue;
        if (!variants.has(key)) {
          variants.add(key);
          await session.addVariant(key, await source.render(key));
        }
        recipients += 1;
        const full = planner.add(key, subscriber.id);
        if (full) await write(full);
      }
      lastId = page[page.length - 1].id;
    }
    for (const rest of planner.flush()) await write(rest);
    return { batches, recipients, variants: variants.size };
  });
  if (!planned) return { outcome: 'not-scheduled' };
  deps.log('info', 'mailing.planned', { mailing: mailingKey(ref), recipients: planned.recipients, batches: planned.batches.length, variants: planned.variants });
  if (planned.batches.length === 0) await finishIfDone(deps, ref);
  return { outcome: 'planned', ...planned };
}
