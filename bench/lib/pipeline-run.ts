import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import IORedis from 'ioredis';
import type { Knex } from 'knex';
import { createKnexSendingStore } from '../../src/mailings/engine/knex-store';
import { mailingKey, type MailingRef } from '../../src/mailings/engine/mailing';
import { enqueuePlan, sendingQueue } from '../../src/mailings/engine/queue';
import { BATCHES, DELIVERIES, VARIANTS } from '../../src/mailings/engine/schema';
import { summariseProfile, type ProfileSummary } from './profile';
import { deleteRedisPrefix } from '../../scripts/lib/redis-server';
import {
  postgresCpuByPid,
  postgresCpuSince,
  processCpuSeconds,
  procStatusMb,
  resetPeakRss,
  sampleRss,
  startWorkerProcess,
  type SinkProcess,
  type WorkerEvent,
} from './processes';

export interface PipelineResult {
  seconds: number;
  recipientsPerSecond: number;
  recipients: number;
  submitted: number;
  /** MJML renders: the mailing's variants_count (variants are rendered once, at planning). */
  renders: number;
  /** Rows in newsletter_variants for the mailing (cross-check of `renders`). */
  variantRows: number;
  batches: number;
  /** From the worker's own log: enqueue -> `mailing.planned`, and `mailing.planned` -> `mailing.sent`. */
  planSeconds: number | null;
  /** Enqueue -> the first `batch.submitted`: planning is committed in chunks, and sending starts after the first. */
  firstBatchSeconds: number | null;
  sendSeconds: number | null;
  /** Median gap between consecutive `batch.submitted` log lines (with 4 in flight: ~batch time / 4). */
  medianBatchGapMs: number | null;
  worker: {
    bootSeconds: number;
    /** VmRSS right after `worker.started`. */
    idleRssMb: number | null;
    /** VmHWM at the end: the peak of the whole process life, boot included. */
    peakRssMb: number | null;
    /** VmHWM at the end after resetting it once the worker had started: the peak of the send alone. */
    sendPeakRssMb: number | null;
    /** Highest VmRSS sample (every 100 ms) during the send. */
    sampledMaxRssMb: number;
    rssSamples: number;
  };
  /**
   * CPU seconds used during the timed run, per process: where a 2-core machine's 2 CPU seconds per
   * second went. `database`: every PostgreSQL server process (null on SQLite, which runs inside the worker).
   */
  cpuSeconds: { worker: number | null; standIn: number | null; database: number | null };
  /** With --profile: what the probe inside the worker recorded during the send (bench/lib/worker-probe.ts). */
  profile?: {
    seconds: number;
    sql: Array<{ text: string; count: number; ms: number }>;
    redis: Record<string, number>;
    memoryMb: Record<string, number>;
    cpu: ProfileSummary;
    files: string[];
  };
}

const timeOf = (event: WorkerEvent | undefined) => (event?.time ? Date.parse(event.time) : null);

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Starts one worker, waits for `worker.started`, then sends the mailing as `npm run newsletter --
 * send` does (made due, the plan job enqueued) and times it until the stand-in has accepted every
 * recipient and the mailing is `sent`.
 */
