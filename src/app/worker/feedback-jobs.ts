import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Knex } from 'knex';
import { applyFeedback } from '../../mailings/feedback/apply';
import { createKnexFeedbackStore } from '../../mailings/feedback/knex-store';
import { FEEDBACK_QUEUE, feedbackQueue, type FeedbackJob } from '../../mailings/feedback/queue';
import type { Logger } from '../../core/infra/log';
import type { SendingEngine } from '../../mailings/engine/engine';
import { mailingKey } from '../../mailings/engine/mailing';

/** Event ids are kept this long: SendGrid redelivers a post for 24 hours. */
const KEEP_EVENT_IDS_MS = 3 * 24 * 3_600_000;

/**
 * Applies SendGrid's events (posted to the CMS's webhook, queued by it): delivery rows, statistics,
 * suppressions, and batches of unknown fate that turn out to have arrived (their mailing may then
 * be finished). Hourly, forgets event ids older than three days.
 */
export async function startFeedbackWorker(options: {
  db: Knex;
  engine: SendingEngine;
  log: Logger;
  connection: ConnectionOptions;
  prefix: string;
  lockMs: number;
}) {
  const { engine, log } = options;
  const store = createKnexFeedbackStore(options.db);
  const queue = feedbackQueue(options.connection, options.prefix);
  await queue.upsertJobScheduler('forget-event-ids', { every: 3_600_000 }, { name: 'forget', opts: { removeOnComplete: true, removeOnFail: true } });

  const worker = new Worker<FeedbackJob>(
    FEEDBACK_QUEUE,
    async (job: Job<FeedbackJob>) => {
      if (job.name === 'forget') return { forgotten: await store.forgetEvents(Date.now() - KEEP_EVENT_IDS_MS) };
      const started = performance.now();
      const result = await applyFeedback(store, job.data.events ?? []);
      // The transaction's time (bench/README.md, "npm run bench:feedback"); finishing resolved mailings comes after.
      const ms = Math.round(performance.now() - started);
      for (const ref of result.resolved) await engine.finish(ref);
      const { resolved, ...counts } = result;
      log(counts.unmatched > 0 ? 'warn' : 'info', 'feedback.applied', { jobId: job.id, ...counts, resolvedMailings: resolved.map(mailingKey), ms });
      return counts;
    },
    // Two at once: posts arrive in bursts during a large send; more would only wait on each other's rows.
    { connection: options.connection, prefix: options.prefix, concurrency: 2, lockDuration: options.lockMs, stalledInterval: options.lockMs },
  );
  worker.on('failed', (job, error) => log('error', 'feedback.job-failed', { jobId: job?.id, attempts: job?.attemptsMade, message: error.message }));
  return {
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
