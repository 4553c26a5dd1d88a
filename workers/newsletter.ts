import { Queue, Worker, type ConnectionOptions, type Job, type JobsOptions } from 'bullmq';
import type { NewsletterConfig } from '../src/config/newsletter';
import { exponentialBackoff } from '../src/mail/send-failure';
import { RetryBatchLater, assembleEdition, planEdition, reconcile, sendBatch, type NewsletterDeps } from '../src/newsletter/pipeline';

/**
 * The newsletter on BullMQ: job schedulers for assembly (cron, time zone aware) and for the
 * reconciliation tick, and one job per planning and per batch with deterministic ids.
 */
export const NEWSLETTER_QUEUE = 'newsletter';

export type NewsletterJob =
  | { name: 'assemble'; data: Record<string, never> }
  | { name: 'tick'; data: Record<string, never> }
  | { name: 'plan'; data: { editionId: number; force?: boolean } }
  | { name: 'send-batch'; data: { editionId: number; batchNo: number } };

export const jobIds = {
  plan: (editionId: number) => `plan-${editionId}`,
  batch: (editionId: number, batchNo: number) => `send-${editionId}-${batchNo}`,
};

const ONCE: JobsOptions = { removeOnComplete: true, removeOnFail: true };
const BATCH: JobsOptions = { attempts: 10, backoff: { type: 'sendgrid' }, removeOnComplete: true, removeOnFail: true };

export function newsletterQueue(connection: ConnectionOptions, prefix: string): Queue {
  return new Queue(NEWSLETTER_QUEUE, { connection, prefix });
}

export async function enqueuePlan(queue: Queue, editionId: number, force = false): Promise<void> {
  await queue.add('plan', { editionId, force }, { ...ONCE, jobId: jobIds.plan(editionId) });
}

export async function enqueueBatches(queue: Queue, batches: Array<{ editionId: number; batchNo: number }>): Promise<void> {
  for (let start = 0; start < batches.length; start += 500) {
    await queue.addBulk(batches.slice(start, start + 500).map(({ editionId, batchNo }) => ({ name: 'send-batch', data: { editionId, batchNo }, opts: { ...BATCH, jobId: jobIds.batch(editionId, batchNo) } })));
  }
}

export async function startNewsletterWorker(options: { deps: NewsletterDeps; config: NewsletterConfig; connection: ConnectionOptions; prefix: string; lockMs: number }) {
  const { deps, config, connection, prefix } = options;
  const queue = newsletterQueue(connection, prefix);
  // Upserting the same scheduler ids from every worker is idempotent: one schedule each.
  await queue.upsertJobScheduler('assemble-edition', { pattern: config.cron, tz: config.timeZone }, { name: 'assemble', opts: ONCE });
  await queue.upsertJobScheduler('reconcile', { every: config.tickMs }, { name: 'tick', opts: ONCE });

  const tick = async () => {
    const work = await reconcile(deps);
    for (const editionId of work.due) await enqueuePlan(queue, editionId);
    await enqueueBatches(queue, work.batches);
    return { due: work.due.length, batches: work.batches.length };
  };

  const worker = new Worker(
    NEWSLETTER_QUEUE,
    async (job: Job) => {
      switch (job.name) {
        case 'assemble':
          // The scheduler's job id is the same for every worker in one firing: one edition per period.
          return assembleEdition(deps, { now: new Date(), periodKey: `schedule:${job.id}` });
        case 'tick':
          return tick();
        case 'plan': {
          const result = await planEdition(deps, job.data.editionId, { force: job.data.force });
          if (result.outcome === 'planned') await enqueueBatches(queue, result.batches.map((batchNo) => ({ editionId: job.data.editionId, batchNo })));
          return result;
        }
        case 'send-batch':
          return sendBatch(deps, job.data.editionId, job.data.batchNo, job.attemptsMade + 1);
        default:
          throw new Error(`unknown newsletter job ${job.name}`);
      }
    },
    {
      connection,
      prefix,
      concurrency: config.concurrency,
      // A job whose worker died goes back to the queue once its lock expires.
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      ...(config.requestsPerSecond > 0 ? { limiter: { max: config.requestsPerSecond, duration: 1000 } } : {}),
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) => (error instanceof RetryBatchLater ? error.delayMs : exponentialBackoff(attemptsMade)),
      },
    },
  );
  worker.on('failed', (job, error) => deps.log('error', 'newsletter.job-failed', { jobId: job?.id, name: job?.name, attempts: job?.attemptsMade, message: error.message }));
  // Rebuild the queue from the database right away (after a crash or a lost Redis).
  await tick();
  return {
    queue,
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
