/**
 * `npm run bench -- redirect`: the counting redirect's answer time (src/site/counts/) under a steady
 * load. The CMS as production runs it (`npm start`) on a fresh database with the demo content; item
 * links of a mailing are signed as a send signs them, then requested at a fixed rate over loopback
 * for a bounded time (an open loop: each request leaves at its own moment whatever the answers do,
 * and its time runs from that moment, so a slow answer cannot hide the wait of the ones behind it).
 * Afterwards the counts are checked: every request counted once, none lost (the bench does the
 * worker's part, moving what the CMS left in Redis into the table). See bench/README.md.
 *
 *   npm run bench -- redirect [--db sqlite|postgres] [--rate 500] [--seconds 10] [--warmup 2] [--cms-node-args "..."]
 */
import http from 'node:http';
import os from 'node:os';
import { FLUSH_MS } from '../src/site/counts/buffer';
import { randomBytes } from 'node:crypto';
import { freePort } from '../scripts/lib/free-port';
import { ITEM_LINK_PATH, signItemLink } from '../src/core/domain/item-link';
import { ITEM_COUNTS_TABLE } from '../src/site/counts/store';
import { storePendingOpenings } from '../src/site/counts/pending';
import { createRedis } from '../src/core/infra/redis';
import { deleteRedisPrefix } from '../scripts/lib/redis-server';
import { seedDemoContent } from '../database/seed/seed';
import { startCms } from './lib/cms-process';
import { table } from './lib/report';
import { benchEnv, compileOnce, createBenchDatabase, loadStrapi, type DatabaseKind } from './lib/setup';

/** The issue's target: p99 under 20 ms at 500 requests per second. */
const TARGET_P99_MS = 20;
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

function positive(name: string, fallback: number, max: number): number {
  const value = Number(option(name, String(fallback)));
  if (!Number.isFinite(value) || value <= 0 || value > max) throw new Error(`--${name}: a number above 0 and at most ${max}`);
  return value;
}

