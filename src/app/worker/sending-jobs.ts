import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { MailingConfig } from '../../settings/mailings';
import { retryDelay } from '../../mail/retry-later';
import { assembleEdition } from '../../mailings/edition/assemble';
import type { MailingDeps } from '../../mailings/engine/mailing-deps';
import { ONCE, SENDING_QUEUE, enqueueBatches, enqueuePlan, ensureBatchJobs, jobMailing, sendingQueue } from '../../mailings/engine/queue';

/**
 * The sending engine on BullMQ (the queue and its producers: src/mailings/engine/queue.ts): job
 * schedulers for edition assembly (cron, time zone aware) and for the reconciliation tick, and one
 * job per planning and per batch, for every mailing kind the engine has a producer for.
 */
export async function startSendingWorker(options: { deps: MailingDeps; config: MailingConfig; connection: ConnectionOptions; prefix: string; lockMs: number }) {
  const { deps, config, connection, prefix } = options;
  const { engine } = deps;
  const queue = sendingQueue(connection, prefix);
  // Upserting the same scheduler ids from every worker is idempotent: one schedule each.
  await queue.upsertJobScheduler('assemble-edition', { pattern: config.cron, tz: config.timeZone }, { name: 'assemble', opts: ONCE });
  await queue.upsertJobScheduler('reconcile', { every: config.tickMs }, { name: 'tick', opts: ONCE });

  const tick = async () => {
    const work = await engine.reconcile();
    // A planning under way has its job; one whose worker died gets a new one, which resumes it.
    for (const ref of [...work.due, ...work.planning]) await enqueuePlan(queue, ref);
    const requeued = await ensureBatchJobs(queue, work.batches);
    return { due: work.due.length, batches: work.batches.length, requeued };
  };

  const worker = new Worker(
    SENDING_QUEUE,
    async (job: Job) => {
      switch (job.name) {
        case 'assemble':
          // The scheduler's job id is the same for every worker in one firing: one edition per period.
          return assembleEdition(deps, { now: new Date(), periodKey: `schedule:${job.id}` });
        case 'tick':
          return tick();
        case 'plan': {
          const mailing = jobMailing(job.data);
          // Each committed chunk's batches are queued at once: sending starts while planning goes on.
          const result = await engine.plan(mailing, {
            force: job.data.force,
            onBatches: (batchNos) =>
              enqueueBatches(
                queue,
                batchNos.map((batchNo) => ({ mailing, batchNo })),
              ),
          });
          return { ...result, ...('batches' in result ? { batches: result.batches.length } : {}) };
        }
        case 'send-batch':
          return engine.sendBatch(jobMailing(job.data), job.data.batchNo, job.attemptsMade + 1);
        default:
          throw new Error(`unknown sending job ${job.name}`);
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
      settings: { backoffStrategy: retryDelay },
    },
  );
  worker.on('failed', (job, error) =>
    deps.log('error', 'newsletter.job-failed', { jobId: job?.id, name: job?.name, attempts: job?.attemptsMade, message: error.message }),
  );
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
