import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import type { MailSink } from '../../scripts/mail-sink/server';
import { MAIL_QUEUE } from '../../src/mail/mail-queue';
import { SUBSCRIPTION_REQUEST_QUEUE } from '../../src/site/subscription/request-queue';
import { useCms } from './harness';
import { REDIS_URL } from './redis';
import type { TestApp } from './strapi';
import type { WorkerProcess } from './worker';

const SUBSCRIBER = 'api::subscriber.subscriber';

export interface Response<T> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * The real parts behind the subscription endpoints, for an integration test file: the CMS over HTTP
 * with the demo seed, the SendGrid stand-in, a worker process, and Redis queues under the file's own
 * prefix; plus the requests and waits those tests share.
 */
export interface SubscriptionApp {
  app: TestApp;
  sink: MailSink;
  worker: WorkerProcess;
  redis: IORedis;
  requestQueue: Queue;
  mailQueue: Queue;
  restartWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  postJson(path: string, body: unknown, headers?: Record<string, string>): Promise<Response<any>>;
  postForm(
    url: string,
    fields: Array<[string, string]>,
    options?: { redirect?: 'manual' | 'follow'; headers?: Record<string, string> },
  ): Promise<Response<string>>;
  subscribe(email: string, extra?: Record<string, unknown>): Promise<Response<any>>;
  findSubscriber(email: string): Promise<any>;
  allSubscribers(): Promise<any[]>;
  /** Waits until the worker has handled every request and sent every mail (bounded). */
  queuesIdle(timeoutMs?: number): Promise<void>;
  /** Waits for the worker to have stored the address (bounded). */
  waitForSubscriber(email: string, predicate?: (subscriber: any) => boolean): Promise<any>;
}

/**
 * The harness (useCms) with what the subscription files share: the demo seed, a worker, the
 * stand-in, and the two queues under the file's own Redis prefix. Call it once at the top of the
 * file; the SubscriptionApp is there from the first beforeAll on, and is taken down after the file.
 */
export function useSubscriptionApp(name: string, env: Record<string, string> = {}): SubscriptionApp {
  const cms = useCms({ name, listen: true, seed: true, worker: true, env: { MAIL_JOB_LOCK_MS: '3000', ...env } });
  const context = {} as SubscriptionApp;
  let redis: IORedis | undefined;
  const queues: Queue[] = [];

  beforeAll(() => {
    const prefix = cms.redisPrefix;
    const app = cms.app;
    const sink = cms.sink;
    redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    const requestQueue = new Queue(SUBSCRIPTION_REQUEST_QUEUE, { connection: redis, prefix });
    const mailQueue = new Queue(MAIL_QUEUE, { connection: redis, prefix });
    queues.push(requestQueue, mailQueue);
    const idle = async (queue: Queue, deadline: number) => {
      for (;;) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(counts).every((n) => n === 0)) return;
        if (Date.now() > deadline) throw new Error(`${queue.name} queue not idle: ${JSON.stringify(counts)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const findSubscriber = (email: string) => app.strapi.db.query(SUBSCRIBER).findOne({ where: { email }, populate: ['consent'] });

    Object.assign(context, {
      app,
      sink,
      worker: cms.worker,
      redis,
      requestQueue,
      mailQueue,
      async restartWorker() {
        await context.worker.kill();
        context.worker = await cms.startWorker();
      },
      async stopWorker() {
        await context.worker.kill();
      },
      async postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
        const response = await fetch(`${app.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        });
        const text = await response.text();
        return { status: response.status, headers: response.headers, body: text.startsWith('{') ? JSON.parse(text) : text };
      },
      async postForm(url: string, fields: Array<[string, string]>, options: { redirect?: 'manual' | 'follow'; headers?: Record<string, string> } = {}) {
        const response = await fetch(url.startsWith('http') ? url : `${app.url}${url}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
          body: new URLSearchParams(fields).toString(),
          redirect: options.redirect ?? 'manual',
        });
        return { status: response.status, headers: response.headers, body: await response.text() };
      },
      subscribe: (email: string, extra: Record<string, unknown> = {}) =>
        context.postJson('/api/subscriptions', { email, locale: 'en', themes: ['verandermanagement'], consent: true, ...extra }),
      findSubscriber,
      allSubscribers: () => app.strapi.db.query(SUBSCRIBER).findMany({ orderBy: { id: 'asc' }, populate: ['consent'] }),
      async queuesIdle(timeoutMs = 30_000) {
        // Requests first: handling one may queue a mail.
        const deadline = Date.now() + timeoutMs;
        await idle(requestQueue, deadline);
        await idle(mailQueue, deadline);
      },
      async waitForSubscriber(email: string, predicate: (subscriber: any) => boolean = () => true) {
        const deadline = Date.now() + 30_000;
        for (;;) {
          const subscriber = await findSubscriber(email);
          if (subscriber && predicate(subscriber)) return subscriber;
          if (Date.now() > deadline) throw new Error(`${email}: not stored as expected; now ${JSON.stringify(subscriber)}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      },
    } satisfies SubscriptionApp);
  });

  afterAll(async () => {
    // The worker first (the harness stops it too): it must not take jobs from queues being removed.
    await context.worker?.kill();
    for (const queue of queues.splice(0)) {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    await redis?.quit();
  });
  return context;
}
