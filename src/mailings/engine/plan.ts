import { BatchPlanner, type Batch } from './batching';
import { clock, producerFor, type EngineDeps } from './deps';
import { finishIfDone } from './finish';
import { isNothingToSend, isPlanning, mailingKey, scanAudience, type MailingRef, type PreparedMailing } from './mailing';
import { isMailingRefusal } from './refusal';
import type { PlanChunk } from './store';

export type PlanResult =
  /** `batches`: the batches this planning wrote (a resumed planning: only those it added). */
  | { outcome: 'planned'; batches: number[]; recipients: number; variants: number }
  /** A cancel ended the planning: what was committed before it is cancelled or settles. */
  | { outcome: 'cancelled'; batches: number[] }
  | { outcome: 'not-due' | 'not-scheduled' | 'missing' | 'nothing' };

export interface PlanOptions {
  /** Plan a scheduled mailing even if its send time has not come. */
  force?: boolean;
  /** Called with the batches of each committed chunk, so they can be sent while planning goes on. */
  onBatches?: (batchNos: number[]) => Promise<void>;
}

/** Subscribers per keyset page of the planning scan. */
export const PAGE_SIZE = 5000;
/**
 * Subscribers scanned per committed chunk of planning. Sending starts after the first chunk, so a
 * million recipients no longer wait for one long planning transaction (13-15 s on PostgreSQL) before
 * the first request; small enough that a chunk holds its locks briefly, large enough that its commit
 * is cheap beside its rows.
 */
export const CHUNK_SIZE = 20_000;

/**
 * Claims a due mailing and plans it: one keyset scan of the active subscribers (narrowed by the
 * audience's filter), a variant per key the producer gives (rendered once, stored), delivery
 * records and batches of at most `batchSize` recipients of one variant. It is written in chunks,
 * each in one transaction, and every chunk's batches can be sent at once (`onBatches`); the
 * mailing cannot finish until the last chunk says planning is done. Subscribers the producer puts
 * outside the audience get no delivery at all.
 *
 * A planning that stopped half-way (a worker died) is resumed by planning it again: it scans for
 * audience members without a delivery of this mailing, so nobody is planned twice and nobody is
 * left out. The recipients a partly filled batch held in memory are found again that way.
 */
export async function planMailing(deps: EngineDeps, ref: MailingRef, options: PlanOptions = {}): Promise<PlanResult> {
  const { store } = deps;
  const mailing = await store.mailing(ref);
  if (!mailing) return { outcome: 'missing' };
  const resuming = isPlanning(mailing);
  if (!resuming) {
    if (mailing.state !== 'scheduled') return { outcome: 'not-scheduled' };
    if (!options.force && mailing.sendAt && mailing.sendAt.getTime() > clock(deps)) return { outcome: 'not-due' };
  }

  let prepared;
  try {
    prepared = await producerFor(deps, ref.kind).prepare(mailing);
  } catch (error) {
    if (!isMailingRefusal(error)) throw error;
    // A refusal does not go away by trying again: the mailing ends failed and says why.
    prepared = { nothing: { state: 'failed' as const, note: error.message } };
  }
  if (isNothingToSend(prepared)) {
    if (resuming) {
      // Its content changed since planning began: what was planned goes out, nobody more is added.
      deps.log('warn', 'mailing.planning-stopped', { mailing: mailingKey(ref), note: prepared.nothing.note });
      await store.writePlanChunk(ref, { sequence: 0, variants: [], batches: [], recipients: 0, last: true });
      await finishIfDone(deps, ref);
      return { outcome: 'nothing' };
    }
    if (await store.endUnplanned(ref, prepared.nothing.state, prepared.nothing.note))
      deps.log('warn', `mailing.${prepared.nothing.state}`, { mailing: mailingKey(ref), note: prepared.nothing.note });
    return { outcome: 'nothing' };
  }

  if (!resuming && !(await store.claimForPlanning(ref))) return { outcome: 'not-scheduled' };
  if (resuming) deps.log('warn', 'mailing.planning-resumed', { mailing: mailingKey(ref) });
  const result = await writeChunks(deps, ref, { ...prepared, audience: scanAudience(mailing, prepared.audience) }, resuming, options.onBatches);
  if (result.outcome === 'planned')
    deps.log('info', 'mailing.planned', {
      mailing: mailingKey(ref),
      recipients: result.recipients,
      batches: result.batches.length,
      variants: result.variants,
      ...(resuming ? { resumed: true } : {}),
    });
  else deps.log('info', 'mailing.planning-cancelled', { mailing: mailingKey(ref), batches: result.batches.length });
  // The last batch may have been sent before planning ended; then nobody else finishes the mailing.
  await finishIfDone(deps, ref);
  return result;
}

async function writeChunks(
  deps: EngineDeps,
  ref: MailingRef,
  source: PreparedMailing,
  resuming: boolean,
  onBatches?: (batchNos: number[]) => Promise<void>,
): Promise<Extract<PlanResult, { batches: number[] }>> {
  const { store } = deps;
  const before = resuming ? await store.plannedSoFar(ref) : { variantKeys: [], lastBatchNo: 0 };
  const variants = new Set<string>(before.variantKeys);
  const planner = new BatchPlanner<number>(deps.settings.batchSize);
  const written: number[] = [];
  let nextBatchNo = before.lastBatchNo + 1;
  let recipients = 0;
  let sequence = 0;
  let chunk: PlanChunk = { sequence, variants: [], batches: [], recipients: 0, last: false };
  const add = (batch: Batch<number>) => chunk.batches.push({ batchNo: nextBatchNo++, variantKey: batch.variant, subscriberIds: batch.recipients });

  const chunkSize = deps.settings.planChunkSize ?? CHUNK_SIZE;
  const pageSize = Math.min(PAGE_SIZE, chunkSize);
  let lastId = 0;
  let scanned = 0;
  for (let done = false; !done;) {
    const page = await store.subscribers(source.audience, lastId, pageSize, resuming ? ref : undefined);
    done = page.length < pageSize;
    for (const subscriber of page) {
      const key = source.variantFor(subscriber);
      if (key === null) continue;
      if (!variants.has(key)) {
        variants.add(key);
        chunk.variants.push({ key, rendered: await source.render(key) });
      }
      const full = planner.add(key, subscriber.id);
      if (full) add(full);
    }
    if (page.length > 0) lastId = page[page.length - 1].id;
    scanned += page.length;
    if (!done && scanned < chunkSize) continue;
    if (done) {
      for (const rest of planner.flush()) add(rest);
      chunk.last = true;
    }
    chunk.sequence = ++sequence;
    // Counted as written: recipients of a batch still filling belong to the chunk that writes it.
    chunk.recipients = chunk.batches.reduce((sum, batch) => sum + batch.subscriberIds.length, 0);
    if (!(await store.writePlanChunk(ref, chunk))) return { outcome: 'cancelled', batches: written };
    const batchNos = chunk.batches.map((batch) => batch.batchNo);
    written.push(...batchNos);
    recipients += chunk.recipients;
    if (onBatches && batchNos.length > 0) await onBatches(batchNos);
    chunk = { sequence, variants: [], batches: [], recipients: 0, last: false };
    scanned = 0;
  }
  return { outcome: 'planned', batches: written, recipients, variants: variants.size };
}
