/**
 * Nothing accepted is lost: what the product answered 2xx for survives a restart of Redis or of
 * PostgreSQL, and a send goes on exactly once. This file runs its own Redis (AOF on, as production
 * must) and, on PostgreSQL runs, its own PostgreSQL cluster, since it restarts them; the machine's
 * servers serve everyone else. One CMS over HTTP, real workers, the SendGrid stand-in.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoContent } from '../../database/seed/seed';
import { startMailSink, type MailSink } from '../../scripts/mail-sink/server';
import { createScratchDatabase } from '../../scripts/lib/scratch-database';
import { workerCommand } from '../../scripts/lib/worker-command';
import { createCampaign } from '../../src/mailings/campaign/create';
import { createJsonLogger } from '../../src/core/infra/log';
import { createFakeSubscribers } from '../../src/ops/fake-subscribers';
import { createMailingDeps } from '../../src/app/mailing-deps';
import type { MailingRef } from '../../src/mailings/engine/mailing';
import { enqueuePlan, sendingQueue } from '../../src/mailings/engine/queue';
import { SUBSCRIPTION_REQUEST_QUEUE } from '../../src/site/subscription/request-queue';
import { MAIL_QUEUE } from '../../src/mail/mail-queue';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { canRunPostgresCluster, startPostgresCluster, startRedisServer, type PostgresCluster, type RedisServer } from '../support/private-services';
import { startStrapi, type TestApp } from '../support/strapi';
import { newsletterCli } from '../support/newsletter-cli';
import { until } from '../support/until';
import { startWorker, type WorkerProcess } from '../support/worker';

const APP_ROOT = path.resolve(__dirname, '..', '..');
const API_KEY = 'SG.accepted-work';
const PREFIX = 'np-faults';
const onPostgres = process.env.DATABASE_CLIENT === 'postgres';
const quiet = createJsonLogger('test', () => undefined);
/** A lease longer than any outage here: a 202 must be recorded because it is known, not because nobody else took the batch yet. */
const workerEnv = {
  NEWSLETTER_BATCH_SIZE: '100',
  NEWSLETTER_TICK_MS: '1000',
  NEWSLETTER_LEASE_MS: '120000',
  NEWSLETTER_CRON: '0 9 * * 2#1',
  MAIL_JOB_LOCK_MS: '5000',
};

let redis: RedisServer;
let cluster: PostgresCluster | undefined;
let database: TestDatabase;
let sink: MailSink;
let app: TestApp;
let db: Knex;
let queues: IORedis;
const workers: WorkerProcess[] = [];

async function spawnWorker(env: Record<string, string> = {}): Promise<WorkerProcess> {
  const worker = await startWorker({ ...workerEnv, ...env });
  workers.push(worker);
  return worker;
}

beforeAll(async () => {
  redis = await startRedisServer({ aof: true });
  if (onPostgres && canRunPostgresCluster) {
    cluster = await startPostgresCluster();
    database = await createScratchDatabase({ client: 'postgres', purpose: 'tests', postgresUrl: cluster.url });
  } else {
    database = await createTestDatabase();
  }
  sink = await startMailSink({ port: 0, apiKey: API_KEY, maxStored: 50_000 });
  app = await startStrapi(database, {
    listen: true,
    env: {
      REDIS_URL: redis.url,
      REDIS_PREFIX: PREFIX,
      SENDGRID_API_URL: sink.url,
      SENDGRID_API_KEY: API_KEY,
      SUBSCRIBE_LIMIT_PER_IP_HOUR: '1000',
      ...workerEnv,
    },
  });
  db = app.strapi.db.connection as unknown as Knex;
  await seedDemoContent(app.strapi);
  queues = new IORedis(redis.url, { maxRetriesPerRequest: null });
}, 300_000);

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.kill()));
  sink.clearFaults();
  sink.reset();
});

afterAll(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.kill()));
  queues?.disconnect();
  await app?.stop();
  await database?.drop().catch(() => undefined);
  await cluster?.destroy();
  await sink?.close();
  await redis?.stop();
});

/** Messages per address at the stand-in. */
function receivedPerAddress(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const recipient of sink.recipients()) counts.set(recipient.email, (counts.get(recipient.email) ?? 0) + 1);
  return counts;
}

/** A database probe that counts a database being away as "not yet". */
const probe =
  <T>(read: () => Promise<T>) =>
  async () => {
    try {
      return await read();
    } catch {
      return undefined;
    }
  };

