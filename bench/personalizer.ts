/**
 * `npm run bench -- personalizer [--batches 300] [--young 4,8,12,16,24,32] [--repeat 2]`: what a batch
 * of 1000 personalizations costs the worker, built in the personalizer's thread
 * (src/mail/personalizer.ts) with different young-generation sizes for that thread, side by side in
 * one run, and built in-process for reference. CPU is read per thread from /proc/self/task: the
 * personalizer's thread, and the rest of the process (its main thread, which posts the rows and
 * receives the list, and V8's and libuv's helper threads, where garbage collection also runs).
 * Batches go 3 at a time, as a worker's batch jobs ask for them. Nothing but this process runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import { createPersonalizer, createThreadedPersonalizer, THREAD_HEAP, type Personalizer } from '../src/mail/personalizer';
import type { PersonalizationRecipe, PersonalizationRow } from '../src/mail/personalization';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const batches = Math.max(10, Number(option('batches', '300')));
const youngSizes = option('young', '4,8,12,16,24,32')
  .split(',')
  .map(Number)
  .filter((n) => Number.isFinite(n) && n > 0);
const repeats = Math.max(1, Number(option('repeat', '2')));
const IN_FLIGHT = 3;

/** A variant's recipe and a batch of readers as the worker reads them (addresses, names, link keys of real length). */
const recipe: PersonalizationRecipe = {
  publicUrl: 'https://nieuwsbrief.zorgnetwerk-rotterdam.example',
  viewUrl: 'https://nieuwsbrief.zorgnetwerk-rotterdam.example/newsletter/editions/k3b1x0q9w8e7r6t5y4u3i2o1/nl',
  locale: 'nl',
  unsubscribeMailbox: 'afmelden@zorgnetwerk-rotterdam.example',
};
const rows: PersonalizationRow[] = Array.from({ length: 1000 }, (_, i) => ({
  subscriberDocumentId: `d${String(i).padStart(6, '0')}q9w8e7r6t5y4u3i2o`,
  email: `lezer.${100000 + i}@zorginstelling-${i % 12}.example.nl`,
  name: i % 3 === 0 ? null : `Lezer ${i} van Dijk`,
  linkKey: `Kq3${String(i).padStart(6, '0')}x0Zp9Yw8Vb7Un`,
  customArgs: { delivery: (5_000_000 + i).toString(36) },
}));

/** CPU seconds (user + system) of each thread of this process, by thread id. */
function threadCpu(): Map<string, number> {
  const ticks = 100; // USER_HZ on Linux
  const cpu = new Map<string, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpu.set(tid, (Number(fields[11]) + Number(fields[12])) / ticks);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return cpu;
}

interface Result {
  label: string;
  wallMs: number;
  processMs: number;
  threadMs: number | null;
}

async function measure(label: string, make: () => Personalizer): Promise<Result> {
  const before = new Set(threadCpu().keys());
  const personalizer = make();
  try {
    for (let i = 0; i < 20; i++) await personalizer.build(recipe, rows); // start the thread, warm up
    const own = [...threadCpu().keys()].filter((tid) => !before.has(tid));
    const start = threadCpu();
    const cpu = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const inFlight: Array<Promise<unknown>> = [];
    for (let i = 0; i < batches; i++) {
      inFlight.push(
        personalizer.build(recipe, rows).then((list) => {
          if (list.length !== rows.length) throw new Error(`${list.length} personalizations for ${rows.length} rows`);
        }),
      );
      if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
    }
    await Promise.all(inFlight);
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const used = process.cpuUsage(cpu);
    const end = threadCpu();
    const threadMs = own.length > 0 ? own.reduce((sum, tid) => sum + ((end.get(tid) ?? 0) - (start.get(tid) ?? 0)), 0) * 1000 : null;
    return { label, wallMs, processMs: (used.user + used.system) / 1000, threadMs };
  } finally {
    await personalizer.close();
  }
}

async function main(): Promise<void> {
  // The personalizer's thread does not keep a process alive by itself (the worker has its queue connections).
  const keepAlive = setInterval(() => undefined, 1000);
  const secret = 'bench-secret-of-realistic-length-0123456789';
  process.stdout.write(
    `personalizer: ${batches} batches of ${rows.length} per run, ${IN_FLIGHT} in flight, young generations ${youngSizes.join(', ')} MB (old ${THREAD_HEAP.maxOldGenerationSizeMb} MB), ${repeats} round(s); ${os.cpus().length} x ${os.cpus()[0]?.model}, node ${process.version}\n`,
  );
  const results = new Map<string, Result[]>();
  for (let round = 1; round <= repeats; round++) {
    // Interleaved, so that a change in the machine's speed touches every size alike.
    const runs: Array<[string, () => Personalizer]> = [
      ['in-process (no thread)', () => createPersonalizer(secret)],
      ...youngSizes.map((mb): [string, () => Personalizer] => [
        `thread, young ${mb} MB${mb === THREAD_HEAP.maxYoungGenerationSizeMb ? ' (shipped)' : ''}`,
        () => createThreadedPersonalizer(secret, { ...THREAD_HEAP, maxYoungGenerationSizeMb: mb }),
      ]),
    ];
    for (const [label, make] of runs) {
      const result = await measure(label, make);
      results.set(label, [...(results.get(label) ?? []), result]);
      process.stdout.write(`[round ${round}] ${label}: ${(result.processMs / batches).toFixed(1)} ms CPU per batch\n`);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
  process.stdout.write(
    '\n| built | process CPU ms per batch | of it, personalizer thread | rest of the process (main, GC helpers) | wall ms per batch |\n| --- | ---: | ---: | ---: | ---: |\n',
  );
  for (const [label, list] of results) {
    const processMs = median(list.map((r) => r.processMs)) / batches;
    const threadMs = list[0].threadMs === null ? null : median(list.map((r) => r.threadMs ?? 0)) / batches;
    const wallMs = median(list.map((r) => r.wallMs)) / batches;
    process.stdout.write(
      `| ${label} | ${processMs.toFixed(1)} | ${threadMs === null ? '-' : threadMs.toFixed(1)} | ${threadMs === null ? '-' : (processMs - threadMs).toFixed(1)} | ${wallMs.toFixed(1)} |\n`,
    );
  }
  process.stdout.write(`(medians of ${repeats} round(s); thread CPU from /proc at 10 ms resolution)\n`);
  clearInterval(keepAlive);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