export async function runPipeline(options: {
  db: Knex;
  env: Record<string, string>;
  sink: SinkProcess;
  mailing: MailingRef;
  recipients: number;
  batchSize: number;
  /** Extra node arguments for the worker (e.g. --max-old-space-size=256). */
  workerNodeArgs: string[];
  /** Experiment (PostgreSQL): the bench runs ANALYZE on the deliveries table as soon as the edition is planned (inside the timing). */
  analyzeAfterPlan?: boolean;
  /** Base path (no extension) for the probe's output; enables profiling. */
  profile?: string;
  progress: (line: string) => void;
}): Promise<PipelineResult> {
  const { db, sink, recipients } = options;
  const store = createKnexSendingStore(db);
  const prefix = `np-bench-${randomBytes(4).toString('hex')}`;
  const redisUrl = options.env.REDIS_URL;
  const bootStarted = Date.now();
  const probe = [...options.workerNodeArgs, ...(options.profile ? ['--import', path.join(__dirname, 'worker-probe.ts')] : [])];
  const worker = await startWorkerProcess(
    {
      ...options.env,
      REDIS_PREFIX: prefix,
      NEWSLETTER_TICK_MS: '200',
      NEWSLETTER_BATCH_SIZE: String(options.batchSize),
      ...(options.profile ? { BENCH_PROBE_OUT: options.profile } : {}),
    },
    probe,
  );
  const bootSeconds = (Date.now() - bootStarted) / 1000;
  const redis = new IORedis(redisUrl, { maxRetriesPerRequest: null });
  const queue = sendingQueue(redis, prefix);
  const ref = options.mailing;
  const mailing = mailingKey(ref);
  const byMailing = { mailing_kind: ref.kind, mailing_id: ref.id };
  try {
    // Let the start-up tick and the first scheduled ticks pass; then measure from a quiet worker.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idleRssMb = procStatusMb(worker.pid, 'VmRSS');
    const bootPeak = procStatusMb(worker.pid, 'VmHWM');
    const resetWorked = resetPeakRss(worker.pid);
    await sink.reset();
    const sampler = sampleRss(worker.pid);
    options.progress(`worker up in ${bootSeconds.toFixed(1)} s (RSS ${idleRssMb?.toFixed(0)} MB); sending ${recipients.toLocaleString('en')} recipients`);

    if (options.profile) {
      worker.child.kill('SIGUSR2'); // the probe starts recording
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    // "send": what scripts/newsletter.ts send does (schedule now, enqueue the plan), without its checks.
    const postgres = options.env.DATABASE_CLIENT === 'postgres';
    const cpuBefore = { worker: processCpuSeconds(worker.pid), standIn: processCpuSeconds(sink.pid), database: postgres ? postgresCpuByPid() : null };
    const started = performance.now();
    const startedAt = Date.now();
    await store.schedule(ref, new Date());
    await enqueuePlan(queue, ref, true);

    const deadline = Date.now() + 120_000 + recipients * 2; // bounded: 2 min + 2 ms per recipient
    let accepted = 0;
    let lastReport = Date.now();
    let state = '';
    let analyzed = !options.analyzeAfterPlan;
    for (;;) {
      if (!analyzed && worker.events.some((event) => event.event === 'mailing.planned' && event.mailing === mailing)) {
        analyzed = true;
        const before = performance.now();
        await db.raw(`ANALYZE ${DELIVERIES}`);
        options.progress(`  ANALYZE ${DELIVERIES} after planning: ${((performance.now() - before) / 1000).toFixed(2)} s`);
      }
      if (accepted < recipients) accepted = (await sink.counts()).recipientsAccepted;
      if (accepted >= recipients) state = (await store.mailing(ref))?.state ?? 'missing';
      if (accepted >= recipients && state === 'sent') break;
      if (['failed', 'cancelled', 'skipped', 'missing'].includes(state)) throw new Error(`${mailing} ended ${state}`);
      const failed = worker.events.find((event) => event.event === 'newsletter.job-failed');
      // knex puts the SQL first: "<sql> - <cause>"; the cause is what matters.
      if (failed) {
        const cause = String(failed.message).split(' - ').pop()!.slice(0, 300);
        const hint = /too many terms in compound SELECT/.test(cause)
          ? ' (SQLite refuses multi-row inserts of more than 500 rows; planning inserts in slices of 500 since 71fdf8e: has that regressed? --batch-size 500 works around it)'
          : '';
        throw new Error(`the worker's ${String(failed.name)} job failed: ${cause}${hint}`);
      }
      const exited = worker.exited();
      if (exited) throw new Error(`the worker died: ${exited}`);
      if (Date.now() > deadline) throw new Error(`timed out: ${accepted}/${recipients} accepted, ${mailing} ${state || 'not final'}`);
      if (Date.now() - lastReport > 5000) {
        lastReport = Date.now();
        options.progress(
          `  ... ${accepted.toLocaleString('en')}/${recipients.toLocaleString('en')} accepted after ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const seconds = (performance.now() - started) / 1000;
    const used = (before: number | null, after: number | null) => (before === null || after === null ? null : after - before);
    const cpuSeconds = {
      worker: used(cpuBefore.worker, processCpuSeconds(worker.pid)),
      standIn: used(cpuBefore.standIn, processCpuSeconds(sink.pid)),
      database: cpuBefore.database ? postgresCpuSince(cpuBefore.database) : null,
    };
    const rss = sampler.stop();
    const peakRssMb = procStatusMb(worker.pid, 'VmHWM'); // before the probe (if any) serialises its profile
    const profile = options.profile ? await collectProbe(worker.child, options.profile) : undefined;

    const counts = (await store.counts(ref))!;
    const variantRows = Number(((await db(VARIANTS).where(byMailing).count({ n: '*' }).first()) as { n: unknown }).n);
    const batches = Number(((await db(BATCHES).where(byMailing).count({ n: '*' }).first()) as { n: unknown }).n);
    const submittedRows = Number(
      (
        (await db(DELIVERIES)
          .where({ ...byMailing, status: 'submitted' })
          .count({ n: '*' })
          .first()) as { n: unknown }
      ).n,
    );
    if (submittedRows !== recipients || counts.submitted !== recipients)
      throw new Error(`expected ${recipients} submitted deliveries, found ${submittedRows} (counter ${counts.submitted})`);

    const planned = worker.events.find((event) => event.event === 'mailing.planned' && event.mailing === mailing);
    // The worker logs `mailing.sent` right after its update: the line may arrive after the bench saw the status.
    const sent = await worker.waitFor((event) => event.event === 'mailing.sent' && event.mailing === mailing, 5000).catch(() => undefined);
    const batchTimes = worker.events
      .filter((event) => event.event === 'batch.submitted' && event.mailing === mailing)
      .map((event) => timeOf(event)!)
      .sort((a, b) => a - b);
    const gaps = batchTimes.slice(1).map((time, i) => time - batchTimes[i]);
    return {
      seconds,
      recipientsPerSecond: recipients / seconds,
      recipients,
      submitted: submittedRows,
      renders: counts.variants,
      variantRows,
      batches,
      planSeconds: planned ? (timeOf(planned)! - startedAt) / 1000 : null,
      firstBatchSeconds: batchTimes.length > 0 ? (batchTimes[0] - startedAt) / 1000 : null,
      sendSeconds: planned && sent ? (timeOf(sent)! - timeOf(planned)!) / 1000 : null,
      medianBatchGapMs: median(gaps),
      cpuSeconds,
      worker: {
        bootSeconds,
        idleRssMb,
        peakRssMb: resetWorked && bootPeak !== null && peakRssMb !== null ? Math.max(bootPeak, peakRssMb) : peakRssMb,
        sendPeakRssMb: resetWorked ? peakRssMb : null,
        sampledMaxRssMb: rss.maxMb,
        rssSamples: rss.samples,
      },
      profile,
    };
  } finally {
    await queue.close();
    await worker.stop();
    await redis.quit();
    await deleteRedisPrefix(redisUrl, prefix);
  }
}

/** Stops the probe in the worker (second SIGUSR2) and reads what it wrote; `keyFunctions`: see summariseProfile. */
export async function collectProbe(
  child: import('node:child_process').ChildProcess,
  base: string,
  keyFunctions?: string[],
): Promise<PipelineResult['profile']> {
  for (const file of [`${base}.json`, `${base}.cpuprofile`]) fs.rmSync(file, { force: true });
  child.kill('SIGUSR2'); // the probe stops and writes its files
  for (let attempt = 0; attempt < 200 && !(fs.existsSync(`${base}.json`) && fs.existsSync(`${base}.cpuprofile`)); attempt += 1)
    await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const recorded = JSON.parse(fs.readFileSync(`${base}.json`, 'utf8')) as Omit<NonNullable<PipelineResult['profile']>, 'cpu' | 'files'>;
  return { ...recorded, cpu: summariseProfile(`${base}.cpuprofile`, keyFunctions), files: [`${base}.json`, `${base}.cpuprofile`] };
}
