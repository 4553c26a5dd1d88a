import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { mailingKey, type MailingRef } from './mailing';

/**
 * The sending engine's jobs on BullMQ, for every mailing kind: one job per planning and per batch,
 * with deterministic ids (re-adding what is queued does nothing), plus the schedulers' jobs (edition
 * assembly, the reconciliation tick). Producers of jobs (worker, CLI, bench) import this; the
 * worker's consumer is src/app/worker/sending-jobs.ts. Jobs carry ids only.
 *
 * The queue's name in Redis stays `newsletter`, its name from before campaigns: a new name would
 * orphan the jobs and schedulers a running deployment has queued under the old one.
 */
export const SENDING_QUEUE = 'newsletter';

export type SendingJob =
  | { name: 'assemble'; data: Record<string, never> }
  | { name: 'tick'; data: Record<string, never> }
  | { name: 'plan'; data: { mailing: MailingRef; force?: boolean } }
  | { name: 'send-batch'; data: { mailing: MailingRef; batchNo: number } };

export const jobIds = {
  plan: (ref: MailingRef) => `plan-${mailingKey(ref).replace(':', '-')}`,
  batch: (ref: MailingRef, batchNo: number) => `send-${mailingKey(ref).replace(':', '-')}-${batchNo}`,
};

export const ONCE: JobsOptions = { removeOnComplete: true, removeOnFail: true };
const BATCH: JobsOptions = { attempts: 10, backoff: { type: 'sendgrid' }, removeOnComplete: true, removeOnFail: true };

export function sendingQueue(connection: ConnectionOptions, prefix: string): Queue {
  return new Queue(SENDING_QUEUE, { connection, prefix });
}

export async function enqueuePlan(queue: Queue, ref: MailingRef, force = false): Promise<void> {
  await queue.add('plan', { mailing: ref, force }, { ...ONCE, jobId: jobIds.plan(ref) });
}

export async function enqueueBatches(queue: Queue, batches: Array<{ mailing: MailingRef; batchNo: number }>): Promise<void> {
  for (let start = 0; start < batches.length; start += 500) {
    await queue.addBulk(
      batches
        .slice(start, start + 500)
        .map(({ mailing, batchNo }) => ({ name: 'send-batch', data: { mailing, batchNo }, opts: { ...BATCH, jobId: jobIds.batch(mailing, batchNo) } })),
    );
  }
}

/**
 * The reconciliation tick's way to (re)queue open batches. Re-adding a job id that Redis still
 * holds does nothing, which is what makes the tick cheap and idempotent, but a job whose hash
 * survived a partial loss of Redis data while its place in the wait list did not (seen when a
 * deployment's keys were deleted under a running worker) would then never run: the batch stayed
 * pending forever. Such an orphan's state reads `unknown`; it is removed and added again. Jobs
 * that wait, run or are delayed for a retry are left as they are.
 */
export async function ensureBatchJobs(queue: Queue, batches: Array<{ mailing: MailingRef; batchNo: number }>): Promise<number> {
  const requeue: Array<{ mailing: MailingRef; batchNo: number }> = [];
  for (const batch of batches) {
    const id = jobIds.batch(batch.mailing, batch.batchNo);
    const state = await queue.getJobState(id);
    if (state !== 'unknown' && state !== 'completed' && state !== 'failed') continue;
    // A job that another worker just locked cannot be removed: it runs, so nothing is lost.
    await queue.remove(id).catch(() => undefined);
    requeue.push(batch);
  }
  await enqueueBatches(queue, requeue);
  return requeue.length;
}

/** Job data written before mailings (`{ editionId }`) still names an edition. */
export function jobMailing(data: { mailing?: MailingRef; editionId?: number }): MailingRef {
  if (data.mailing) return data.mailing;
  if (typeof data.editionId === 'number') return { kind: 'edition', id: data.editionId };
  throw new Error('a sending job without a mailing');
}
