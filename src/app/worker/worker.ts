/**
 * `npm run worker`: the background worker. Loads Strapi headless (no HTTP server) to reach the
 * database, and processes the BullMQ queues: subscribe/resend requests from the CMS, single
 * transactional mails (confirmation, already subscribed, welcome), the monthly newsletter
 * (sending-jobs.ts), SendGrid's events (feedback-jobs.ts), the daily purge of expired sign-ups and
 * the daily growth snapshot. Several workers may run at
 * once; BullMQ hands each job to one of them, and a job
 * whose worker died is picked up again once its lock expires.
 */
import path from 'node:path';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Knex } from 'knex';
import { APP_ROOT } from '../../settings/app-root';
import { readMailSettings } from '../../settings/mail';
import { readSecret } from '../../settings/secrets';
import { purgeExpiredSubscribers } from '../../gdpr/purge';
import { snapshotDayFor } from '../../growth/counting';
import { takeGrowthSnapshot } from '../../growth/store';
import { createJsonLogger } from '../../core/infra/log';
import { createRedis } from '../../core/infra/redis';
import { checkRedisRequirements } from '../../core/infra/redis-requirements';
import { RateLimiter } from '../../core/infra/rate-limiter';
import { createMailQueue, MAIL_QUEUE, type TransactionalMailJob } from '../../mail/mail-queue';
import { createSendGridProvider } from '../../mail/provider';
import { createMailRenderer, preloadMjml } from '../../mail/renderer';
import { classifySendFailure } from '../../mail/send-failure';
import { sendTransactionalMail, type SubscriberForMail } from '../../mail/transactional-mail';
import { loadStrapi } from '../load-strapi';
import { MAINTENANCE_QUEUE } from '../../core/infra/maintenance-queue';
import { RetryLater, retryDelay } from '../../mail/retry-later';
import { handleSubscriptionRequest } from '../../site/subscription/request-handler';
import { SUBSCRIPTION_REQUEST_QUEUE, type SubscriptionRequestJob } from '../../site/subscription/request-queue';
import { createMailingDeps } from '../mailing-deps';
import { createThreadedPersonalizer } from '../../mail/personalizer';
import { startSendingWorker } from './sending-jobs';
import { SENDING_QUEUE } from '../../mailings/engine/queue';
import { startFeedbackWorker } from './feedback-jobs';
import { FEEDBACK_QUEUE } from '../../mailings/feedback/queue';
import { CONTENT_TYPES } from '../../core/content-types';
import type { Locale } from '../../core/domain/locale';
import { loadWelcomeMail, renderWelcomeMail } from '../../site/welcome/welcome-mail';
import { STORE_EVERY_MS, storePendingOpenings } from '../../site/counts/pending';

export const log = createJsonLogger('worker');

/** The maintenance queue's job that stores yesterday's growth snapshot (every other job there is the purge). */
const GROWTH_SNAPSHOT_JOB = 'growth-snapshot';
/** The maintenance queue's job that writes the item counts the CMS left in Redis (src/site/counts/pending.ts). */
const ITEM_COUNTS_JOB = 'item-counts';

/**
 * The worker process's composition root: builds every queue consumer once on one Redis connection
 * and one Strapi, and on SIGTERM/SIGINT closes them in order (active jobs first, then connections,
 * then Strapi).
 */
