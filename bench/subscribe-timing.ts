/**
 * `node --import tsx bench/subscribe-timing.ts [--per-state 60] [--db sqlite|postgres]`: does the
 * answer time of POST /api/subscriptions tell whether an address is new, pending or active?
 *
 * Boots the CMS as the newsletter bench does (compiled app, fresh scratch database, demo seed, the
 * mail stand-in and a worker in child processes), lifts the per-IP limit, creates the pending and
 * active subscribers directly in the database, then sends one request per address (each address is
 * probed once, as an attacker probing a list would), the three states interleaved at random, one
 * request at a time over a kept-alive connection. It prints the median and p90 per state and how
 * well the best threshold on the answer time tells two states apart: the threshold is chosen on
 * half of the samples and scored on the other half (balanced accuracy, 50% = chance).
 * Not part of the tests: a timing threshold there would be flaky on a shared machine.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { newLinkKey } from '../src/core/domain/tokens';
import { deleteRedisPrefix } from '../scripts/lib/redis-server';
import { startSinkProcess, startWorkerProcess } from './lib/processes';
import { benchEnv, compileOnce, createBenchDatabase, loadStrapi, type DatabaseKind } from './lib/setup';
import { seedDemoContent } from '../database/seed/seed';

const SINK_API_KEY = 'SG.bench-key';
const SUBSCRIBER = 'api::subscriber.subscriber';
type State = 'new' | 'pending' | 'active';
const STATES: State[] = ['new', 'pending', 'active'];

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const progress = (line: string) => process.stderr.write(`[subscribe-timing] ${line}\n`);

function quantile(sorted: number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

/** Best threshold (either direction) on `train`, scored on `test`: balanced accuracy of "a vs b". */
function thresholdAccuracy(train: { a: number[]; b: number[] }, test: { a: number[]; b: number[] }): number {
  const candidates = [...train.a, ...train.b].sort((x, y) => x - y);
  const score = (set: { a: number[]; b: number[] }, threshold: number, aIsFast: boolean) => {
    const aRight = set.a.filter((t) => t <= threshold === aIsFast).length / set.a.length;
    const bRight = set.b.filter((t) => t > threshold === aIsFast).length / set.b.length;
    return (aRight + bRight) / 2;
  };
  let best = { threshold: 0, aIsFast: true, accuracy: 0 };
  for (const threshold of candidates) {
    for (const aIsFast of [true, false]) {
      const accuracy = score(train, threshold, aIsFast);
      if (accuracy > best.accuracy) best = { threshold, aIsFast, accuracy };
    }
  }
  return score(test, best.threshold, best.aIsFast);
}

async function main(): Promise<void> {
  const perState = Number(argument('per-state', '60'));
  const kind = argument('db', 'sqlite') as DatabaseKind;
  progress(
    `${perState} addresses per state, ${kind}; ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  progress('compiling the Strapi app');
  await compileOnce();
  const sink = await startSinkProcess(SINK_API_KEY);
  const database = await createBenchDatabase(kind);
  const prefix = `np-bench-${randomBytes(4).toString('hex')}`;
  const env = { ...benchEnv(sink.url, SINK_API_KEY), ...database.env, REDIS_PREFIX: prefix, SUBSCRIBE_LIMIT_PER_IP_HOUR: '100000000' };
  const app = await loadStrapi(env);
  const worker = await startWorkerProcess(env);
  try {
    await seedDemoContent(app.strapi);
    await app.strapi.listen();
    const url = `http://127.0.0.1:${(app.strapi.server.httpServer.address() as AddressInfo).port}`;

    // The subscriber's state attribute was renamed (status -> state); the bench reads whichever the schema has.
    const attributes = app.strapi.contentType(SUBSCRIBER).attributes as Record<string, unknown>;
    const stateField = 'state' in attributes ? 'state' : 'status';
    const run = randomBytes(3).toString('hex');
    const targets: Array<{ state: State; email: string }> = [];
    for (const state of STATES) {
      for (let i = 0; i < perState; i += 1) {
        const email = `timing-${run}-${state}-${i}@example.org`;
        if (state !== 'new') {
          await app.strapi.db.query(SUBSCRIBER).create({
            data: {
              documentId: randomBytes(12).toString('hex'),
              email,
              preferredLocale: 'nl',
              themes: [],
              linkKey: newLinkKey(),
              [stateField]: state,
              ...(state === 'active' ? { confirmedAt: new Date() } : {}),
            },
          });
        }
        targets.push({ state, email });
      }
    }
    // Interleaved at random, so drift (caches, the worker's load, the machine) hits every state alike.
    for (let i = targets.length - 1; i > 0; i -= 1) {
      const j = Math.floor(Math.random() * (i + 1));
      [targets[i], targets[j]] = [targets[j], targets[i]];
    }

    const post = async (email: string): Promise<number> => {
      const started = process.hrtime.bigint();
      const response = await fetch(`${url}/api/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, locale: 'nl', themes: [], consent: true }),
      });
      await response.arrayBuffer();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (response.status !== 202) throw new Error(`${email}: ${response.status}`);
      return ms;
    };
    progress('warm-up: 40 requests for throw-away addresses');
    for (let i = 0; i < 40; i += 1) await post(`warmup-${run}-${i}@example.org`);
    // Let the worker finish the warm-up's mails before measuring.
    await new Promise((resolve) => setTimeout(resolve, 2000));

    progress(`measuring ${targets.length} requests`);
    const samples: Record<State, number[]> = { new: [], pending: [], active: [] };
    for (const target of targets) {
      samples[target.state].push(await post(target.email));
      // One probe at a time with a short pause, as a careful attacker would (and so the worker's work
      // for one request is mostly done before the next: what it does differs per state).
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    console.log(`\nPOST /api/subscriptions answer time, ${kind}, ${perState} addresses per state (ms)\n`);
    console.log('| state | n | median | p90 | min | max |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const state of STATES) {
      const sorted = [...samples[state]].sort((a, b) => a - b);
      console.log(
        `| ${state} | ${sorted.length} | ${quantile(sorted, 0.5).toFixed(2)} | ${quantile(sorted, 0.9).toFixed(2)} | ${sorted[0].toFixed(2)} | ${sorted[sorted.length - 1].toFixed(2)} |`,
      );
    }
    const half = (list: number[], parity: number) => list.filter((_, i) => i % 2 === parity);
    console.log('\nbest threshold on half the samples, balanced accuracy on the other half (50% = chance):\n');
    for (const [a, b] of [
      ['active', 'new'],
      ['active', 'pending'],
      ['new', 'pending'],
    ] as Array<[State, State]>) {
      const accuracy = thresholdAccuracy({ a: half(samples[a], 0), b: half(samples[b], 0) }, { a: half(samples[a], 1), b: half(samples[b], 1) });
      console.log(`- ${a} vs ${b}: ${(accuracy * 100).toFixed(0)}%`);
    }
    const notActive = [...samples.new, ...samples.pending];
    const accuracy = thresholdAccuracy({ a: half(samples.active, 0), b: half(notActive, 0) }, { a: half(samples.active, 1), b: half(notActive, 1) });
    console.log(`- active vs (new or pending): ${(accuracy * 100).toFixed(0)}%`);
  } finally {
    await worker.stop();
    await app.stop();
    await database.drop();
    await sink.stop();
    await deleteRedisPrefix(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
