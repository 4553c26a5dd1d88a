/**
 * `npm run bench -- redirect`: the counting redirect's answer time (src/site/counts/) under a steady
 * load. The CMS as production runs it (`npm start`) on a fresh database with the demo content; item
 * links of a mailing are signed as a send signs them, then requested at a fixed rate over loopback
 * for a bounded time by a client process of its own (lib/load-client.ts: an open loop, each request
 * leaves at its own moment whatever the answers do, and its time runs from that moment, so a slow
 * answer cannot hide the wait of the ones behind it).
 * Afterwards the counts are checked: every request counted once, none lost (the bench does the
 * worker's part, moving what the CMS left in Redis into the table). See bench/README.md.
 *
 *   npm run bench -- redirect [--db sqlite|postgres] [--rate 500] [--seconds 10] [--warmup 2] [--cms-node-args "..."]
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
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
import type { LoadRequest, LoadResult } from './lib/load-client';
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

/** The open loop, in a process of its own (lib/load-client.ts): one JSON line in, one out. */
function steadyLoad(urls: string[], rate: number, count: number): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'lib', 'load-client.ts')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (stdout += chunk));
  child.stdin.end(JSON.stringify({ urls, rate, count, userAgent: BROWSER } satisfies LoadRequest));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`the load client exited ${code}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult);
    });
  });
}

/** The first answer, checked before any load: a 302 to one of our pages. */
async function firstAnswer(url: string): Promise<{ status: number; location: string | null }> {
  const response = await fetch(url, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
  await response.arrayBuffer();
  return { status: response.status, location: response.headers.get('location') };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

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
    const first = await firstAnswer(links[0]);
    if (first.status !== 302 || !first.location?.startsWith(cms.url)) throw new Error(`the redirect answered ${first.status} ${first.location ?? ''}`);

    await steadyLoad(links, rate, Math.round(rate * warmupSeconds));
    // The warm-up's last openings are written within a flush; only then is the table emptied.
    await new Promise((resolve) => setTimeout(resolve, 2 * FLUSH_MS + 500));
    await storePendingOpenings(redis, env.REDIS_PREFIX, app.db);
    await app.db(ITEM_COUNTS_TABLE).delete();
    // The headless Strapi of this process goes first, so that its timers take no CPU from the CMS and
    // the client while they are timed; it is loaded again for the counts.
    await app.stop();
    app = undefined;
    const count = Math.round(rate * seconds);
    // Beside it, the same loop against the CMS's health check: an answer that does nothing (204) but
    // goes through every middleware of the CMS, as any request did before the redirect was answered
    // ahead of them (src/middlewares/item-link.ts). A shared machine moves both together.
    say(`warmed up; /_health through the whole middleware stack at ${rate}/s (load ${load()})`);
    const stackLoad = os.loadavg()[0];
    const stack = await steadyLoad([`${cms.url}/_health`], rate, count);
    const loadBefore = os.loadavg()[0];
    say(`measuring the redirect (load ${load()})`);
    const run = await steadyLoad(links, rate, count);
    // The counts are added after each answer: give the last ones a moment, then compare.
    // A request that failed (a socket reset, see bench/README.md) reached no redirect: only the 302s are counted.
    const redirected = new Map(run.statuses).get(302) ?? 0;
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
      result.statuses.map(([status, n]) => `${n} x ${status || 'error'}`).join(', '),
      counts,
      loads,
    ];
    console.log(
      `\n${table([
        ['run', 'requests', 'achieved rate', 'p50', 'p90', 'p99', 'max', 'answers', 'counted', 'load (1 min) before, after'],
        row('/_health (every middleware)', stack, '', `${stackLoad.toFixed(2)}, ${loadBefore.toFixed(2)}`),
        row('/r/<token>', run, `${counted} of ${redirected}`, `${loadBefore.toFixed(2)}, ${os.loadavg()[0].toFixed(2)}`),
      ])}\n`,
    );
    for (const [name, result] of [
      ['/_health', stack],
      ['/r/<token>', run],
    ] as const) {
      // Each stall: the slow answers planned within 50 ms of each other, when it began, how many, the slowest.
      const slow = [...result.slow].sort((a, b) => a.at - b.at);
      const stalls: Array<{ at: number; answers: number; ms: number }> = [];
      for (const [index, entry] of slow.entries()) {
        const last = stalls[stalls.length - 1];
        if (index > 0 && last && entry.at - slow[index - 1].at <= 0.05) {
          last.answers += 1;
          last.ms = Math.max(last.ms, entry.ms);
        } else stalls.push({ at: entry.at, answers: 1, ms: entry.ms });
      }
      if (stalls.length > 0)
        console.log(
          `${name}: answers over 50 ms: ${stalls.map((stall) => `at ${stall.at.toFixed(2)} s ${stall.answers} (slowest ${stall.ms.toFixed(0)} ms)`).join(', ')}`,
        );
    }
    for (const [name, result] of [
      ['/_health', stack],
      ['/r/<token>', run],
    ] as const) {
      const { loopDelayMaxMs, gcMaxMs, gcCount } = result.client;
      console.log(
        `${name}: the load client's own longest pause ${loopDelayMaxMs.toFixed(1)} ms (event loop), ${gcMaxMs.toFixed(1)} ms (the longest of ${gcCount} garbage collections)`,
      );
      if (result.errors.length > 0) console.log(`${name}: failed requests: ${result.errors.map(([why, n]) => `${n} x ${why}`).join(', ')}`);
    }
    console.log(
      `target p99 < ${TARGET_P99_MS} ms at ${rate}/s: ${p99 < TARGET_P99_MS ? 'PASS' : 'FAIL'}; every redirected request counted once: ${counted === redirected ? 'yes' : 'NO'}`,
    );
  } finally {
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