export async function startWorker(): Promise<void> {
  const settings = readMailSettings();
  const tokenSecret = readSecret('TOKEN_SECRET');
  const connection = createRedis(settings.redisUrl, 'worker');
  // Before anything is taken from the queues: a Redis that may evict keys loses accepted work.
  await checkRedisRequirements(connection, {
    production: process.env.NODE_ENV === 'production',
    warn: (message) => log('warn', 'redis.requirement', { message }),
  });
  const strapi = await loadStrapi({ compile: false, logLevel: 'warn', ownSignals: true });
  const renderer = createMailRenderer({ templatesDir: path.join(APP_ROOT, 'emails'), organisation: settings.organisation });
  preloadMjml(); // the worker renders every mailing: load MJML now rather than in the first one's planning
  const provider = createSendGridProvider({ apiKey: settings.sendgridApiKey, apiUrl: settings.sendgridApiUrl, timeoutMs: settings.sendgridTimeoutMs });

  // Personalizations are built in a thread of their own: the main thread reads, posts and settles.
  const mailingDeps = createMailingDeps(strapi, log, renderer, undefined, createThreadedPersonalizer);
  const findSubscriber = async (documentId: string): Promise<SubscriberForMail | null> =>
    (await strapi.db.query(CONTENT_TYPES.subscriber).findOne({
      where: { documentId },
      select: ['email', 'name', 'preferredLocale', 'state', 'linkKey'],
    })) as SubscriberForMail | null;
  const welcomeMail = async (locale: Locale) => {
    const model = await loadWelcomeMail(strapi, locale, mailingDeps.settings);
    return model ? renderWelcomeMail(renderer, model) : null;
  };

  const mailWorker = new Worker<TransactionalMailJob>(
    MAIL_QUEUE,
    async (job: Job<TransactionalMailJob>) => {
      const fields = { queue: MAIL_QUEUE, jobId: job.id, kind: job.data.kind, subscriberId: job.data.subscriberId, attempt: job.attemptsMade + 1 };
      try {
        const outcome = await sendTransactionalMail(job.data, {
          findSubscriber,
          renderer,
          send: (mail) => provider.send(mail),
          settings,
          tokenSecret,
          welcomeMail,
        });
        log('info', outcome.sent ? 'mail.submitted' : 'mail.skipped', { ...fields, ...(outcome.sent ? {} : { reason: outcome.reason }) });
        return outcome;
      } catch (error) {
        const failure = classifySendFailure(error, job.attemptsMade + 1);
        if (failure.kind === 'final') {
          log('error', 'mail.refused', { ...fields, status: failure.status, errors: failure.errors });
          throw new UnrecoverableError(`SendGrid ${failure.reason}`);
        }
        log('warn', 'mail.retry', { ...fields, status: failure.status, delayMs: failure.delayMs, reason: failure.reason });
        throw new RetryLater(failure.reason, failure.delayMs);
      }
    },
    {
      connection,
      prefix: settings.redisPrefix,
      concurrency: 4,
      lockDuration: settings.jobLockMs,
      stalledInterval: settings.jobLockMs,
      settings: {
        backoffStrategy: retryDelay,
      },
    },
  );

  // Subscribe and resend requests: every database read and mail decision happens here, not in the
  // CMS's answer (see src/site/subscription/request-queue.ts). The log names no address.
  const mailQueue = createMailQueue(connection, settings.redisPrefix);
  const limiter = new RateLimiter(connection, settings.redisPrefix, tokenSecret);
  const requestWorker = new Worker<SubscriptionRequestJob>(
    SUBSCRIPTION_REQUEST_QUEUE,
    async (job: Job<SubscriptionRequestJob>) => {
      const result = await handleSubscriptionRequest(job.data, { strapi, limiter, mailQueue, limits: settings.limits });
      log('info', 'subscription.request', { queue: SUBSCRIPTION_REQUEST_QUEUE, jobId: job.id, kind: job.data.kind, ...result });
      return result;
    },
    { connection, prefix: settings.redisPrefix, concurrency: 4, lockDuration: settings.jobLockMs, stalledInterval: settings.jobLockMs },
  );

  const maintenanceQueue = new Queue(MAINTENANCE_QUEUE, { connection, prefix: settings.redisPrefix });
  // One schedule for all workers: upserting the same scheduler id is idempotent.
  await maintenanceQueue.upsertJobScheduler(
    'purge-expired-subscribers',
    { pattern: process.env.SUBSCRIBER_PURGE_CRON || '30 3 * * *', tz: process.env.NEWSLETTER_TZ || 'Europe/Amsterdam' },
    { name: 'purge-expired-subscribers', opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
  // Just after midnight the day that ended is complete: its counts are stored (src/growth/).
  const timeZone = process.env.NEWSLETTER_TZ || 'Europe/Amsterdam';
  await maintenanceQueue.upsertJobScheduler(
    GROWTH_SNAPSHOT_JOB,
    { pattern: process.env.GROWTH_SNAPSHOT_CRON || '5 0 * * *', tz: timeZone },
    { name: GROWTH_SNAPSHOT_JOB, opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
  // Every few seconds, from whichever worker takes it: the openings the CMS counted, into the table.
  await maintenanceQueue.upsertJobScheduler(
    ITEM_COUNTS_JOB,
    { every: STORE_EVERY_MS },
    { name: ITEM_COUNTS_JOB, opts: { removeOnComplete: 10, removeOnFail: 100 } },
  );
  const maintenanceWorker = new Worker(
    MAINTENANCE_QUEUE,
    async (job) => {
      if (job.name === ITEM_COUNTS_JOB)
        return { openings: await storePendingOpenings(connection, settings.redisPrefix, strapi.db.connection as unknown as Knex) };
      if (job.name === GROWTH_SNAPSHOT_JOB) {
        const snapshot = await takeGrowthSnapshot(strapi.db.connection as unknown as Knex, snapshotDayFor(new Date(), timeZone), timeZone);
        log('info', 'growth.snapshot', { jobId: job.id, day: snapshot.day, activeTotal: snapshot.activeTotal });
        return { day: snapshot.day };
      }
      const result = await purgeExpiredSubscribers(strapi, settings.retention);
      log('info', 'subscribers.purged', { jobId: job.id, ...result });
      return result;
    },
    { connection, prefix: settings.redisPrefix, concurrency: 1 },
  );

  const sending = await startSendingWorker({
    deps: mailingDeps,
    config: mailingDeps.config,
    connection,
    prefix: settings.redisPrefix,
    lockMs: settings.jobLockMs,
  });
  const feedback = await startFeedbackWorker({
    db: mailingDeps.db,
    engine: mailingDeps.engine,
    log,
    connection,
    prefix: settings.redisPrefix,
    lockMs: settings.jobLockMs,
  });

  for (const worker of [requestWorker, mailWorker, maintenanceWorker, sending.worker, feedback.worker]) {
    worker.on('error', (error) => log('error', 'worker.error', { message: error.message }));
  }
  log('info', 'worker.started', {
    pid: process.pid,
    queues: [SUBSCRIPTION_REQUEST_QUEUE, MAIL_QUEUE, SENDING_QUEUE, FEEDBACK_QUEUE, MAINTENANCE_QUEUE],
    prefix: settings.redisPrefix,
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('info', 'worker.stopping', { signal });
    // Active jobs finish first; then the connections, then Strapi (its destroy clears process listeners).
    await Promise.all([requestWorker.close(), mailWorker.close(), maintenanceWorker.close(), sending.close(), feedback.close()]);
    await Promise.all([maintenanceQueue.close(), mailQueue.close(), mailingDeps.engine.deps.personalizer.close()]);
    await connection.quit().catch(() => undefined);
    await strapi.destroy();
    log('info', 'worker.stopped', {});
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
