import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { seedDemoContent } from '../../database/seed/seed';
import { startMailSink, type MailSink } from '../../scripts/mail-sink/server';
import { MAIL_QUEUE } from '../../src/mail/mail-queue';
import { SUBSCRIPTION_REQUEST_QUEUE } from '../../src/site/subscription/request-queue';
import { createTestDatabase, type TestDatabase } from './database';
import { deleteRedisPrefix, REDIS_URL, testRedisPrefix } from './redis';
import { startStrapi, type TestApp } from './strapi';
import { startWorker, type WorkerProcess } from './worker';

const API_KEY = 'SG.test-key';
const SUBSCRIBER = 'api::subscriber.subscriber';

export interface Response<T> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * The real parts behind the subscription endpoints, for an integration test file: the compiled CMS
 * over HTTP on a fresh database with the demo seed, the SendGrid stand-in, a worker process, and
 * Redis queues under the file's own prefix; plus the requests and waits those tests share.
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
  postForm(url: string, fields: Array<[string, string]>, options?: { redirect?: 'manual' | 'follow'; headers?: Record<string, string> }): Promise<Response<string>>;
  subscribe(email: string, extra?: Record<string, unknown>): Promise<Response<any>>;
  findSubscriber(email: string): Promise<any>;
  allSubscribers(): Promise<any[]>;
  /** Waits until the worker has handled every request and sent every mail (bounded). */
  queuesIdle(timeoutMs?: number): Promise<void>;
  /** Waits for the worker to have stored the address (bounded). */
  waitForSubscriber(email: string, predicate?: (subscriber: any) => boolean): Promise<any>;
  stop(): Promise<void>;
}

export async function startSubscriptionApp(name: string, env: Record<string, string> = {}): Promise<SubscriptionApp> {
  const prefix = testRedisPrefix(name);
  const sink = await startMailSink({ port: 0, apiKey: API_KEY });
  const database: TestDatabase = await createTestDatabase();
  const app = await startStrapi(database, { listen: true, env: { SENDGRID_API_URL: sink.url, SENDGRID_API_KEY: API_KEY, REDIS_PREFIX: prefix, MAIL_JOB_LOCK_MS: '3000', ...env } });
  await seedDemoContent(app.strapi);
  const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  const requestQueue = new Queue(SUBSCRIPTION_REQUEST_QUEUE, { connection: redis, prefix });
  const mailQueue = new Queue(MAIL_QUEUE, { connection: redis, prefix });

  const idle = async (queue: Queue, deadline: number) => {
    for (;;) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).every((n) => n === 0)) return;
      if (Date.now() > deadline) throw new Error(`${queue.name} queue not idle: ${JSON.stringify(counts)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const findSubscriber = (email: string) => app.strapi.db.query(SUBSCRIBER).findOne({ where: { email }, populate: ['consent'] });

  const context: SubscriptionApp = {
    app,
    sink,
    worker: await startWorker(),
    redis,
    requestQueue,
    mailQueue,
    async restartWorker() {
      await context.worker.kill();
      context.worker = await startWorker();
    },
    async stopWorker() {
      await context.worker.kill();
    },
    async postJson(path, body, headers = {}) {
      const response = await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text.startsWith('{') ? JSON.parse(text) : text };
    },
    async postForm(url, fields, options = {}) {
      const response = await fetch(url.startsWith('http') ? url : `${app.url}${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
        body: new URLSearchParams(fields).toString(),
        redirect: options.redirect ?? 'manual',
      });
      return { status: response.status, headers: response.headers, body: await response.text() };
    },
    subscribe: (email, extra = {}) => context.postJson('/api/subscriptions', { email, locale: 'en', themes: ['verandermanagement'], consent: true, ...extra }),
    findSubscriber,
    allSubscribers: () => app.strapi.db.query(SUBSCRIBER).findMany({ orderBy: { id: 'asc' }, populate: ['consent'] }),
    async queuesIdle(timeoutMs = 30_000) {
      // Requests first: handling one may queue a mail.
      const deadline = Date.now() + timeoutMs;
      await idle(requestQueue, deadline);
      await idle(mailQueue, deadline);
    },
    async waitForSubscriber(email, predicate = () => true) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const subscriber = await findSubscriber(email);
        if (subscriber && predicate(subscriber)) return subscriber;
        if (Date.now() > deadline) throw new Error(`${email}: not stored as expected; now ${JSON.stringify(subscriber)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      await context.worker?.kill();
      for (const queue of [requestQueue, mailQueue]) {
        await queue.obliterate({ force: true }).catch(() => undefined);
        await queue.close();
      }
      await redis.quit();
      await deleteRedisPrefix(prefix);
      await app.stop();
      await database.drop();
      await sink.close();
    },
  };
  return context;
}
