/**
 * `npm run bench -- subscribe [--db sqlite|postgres] [--seconds 15] [--connections 16] [--rounds 2]
 *   [--worker-during-load] [--cms-node-args "--max-old-space-size=256"]`:
 * can the public signup keep up with the public API? Measures, in one run and on the same CMS
 * instance, `GET /api/articles?locale=nl` and `POST /api/subscriptions` (a new address per request)
 * with wrk over loopback, the two alternated for a few rounds so that drift hits both, and samples
 * the CMS's resident memory throughout. Prints req/s and latency per endpoint, the ratio
 * subscribe/articles and the CMS's peak RSS, against the targets of issue 7 (ratio >= 1, subscribe
 * p99 < 100 ms, CMS < 400 MB).
 *
 * The CMS runs as production runs it (`strapi start`, NODE_ENV=production, its own process, so its
 * memory is its own). The worker is started after the load (with `--worker-during-load`, beside
 * it): on a two-core machine a worker draining the jobs would take CPU from the very CMS being
 * measured, which a production worker on its own machine does not. After the load the worker
 * drains the queue and the run checks that every accepted sign-up became a pending subscriber.
 * The per-IP limit is lifted for the run. Needs wrk (Debian: apt-get install wrk). Loopback only.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { seedDemoContent } from '../database/seed/seed';
import { startSinkProcess, startWorkerProcess, sampleRss } from './lib/processes';
import { APP_ROOT, benchEnv, compileOnce, createBenchDatabase, loadStrapi, type DatabaseKind } from './lib/setup';
import { table } from './lib/report';

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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** One wrk run; the Lua script prints its figures as one JSON line (bench/wrk-*.lua). */
function wrk(url: string, script: string, seconds: number, connections: number): WrkResult {
  const result = spawnSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '-s', path.join(__dirname, script), url], { encoding: 'utf8' });
  if (result.error) throw new Error(`wrk could not run (${result.error.message}); install it with: apt-get install wrk`);
  const line = result.stdout.split('\n').find((candidate) => candidate.startsWith('{'));
  if (!line) throw new Error(`wrk printed no result:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(line) as WrkResult;
}

async function startCms(env: Record<string, string>, port: number, nodeArgs: string[]): Promise<{ child: ChildProcess; url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [...nodeArgs, path.join(APP_ROOT, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js'), 'start'], {
    cwd: APP_ROOT,
    env: { ...process.env, ...env, NODE_ENV: 'production', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the CMS exited (${child.exitCode}) before answering`);
    try {
      if ((await fetch(`${url}/_health`)).status === 204) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the CMS did not answer /_health within 120 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    child,
    url,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Waits until the load-test sign-ups stop growing in the database (the worker drained the queue),
 * bounded; returns how many there are and how long the drain took after the load.
 */
async function drainSignups(env: Record<string, string>, _worker: unknown, timeoutSeconds: number): Promise<{ subscribers: number; seconds: number }> {
  const app = await loadStrapi(env);
  const started = Date.now();
  const count = async () => Number(((await app.db('subscribers').where('email', 'like', 'load-%').count({ n: '*' }).first()) as { n: unknown }).n);
  try {
    let last = -1;
    let stableSince = Date.now();
    for (;;) {
      const now = await count();
      if (now !== last) {
        last = now;
        stableSince = Date.now();
      } else if (Date.now() - stableSince > 3000) {
        return { subscribers: now, seconds: (stableSince - started) / 1000 };
      }
      if (Date.now() - started > timeoutSeconds * 1000) return { subscribers: now, seconds: (Date.now() - started) / 1000 };
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
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
  const env = { ...benchEnv(sink.url, SINK_API_KEY), ...database.env, REDIS_PREFIX: prefix, SUBSCRIBE_LIMIT_PER_IP_HOUR: '100000000', SUBSCRIBE_LIMIT_PER_EMAIL_DAY: '100000000' };
  progress(`seeding the demo content (${kind})`);
  const seeding = await loadStrapi(env);
  await seedDemoContent(seeding.strapi);
  await seeding.stop();

  const cmsNodeArgs = argument('cms-node-args', '').split(' ').filter(Boolean);
  const cms = await startCms(env, await freePort(), cmsNodeArgs);
  const workerDuringLoad = process.argv.includes('--worker-during-load');
  let worker = workerDuringLoad ? await startWorkerProcess(env) : undefined;
  let drain = { subscribers: 0, seconds: 0 };
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
    drain = await drainSignups(env, worker ?? (worker = await startWorkerProcess(env)), seconds * rounds * 4 + 120);
  } finally {
    await worker?.stop();
    await cms.stop();
    await sink.stop();
    await database.drop();
  }

  const summary = (runs: WrkResult[]) => ({ rps: median(runs.map((r) => r.rps)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)), max: Math.max(...runs.map((r) => r.max)), errors: runs.reduce((sum, r) => sum + r.errors, 0), requests: runs.reduce((sum, r) => sum + r.requests, 0) });
  const articles = summary(results.articles);
  const subscribe = summary(results.subscribe);
  const ratio = subscribe.rps / articles.rps;
  // wrk counts completed answers; requests still in flight when a round ends may be served too.
  const accepted = subscribe.requests - subscribe.errors;
  const warmupAndInFlight = connections * (rounds + 1) * 2;
  const allStored = drain.subscribers >= accepted;
  const rows = [
    ['endpoint', 'req/s (median of rounds)', 'p50 ms', 'p99 ms', 'max ms', 'requests', 'non-2xx/3xx'],
    ...([['GET /api/articles?locale=nl', articles], ['POST /api/subscriptions', subscribe]] as const).map(([name, s]) => [name, s.rps.toFixed(0), s.p50.toFixed(1), s.p99.toFixed(1), s.max.toFixed(1), String(s.requests), String(s.errors)]),
  ];
  const verdict = (pass: boolean) => (pass ? 'pass' : 'FAIL');
  process.stdout.write(`\nSubscribe vs articles, ${kind}, ${rounds} round(s) of ${seconds} s each, ${connections} connections, wrk -t1 (loopback)${cmsNodeArgs.length ? `, CMS node args ${cmsNodeArgs.join(' ')}` : ''}\n\n${table(rows)}\n\n`);
  process.stdout.write(
    table([
      ['target', 'measured', 'verdict'],
      [`subscribe/articles >= ${TARGETS.ratio}`, ratio.toFixed(2), verdict(ratio >= TARGETS.ratio)],
      [`subscribe p99 < ${TARGETS.subscribeP99Ms} ms`, `${subscribe.p99.toFixed(1)} ms`, verdict(subscribe.p99 < TARGETS.subscribeP99Ms)],
      [`CMS peak RSS < ${TARGETS.cmsRssMb} MB`, `${peakMb.toFixed(0)} MB`, verdict(peakMb < TARGETS.cmsRssMb)],
      ['errors', String(articles.errors + subscribe.errors), verdict(articles.errors + subscribe.errors === 0)],
      [`every accepted sign-up stored (worker ${workerDuringLoad ? 'during' : 'after'} the load)`, `${drain.subscribers} load-test subscribers for ${accepted} accepted (+ warm-up, up to ${warmupAndInFlight} in flight); drained ${drain.seconds.toFixed(1)} s after the load`, verdict(allStored)],
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