describe('sign-ups accepted while the worker is stopped', () => {
  it('200 sign-ups answered 202, Redis restarted, worker started: all 200 stored and each mailed once', async () => {
    const addresses = Array.from({ length: 200 }, (_, i) => `accepted.${i}@example.org`);
    for (let start = 0; start < addresses.length; start += 20) {
      const answers = await Promise.all(
        addresses.slice(start, start + 20).map((email) =>
          fetch(`${app.url}/api/subscriptions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email, locale: 'nl', themes: [], consent: true }),
          }),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 202));
    }
    // Accepted, not yet stored: only Redis holds them.
    expect(Number((await db('subscribers').whereIn('email', addresses).count({ n: '*' }).first())?.n)).toBe(0);

    await redis.restart();
    await spawnWorker();
    await until(
      '200 sign-ups stored',
      probe(async () => Number((await db('subscribers').whereIn('email', addresses).where({ state: 'pending' }).count({ n: '*' }).first())?.n) === 200),
      90_000,
    );
    await until('200 confirmation mails', async () => receivedPerAddress().size >= 200, 90_000);
    const requestQueue = new Queue(SUBSCRIPTION_REQUEST_QUEUE, { connection: queues, prefix: PREFIX });
    const mailQueue = new Queue(MAIL_QUEUE, { connection: queues, prefix: PREFIX });
    await until('queues idle', async () => {
      const counts = [await requestQueue.getJobCounts('waiting', 'active', 'delayed'), await mailQueue.getJobCounts('waiting', 'active', 'delayed')];
      return counts.every((c) => Object.values(c).every((n) => n === 0));
    });
    await Promise.all([requestQueue.close(), mailQueue.close()]);
    const received = receivedPerAddress();
    for (const email of addresses) expect(received.get(email), email).toBe(1);
  }, 240_000);
});

describe('a send goes on exactly once when a server restarts mid-send', () => {
  beforeAll(async () => {
    await createFakeSubscribers(db, { count: 1500, localeMix: true, themesRandom: false, themes: [] });
  });

  async function startCampaign(label: string): Promise<MailingRef> {
    const { id } = await createCampaign(app.strapi, { title: `${label} ${Date.now().toString(36)}`, features: ['inspiratiebundel-leercultuur'] });
    const ref: MailingRef = { kind: 'campaign', id };
    await createMailingDeps(app.strapi, quiet).engine.schedule(ref, 'now');
    const queue = sendingQueue(queues, PREFIX);
    await enqueuePlan(queue, ref, true);
    await queue.close();
    return ref;
  }

  const campaign = (ref: MailingRef) => db('campaigns').where({ id: ref.id }).first();
  /** Mid-send: some of it submitted, less than half. */
  const partlySubmitted = (ref: MailingRef) =>
    until('some of it submitted', async () => {
      const row = await campaign(ref);
      return Number(row.submitted_count) > 0 && Number(row.submitted_count) < Number(row.recipients_count) / 2;
    });

  async function expectEveryoneOnce(ref: MailingRef) {
    const active = (await db('subscribers').where({ state: 'active' }).select('email')).map((row: { email: string }) => row.email);
    const received = receivedPerAddress();
    const twice = [...received.entries()].filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
    expect(active.filter((email) => !received.has(email))).toEqual([]);
    const final = await campaign(ref);
    expect(final.state).toBe('sent');
    expect({ submitted: Number(final.submitted_count), unknown: Number(final.unknown_count), queued: Number(final.queued_count) }).toEqual({
      submitted: active.length,
      unknown: 0,
      queued: 0,
    });
  }

  it('Redis restarted mid-send: every reader receives the campaign once and it ends sent', async () => {
    sink.setFaults({ delayMs: 200 });
    const ref = await startCampaign('redis-restart');
    await spawnWorker({ NEWSLETTER_CONCURRENCY: '2' });
    await partlySubmitted(ref);
    await redis.restart();
    sink.clearFaults();
    await until('campaign sent', async () => (await campaign(ref)).state === 'sent', 120_000);
    await expectEveryoneOnce(ref);
  }, 240_000);

  it('a worker stopped with SIGTERM mid-send finishes the batches in flight first: nothing it sent is left to count as unknown', async () => {
    // Requests take two seconds: the stop comes while batches are at SendGrid.
    sink.setFaults({ delayMs: 2000 });
    const ref = await startCampaign('graceful-stop');
    const worker = await spawnWorker({ NEWSLETTER_CONCURRENCY: '2' });
    await until(
      'a batch at SendGrid',
      async () =>
        Number((await db('newsletter_batches').where({ mailing_kind: 'campaign', mailing_id: ref.id, state: 'sending' }).count({ n: '*' }).first())?.n) > 0,
    );
    await worker.kill('SIGTERM');
    workers.splice(workers.indexOf(worker), 1);
    expect(worker.events.some((event) => event.event === 'worker.stopped')).toBe(true);
    // Whatever it had leased is settled: nothing waits for its lease to run out.
    expect(
      Number((await db('newsletter_batches').where({ mailing_kind: 'campaign', mailing_id: ref.id, state: 'sending' }).count({ n: '*' }).first())?.n),
    ).toBe(0);
    sink.clearFaults();
    await spawnWorker();
    await until('campaign sent', async () => (await campaign(ref)).state === 'sent', 120_000);
    await expectEveryoneOnce(ref);
  }, 240_000);

  it.runIf(onPostgres && canRunPostgresCluster)(
    'PostgreSQL restarted mid-send: the 202s that came while it was away are recorded, nobody twice, sent within a minute of its return',
    async () => {
      // Requests take a second, so that SendGrid answers some of them while the database is away.
      sink.setFaults({ delayMs: 1000 });
      const ref = await startCampaign('postgres-restart');
      await spawnWorker({ NEWSLETTER_CONCURRENCY: '4' });
      await partlySubmitted(ref);
      await cluster!.stop();
      await new Promise((resolve) => setTimeout(resolve, 4000));
      await cluster!.start();
      const back = Date.now();
      sink.clearFaults();
      await until(
        'campaign sent within a minute of the database coming back',
        probe(async () => (await campaign(ref)).state === 'sent'),
        60_000,
      );
      console.log(`[faults] PostgreSQL restart: campaign sent ${Date.now() - back} ms after the database came back`);
      await expectEveryoneOnce(ref);
      expect(workers[0].events.some((event) => event.event === 'batch.record-waiting')).toBe(true);
    },
    240_000,
  );
});

describe('the CMS, the worker and the CLI write to the same database at once', () => {
  it("under a send and sign-ups, editors' saves and two CLI campaign creations all succeed", async () => {
    sink.setFaults({ delayMs: 50 });
    const { id } = await createCampaign(app.strapi, { title: `lock ${Date.now().toString(36)}`, features: ['inspiratiebundel-leercultuur'] });
    const ref: MailingRef = { kind: 'campaign', id };
    await createMailingDeps(app.strapi, quiet).engine.schedule(ref, 'now');
    await spawnWorker({ NEWSLETTER_CONCURRENCY: '4' });
    const cli = (title: string) =>
      newsletterCli(['campaign', 'create', '--title', title, '--feature', 'inspiratiebundel-leercultuur', '--json'], {
        REDIS_URL: redis.url,
        REDIS_PREFIX: PREFIX,
      });
    const saves = async () => {
      const articles = app.strapi.documents('api::article.article');
      for (let i = 0; i < 40; i += 1)
        await articles.create({
          locale: 'nl',
          data: { title: `Gelijktijdig ${i}`, slug: `gelijktijdig-${Date.now().toString(36)}-${i}`, summary: 's', body: 'b', publicationDate: '2026-12-01' },
        } as never);
    };
    const signUps = async () => {
      for (let i = 0; i < 40; i += 1) {
        const answer = await fetch(`${app.url}/api/subscriptions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `lock.${i}@example.org`, locale: 'en', themes: [], consent: true }),
        });
        expect(answer.status).toBe(202);
      }
    };
    const [first, second] = await Promise.all([cli('Gelijktijdig A'), cli('Gelijktijdig B'), saves(), signUps()]);
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: expect.not.stringMatching(/locked/) });
    expect({ code: second.code, stderr: second.stderr }).toEqual({ code: 0, stderr: expect.not.stringMatching(/locked/) });
    expect(Number((await db('campaigns').whereIn('title', ['Gelijktijdig A', 'Gelijktijdig B']).count({ n: '*' }).first())?.n)).toBe(2);
    expect(Number((await db('articles').where('title', 'like', 'Gelijktijdig %').count({ n: '*' }).first())?.n)).toBe(40);
    await until(
      '40 sign-ups stored',
      async () => Number((await db('subscribers').where('email', 'like', 'lock.%@example.org').count({ n: '*' }).first())?.n) === 40,
      60_000,
    );
    await until('campaign sent', async () => (await db('campaigns').where({ id }).first()).state === 'sent', 120_000);
    expect(workers[0].events.filter((event) => event.level === 'error')).toEqual([]);
  }, 300_000);
});

describe('a production start refuses a Redis that may evict keys', () => {
  let evicting: RedisServer;
  beforeAll(async () => {
    evicting = await startRedisServer({ aof: false, maxmemoryPolicy: 'allkeys-lru' });
  });
  afterAll(async () => {
    await evicting?.stop();
  });

  /** Runs a process to its end (bounded) and returns its exit code and output. */
  function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
      const child = spawn(command, args, { cwd: APP_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });
  }

  const production = () => ({
    NODE_ENV: 'production',
    REDIS_URL: evicting.url,
    PUBLIC_URL: 'https://nieuws.example.org',
    SENDGRID_API_KEY: API_KEY,
    SENDGRID_API_URL: sink.url,
    PORT: '0',
  });

  it('the worker exits non-zero naming noeviction', async () => {
    const { command, args } = workerCommand(APP_ROOT);
    const result = await run(command, args, production());
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/noeviction/);
  }, 150_000);

  it('the CMS exits non-zero naming noeviction', async () => {
    const result = await run(process.execPath, [path.join(APP_ROOT, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js'), 'start'], production());
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/noeviction/);
  }, 150_000);
});