const started = Date.now();
const load = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
const say = (line: string) => console.log(`[bench:redirect ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

/** Keep-alive sockets, as a browser would reuse them; enough that no request waits for a free one. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function request(url: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { 'user-agent': BROWSER } }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, location: response.headers.location }));
    });
    req.on('error', reject);
  });
}

/** Why requests failed, for the report. */
const errors = new Map<string, number>();

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** `count` requests, one every 1000/rate ms from the start, over the links in turn; each one's time from its planned moment. */
async function steadyLoad(links: string[], rate: number, count: number) {
  const interval = 1000 / rate;
  const times: number[] = [];
  /** When the slow answers were asked for (seconds into the run): stalls at a steady beat point at a timer. */
  const slow: Array<{ at: number; ms: number }> = [];
  const statuses = new Map<number, number>();
  const pending: Array<Promise<void>> = [];
  const start = performance.now();
  for (let n = 0; n < count; n++) {
    const planned = start + n * interval;
    const wait = planned - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      request(links[n % links.length]).then(
        (answer) => {
          times.push(performance.now() - planned);
          if (performance.now() - planned > 50) slow.push({ at: (planned - start) / 1000, ms: performance.now() - planned });
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        },
        (error: Error & { code?: string }) => {
          statuses.set(0, (statuses.get(0) ?? 0) + 1);
          errors.set(error.code ?? error.message, (errors.get(error.code ?? error.message) ?? 0) + 1);
        },
      ),
    );
  }
  await Promise.all(pending);
  const seconds = (performance.now() - start) / 1000;
  return { times: times.sort((a, b) => a - b), statuses, seconds, slow };
}

async function main(): Promise<void> {
  const db = option('db', 'sqlite') as DatabaseKind;
  if (db !== 'sqlite' && db !== 'postgres') throw new Error('--db: sqlite or postgres');
  const rate = positive('rate', 500, 5000);
  const seconds = positive('seconds', 10, 600);
  const warmupSeconds = positive('warmup', 2, 60);
  say(`${db}, ${rate} requests/s for ${seconds} s after ${warmupSeconds} s of warm-up`);

  await compileOnce();
  const database = await createBenchDatabase(db);
  const env: Record<string, string> = {
    ...benchEnv('http://127.0.0.1:9', 'SG.bench-redirect'),
    ...database.env,
    REDIS_PREFIX: `np-bench-redirect-${randomBytes(4).toString('hex')}`,
  };
  let app: Awaited<ReturnType<typeof loadStrapi>> | undefined;
  let cms: Awaited<ReturnType<typeof startCms>> | undefined;
  const redis = createRedis(env.REDIS_URL, 'client');
  try {
    app = await loadStrapi(env);
    await seedDemoContent(app.strapi);
    type Row = { document_id: string; locale: string; slug: string };
    const items: Array<Row & { kind: 'article' | 'resource' }> = [
      ...((await app.db('articles').whereNotNull('published_at').select('document_id', 'locale', 'slug')) as Row[]).map((row) => ({
        ...row,
        kind: 'article' as const,
      })),
      ...((await app.db('resources').whereNotNull('published_at').whereNull('url').select('document_id', 'locale', 'slug')) as Row[]).map((row) => ({
        ...row,
        kind: 'resource' as const,
      })),
    ];
    const cmsNodeArgs = option('cms-node-args', '').split(/\s+/).filter(Boolean);
    cms = await startCms(env, await freePort(), cmsNodeArgs);
    const links = items.map(
      (item) =>
        `${cms!.url}${ITEM_LINK_PATH}/${signItemLink(
          { mailing: { kind: 'edition', id: 1 }, item: { kind: item.kind, documentId: item.document_id, locale: item.locale as 'nl' | 'en', slug: item.slug } },
          env.TOKEN_SECRET,
        )}`,
    );
    say(`CMS (npm start) at ${cms.url}; ${links.length} item links of the demo content`);
    const first = await request(links[0]);
    if (first.status !== 302 || !first.location?.startsWith(cms.url)) throw new Error(`the redirect answered ${first.status} ${first.location ?? ''}`);

    await steadyLoad(links, rate, Math.round(rate * warmupSeconds));
    // The warm-up's last openings are written within a flush; only then is the table emptied.
    await new Promise((resolve) => setTimeout(resolve, 2 * FLUSH_MS + 500));
    await storePendingOpenings(redis, env.REDIS_PREFIX, app.db);
    await app.db(ITEM_COUNTS_TABLE).delete();
    // The load comes from this process: the headless Strapi goes first, so that its heap and timers
    // have no part in the figures; it is loaded again for the counts.
    await app.stop();
    app = undefined;
    const count = Math.round(rate * seconds);
    // The machine's floor at this moment: the same loop against the CMS's health check, which does
    // nothing but answer 204 (through the same middlewares). A shared machine moves both together.
    say(`warmed up; the floor: /_health at ${rate}/s (load ${load()})`);
    const floorLoad = os.loadavg()[0];
    const floor = await steadyLoad([`${cms.url}/_health`], rate, count);
    const loadBefore = os.loadavg()[0];
    say(`measuring the redirect (load ${load()})`);
    const run = await steadyLoad(links, rate, count);
    // The counts are added after each answer: give the last ones a moment, then compare.
    // A request that failed (a socket reset, see bench/README.md) reached no redirect: only the 302s are counted.
    const redirected = run.statuses.get(302) ?? 0;
    app = await loadStrapi(env);
    let counted = 0;
    for (let tries = 0; tries < 5 * (FLUSH_MS / 200 + 1); tries++) {
      // The worker's part, done by the bench (no worker runs here): what the CMS left in Redis into the table.
      await storePendingOpenings(redis, env.REDIS_PREFIX, app.db);
      counted = Number((await app.db(ITEM_COUNTS_TABLE).sum({ n: 'openings' }).first())?.n ?? 0);
      if (counted >= redirected) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const ms = (value: number) => `${value.toFixed(2)} ms`;
    const p99 = percentile(run.times, 99);
    const row = (name: string, result: typeof run, counts: string, loads: string) => [
      `${db}: ${name}`,
      String(count),
      `${(count / result.seconds).toFixed(0)}/s`,
      ms(percentile(result.times, 50)),
      ms(percentile(result.times, 90)),
      ms(percentile(result.times, 99)),
      ms(result.times[result.times.length - 1]),
      [...result.statuses].map(([status, n]) => `${n} x ${status || 'error'}`).join(', '),
      counts,
      loads,
    ];
    console.log(
      `\n${table([
        ['run', 'requests', 'achieved rate', 'p50', 'p90', 'p99', 'max', 'answers', 'counted', 'load (1 min) before, after'],
        row('/_health (floor)', floor, '', `${floorLoad.toFixed(2)}, ${loadBefore.toFixed(2)}`),
        row('/r/<token>', run, `${counted} of ${redirected}`, `${loadBefore.toFixed(2)}, ${os.loadavg()[0].toFixed(2)}`),
      ])}\n`,
    );
    for (const [name, result] of [
      ['/_health', floor],
      ['/r/<token>', run],
    ] as const) {
      // The first request of each stall: when it began and how long its first request waited.
      const slow = [...result.slow].sort((a, b) => a.at - b.at);
      const stalls = slow.filter((entry, index) => index === 0 || entry.at - slow[index - 1].at > 0.05);
      if (stalls.length > 0)
        console.log(`${name}: answers over 50 ms began at ${stalls.map((entry) => `${entry.at.toFixed(2)} s (${entry.ms.toFixed(0)} ms)`).join(', ')}`);
    }
    if (errors.size > 0) console.log(`failed requests: ${[...errors].map(([why, n]) => `${n} x ${why}`).join(', ')}`);
    console.log(
      `target p99 < ${TARGET_P99_MS} ms at ${rate}/s: ${p99 < TARGET_P99_MS ? 'PASS' : 'FAIL'}; every redirected request counted once: ${counted === redirected ? 'yes' : 'NO'}`,
    );
  } finally {
    agent.destroy();
    await cms?.stop();
    await app?.stop();
    await database.drop();
    await redis.quit();
    await deleteRedisPrefix(env.REDIS_URL, env.REDIS_PREFIX);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
