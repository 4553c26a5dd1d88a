/**
 * `npm run bench -- subscribe [--db sqlite|postgres] [--seconds 15] [--connections 16] [--rounds 2]
 *   [--worker-during-load] [--cms-node-args "--max-old-space-size=256"]`:
 * can the public signup keep up with the public API? Measures, in one run and on the same CMS
 * instance, `GET /api/articles?locale=nl` and `POST /api/subscriptions` (a new address per request)
 * with wrk over loopback, the two alternated for a few rounds so that drift hits both, and samples
 * the CMS's resident memory throughout. Prints req/s and latency per endpoint, the ratio
 * subscribe/articles and the CMS's peak RSS, against the edge's targets (ratio >= 1, subscribe
 * p99 < 100 ms, CMS < 400 MB).
 *
 * The CMS runs as production runs it (`npm start`'s command with its heap cap, NODE_ENV=production,
 * its own process, so its memory is its own). The worker is started after the load (with `--worker-during-load`, beside
 * it): on a two-core machine a worker draining the jobs would take CPU from the very CMS being
 * measured, which a production worker on its own machine does not. After the load the worker
 * drains for 20 s and the run checks that every accepted sign-up is stored or still queued.
 * The per-IP limit is lifted for the run. Needs wrk (Debian: apt-get install wrk). Loopback only.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../scripts/lib/free-port';
import { startCms } from './lib/cms-process';
import { startSinkProcess, startWorkerProcess, sampleRss } from './lib/processes';
import { APP_ROOT, benchEnv, compileOnce, createBenchDatabase, loadStrapi, type DatabaseKind } from './lib/setup';
import { table } from './lib/report';
import { Queue } from 'bullmq';
import { SUBSCRIPTION_REQUEST_QUEUE } from '../src/site/subscription/request-queue';
import { deleteRedisPrefix } from '../scripts/lib/redis-server';

const SINK_API_KEY = 'SG.bench-key';
const TARGETS = { ratio: 1, subscribeP99Ms: 100, cmsRssMb: 400 };

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const progress = (line: string) => process.stderr.write(`[subscribe-bench] ${line}\n`);

interface WrkResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
}

/** One wrk run; the Lua script prints its figures as one JSON line (bench/wrk-*.lua). */
function wrk(url: string, script: string, seconds: number, connections: number): WrkResult {
  const result = spawnSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '-s', path.join(__dirname, script), url], { encoding: 'utf8' });
  if (result.error) throw new Error(`wrk could not run (${result.error.message}); install it with: apt-get install wrk`);
  const line = result.stdout.split('\n').find((candidate) => candidate.startsWith('{'));
  if (!line) throw new Error(`wrk printed no result:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(line) as WrkResult;
}

/**
 * Nothing accepted may be lost. Draining tens of thousands of sign-ups takes the worker minutes
 * (it stores each one and sends its confirmation mail), so the worker runs for `seconds` and then
 * every accepted sign-up must be either a stored subscriber or a job still waiting in the queue;
 * none may have failed. Also gives the worker's drain rate. Removes the run's Redis keys.
 */
async function checkNothingLost(
  env: Record<string, string>,
  seconds: number,
): Promise<{ stored: number; queued: number; failed: number; drainPerSecond: number }> {
  const app = await loadStrapi(env);
  const IORedis = (await import('ioredis')).default;
  const redis = new IORedis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(SUBSCRIPTION_REQUEST_QUEUE, { connection: redis, prefix: env.REDIS_PREFIX });
  const stored = async () => Number(((await app.db('subscribers').where('email', 'like', 'load-%').count({ n: '*' }).first()) as { n: unknown }).n);
  try {
    const before = await stored();
    const worker = await startWorkerProcess(env);
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    await worker.stop();
    const after = await stored();
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed');
    return {
      stored: after,
      queued: counts.waiting + counts.active + counts.delayed + counts.prioritized + counts['waiting-children'],
      failed: counts.failed,
      drainPerSecond: (after - before) / ((Date.now() - started) / 1000),
    };
  } finally {
    await queue.close();
    await redis.quit();
    await deleteRedisPrefix(env.REDIS_URL, env.REDIS_PREFIX);
    await app.stop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<number> {
  const kind = argument('db', 'sqlite') as DatabaseKind;
  const seconds = Number(argument('seconds', '15'));
  const connections = Number(argument('connections', '16'));
  const rounds = Number(argument('rounds', '2'));
  if (!['sqlite', 'postgres'].includes(kind) || !(seconds > 0 && seconds <= 60) || !(connections > 0 && connections <= 256) || !(rounds > 0 && rounds <= 5)) {
    throw new Error('usage: npm run bench -- subscribe [--db sqlite|postgres] [--seconds 1..60] [--connections 1..256] [--rounds 1..5]');
  }
  if (spawnSync('wrk', ['--version']).error) throw new Error('wrk is not installed (Debian: apt-get install wrk)');

  progress('compiling');
  await compileOnce();
  const database = await createBenchDatabase(kind);
  const sink = await startSinkProcess(SINK_API_KEY);
  const prefix = `bench-subscribe-${Date.now().toString(36)}`;
  const env = {
    ...benchEnv(sink.url, SINK_API_KEY),
    ...database.env,
    REDIS_PREFIX: prefix,
    SUBSCRIBE_LIMIT_PER_IP_HOUR: '100000000',
    SUBSCRIBE_LIMIT_PER_EMAIL_DAY: '100000000',
  };
  progress(`seeding the demo content (${kind})`);
  // As `npm run seed` does, in a process of its own: Strapi may still write (content history) after
  // the seed returns, which must not reach into this process once its pool is gone.
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', path.join(APP_ROOT, 'scripts', 'seed.ts')], {
    cwd: APP_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (seeded.status !== 0) throw new Error(`seeding failed:\n${seeded.stdout}\n${seeded.stderr}`);

  const cmsNodeArgs = argument('cms-node-args', '').split(' ').filter(Boolean);
  const cms = await startCms(env, await freePort(), cmsNodeArgs);
  const workerDuringLoad = process.argv.includes('--worker-during-load');
  const worker = workerDuringLoad ? await startWorkerProcess(env) : undefined;
  let drain = { stored: 0, queued: 0, failed: 0, drainPerSecond: 0 };
  const results: Record<'articles' | 'subscribe', WrkResult[]> = { articles: [], subscribe: [] };
  let peakMb = 0;
  try {
    progress(`warming up ${cms.url}`);
    wrk(`${cms.url}`, 'wrk-articles.lua', 3, connections);
    wrk(`${cms.url}`, 'wrk-subscribe.lua', 3, connections);
    const memory = sampleRss(cms.child.pid!, 100);
    for (let round = 1; round <= rounds; round += 1) {
      progress(`round ${round}/${rounds}: GET /api/articles?locale=nl for ${seconds} s`);
      results.articles.push(wrk(cms.url, 'wrk-articles.lua', seconds, connections));
      progress(`round ${round}/${rounds}: POST /api/subscriptions for ${seconds} s`);
      results.subscribe.push(wrk(cms.url, 'wrk-subscribe.lua', seconds, connections));
    }
    peakMb = memory.stop().maxMb;
    await worker?.stop();
    await cms.stop();
    progress('checking that every accepted sign-up is stored or still queued');
    drain = await checkNothingLost(env, 20);
  } finally {
    await worker?.stop();
    await cms.stop();
    await sink.stop();
    await database.drop();
  }

  const summary = (runs: WrkResult[]) => ({
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    max: Math.max(...runs.map((r) => r.max)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    requests: runs.reduce((sum, r) => sum + r.requests, 0),
  });
  const articles = summary(results.articles);
  const subscribe = summary(results.subscribe);
  const ratio = subscribe.rps / articles.rps;
  // wrk counts completed answers of the measured rounds; the warm-up's and requests still in flight
  // when a round ended are stored too, so stored + queued may exceed the count, never fall below it.
  const accepted = subscribe.requests - subscribe.errors;
  const nothingLost = drain.stored + drain.queued >= accepted && drain.failed === 0;
  const rows = [
    ['endpoint', 'req/s (median of rounds)', 'p50 ms', 'p99 ms', 'max ms', 'requests', 'non-2xx/3xx'],
    ...(
      [
        ['GET /api/articles?locale=nl', articles],
        ['POST /api/subscriptions', subscribe],
      ] as const
    ).map(([name, s]) => [name, s.rps.toFixed(0), s.p50.toFixed(1), s.p99.toFixed(1), s.max.toFixed(1), String(s.requests), String(s.errors)]),
  ];
  const verdict = (pass: boolean) => (pass ? 'pass' : 'FAIL');
  process.stdout.write(
    `\nSubscribe vs articles, ${kind}, ${rounds} round(s) of ${seconds} s each, ${connections} connections, wrk -t1 (loopback)${cmsNodeArgs.length ? `, CMS node args ${cmsNodeArgs.join(' ')}` : ''}\n\n${table(rows)}\n\n`,
  );
  process.stdout.write(
    table([
      ['target', 'measured', 'verdict'],
      [`subscribe/articles >= ${TARGETS.ratio}`, ratio.toFixed(2), verdict(ratio >= TARGETS.ratio)],
      [`subscribe p99 < ${TARGETS.subscribeP99Ms} ms`, `${subscribe.p99.toFixed(1)} ms`, verdict(subscribe.p99 < TARGETS.subscribeP99Ms)],
      [`CMS peak RSS < ${TARGETS.cmsRssMb} MB`, `${peakMb.toFixed(0)} MB`, verdict(peakMb < TARGETS.cmsRssMb)],
      ['errors', String(articles.errors + subscribe.errors), verdict(articles.errors + subscribe.errors === 0)],
      [
        'nothing accepted is lost (stored + still queued >= accepted, none failed)',
        `${drain.stored} stored + ${drain.queued} queued for ${accepted} accepted; ${drain.failed} failed`,
        verdict(nothingLost),
      ],
      ['worker drain rate (sign-up stored + confirmation mail), not a target', `${drain.drainPerSecond.toFixed(0)} /s`, ''],
    ]) + '\n',
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
