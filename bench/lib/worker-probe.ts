/**
 * Loaded into the worker child with `--import` when the bench runs with `--profile` (the worker's
 * own code is untouched). Between two SIGUSR2 signals it records:
 *  - every SQL statement knex sends (normalised text, count, time inside the driver),
 *  - every Redis command ioredis sends (by name),
 *  - a V8 CPU profile (node:inspector, in-process),
 *  - process.memoryUsage() every 100 ms (RSS, V8 heap, external/array buffers).
 * At the second SIGUSR2 it writes `<BENCH_PROBE_OUT>.json` and `<BENCH_PROBE_OUT>.cpuprofile`.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector';
import { createRequire } from 'node:module';
import path from 'node:path';

// Resolved from the project root (the worker's cwd), as Strapi and BullMQ resolve them.
const load = createRequire(path.join(process.cwd(), 'package.json'));
const out = process.env.BENCH_PROBE_OUT;

interface Stat {
  count: number;
  ms: number;
}

const sql = new Map<string, Stat>();
const redis = new Map<string, number>();
const memory = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
let recording = false;
let startedAt = 0;

function normalise(text: string): string {
  return text
    .replace(/\$\d+/g, '?')
    .replace(/'[^']*'/g, '?')
    .replace(/\b\d+\b/g, '?')
    .replace(/\(\s*\?(\s*,\s*\?)+\s*\)/g, '(?,...)')
    .replace(/(\s*union all select [^u]+)+/gi, ' union all select ...')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 160);
}

if (out) {
  const KnexClient = load('knex/lib/client') as { prototype: { query: (...args: unknown[]) => Promise<unknown> } };
  const query = KnexClient.prototype.query;
  KnexClient.prototype.query = async function (this: unknown, ...args: unknown[]) {
    if (!recording) return query.apply(this, args);
    const param = args[1] as string | { sql?: string };
    const key = normalise(typeof param === 'string' ? param : String(param?.sql ?? ''));
    const start = performance.now();
    try {
      return await query.apply(this, args);
    } finally {
      const stat = sql.get(key) ?? { count: 0, ms: 0 };
      stat.count += 1;
      stat.ms += performance.now() - start;
      sql.set(key, stat);
    }
  };

  // Commands sent one by one, and commands queued in a pipeline / MULTI (BullMQ's addBulk uses MULTI).
  type WithSendCommand = { prototype: { sendCommand: (...args: unknown[]) => unknown } };
  const Pipeline = (load('ioredis/built/Pipeline') as { default: WithSendCommand }).default;
  for (const [target, prefix] of [
    [load('ioredis') as WithSendCommand, ''],
    [Pipeline, 'pipelined '],
  ] as const) {
    const sendCommand = target.prototype.sendCommand;
    target.prototype.sendCommand = function (this: unknown, ...args: unknown[]) {
      if (recording) {
        const name = `${prefix}${String((args[0] as { name?: string })?.name ?? '?')}`;
        redis.set(name, (redis.get(name) ?? 0) + 1);
      }
      return sendCommand.apply(this, args);
    };
  }

  const session = new Session();
  session.connect();
  const post = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  let sampler: NodeJS.Timeout | undefined;

  process.on('SIGUSR2', () => {
    void (async () => {
      if (!recording) {
        sql.clear();
        redis.clear();
        Object.assign(memory, { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 });
        await post('Profiler.enable');
        await post('Profiler.setSamplingInterval', { interval: 500 });
        await post('Profiler.start');
        sampler = setInterval(() => {
          const usage = process.memoryUsage();
          for (const key of Object.keys(memory) as Array<keyof typeof memory>) memory[key] = Math.max(memory[key], usage[key]);
        }, 100);
        startedAt = performance.now();
        recording = true;
        return;
      }
      recording = false;
      clearInterval(sampler);
      const seconds = (performance.now() - startedAt) / 1000;
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      fs.writeFileSync(`${out}.cpuprofile`, JSON.stringify(profile));
      const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
      fs.writeFileSync(
        `${out}.json`,
        JSON.stringify({
          seconds,
          sql: [...sql.entries()].map(([text, stat]) => ({ text, ...stat })).sort((a, b) => b.count - a.count),
          redis: Object.fromEntries([...redis.entries()].sort((a, b) => b[1] - a[1])),
          memoryMb: Object.fromEntries(Object.entries(memory).map(([key, value]) => [key, mb(value)])),
        }),
      );
    })();
  });
}
