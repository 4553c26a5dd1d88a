import type { DatabaseKind } from './setup';
import type { FeedbackRunResult } from './feedback-run';
import { table } from './report';

/** The Event Webhook's targets: events applied per second and the endpoint's p99. */
export const FEEDBACK_TARGETS = { appliedPerSecond: 20_000, p99Ms: 100 };

export interface FeedbackRun {
  db: DatabaseKind;
  /** 1, 2, ... with --repeat (each from scratch). */
  repeat: number;
  deliveries: number;
  inFlight: number;
  /** Events per second offered; 0: as fast as answered. */
  rate: number;
  /** The worker was stopped while the posts went out (--hold-worker). */
  holdWorker: boolean;
  setupSeconds: number;
  /** The machine's 1-minute load average just before the posts and right after the checks. */
  load: [number, number];
  result: FeedbackRunResult;
}

const f = (value: number | null | undefined, digits = 1) => (value === null || value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits));
const n = (value: number) => Math.round(value).toLocaleString('en');
const mark = (pass: boolean) => (pass ? 'PASS' : 'MISS');

export const correct = (run: FeedbackRun) => run.result.checks.every((check) => check.expected === check.found);

export function feedbackTargets(run: FeedbackRun): Array<{ target: string; measured: string; verdict: string }> {
  const r = run.result;
  return [
    {
      target: `events applied >= ${n(FEEDBACK_TARGETS.appliedPerSecond)} /s`,
      measured: `${n(r.appliedPerSecond)} /s`,
      // Paced below the target, or the worker held: the figure is not the worker's throughput.
      verdict: run.holdWorker
        ? 'n/a (worker held)'
        : run.rate > 0 && run.rate < FEEDBACK_TARGETS.appliedPerSecond * 1.05
          ? 'n/a (paced)'
          : mark(r.appliedPerSecond >= FEEDBACK_TARGETS.appliedPerSecond),
    },
    {
      target: `endpoint p99 < ${FEEDBACK_TARGETS.p99Ms} ms while it runs`,
      measured: `${f(r.latencyMs.p99, 1)} ms`,
      verdict: mark(r.latencyMs.p99 < FEEDBACK_TARGETS.p99Ms),
    },
    {
      target: 'every event applied once per reader (the checks)',
      measured: `${r.checks.filter((check) => check.expected === check.found).length}/${r.checks.length} checks hold`,
      verdict: correct(run) ? 'PASS' : 'FAIL',
    },
  ];
}

/** A run whose figures are the medians of the group's (for the verdicts over --repeat); checks: all must hold. */
export function medianRun(group: FeedbackRun[]): FeedbackRun {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  };
  const first = group[0];
  return {
    ...first,
    result: {
      ...first.result,
      appliedPerSecond: median(group.map((run) => run.result.appliedPerSecond)),
      latencyMs: { ...first.result.latencyMs, p99: median(group.map((run) => run.result.latencyMs.p99)) },
      checks: group.flatMap((run) => run.result.checks),
    },
  };
}

export function checksTable(run: FeedbackRun): string {
  return table([
    ['check', 'expected', 'found', ''],
    ...run.result.checks.map((check) => [check.check, n(check.expected), n(check.found), check.expected === check.found ? 'ok' : 'WRONG']),
  ]);
}

export function summaryTable(runs: FeedbackRun[]): string {
  const rows = [
    [
      'db',
      'load',
      'deliveries',
      'events (posts)',
      'offered ev/s',
      'accepted ev/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'applied ev/s',
      'apply s',
      'job ms p50 / p95',
      'max waiting',
      'failed attempts',
      'worker MB',
      'CMS MB',
      'applied',
      'p99',
      'checks',
    ],
  ];
  for (const run of runs) {
    const r = run.result;
    const [applied, p99, checks] = feedbackTargets(run).map((target) => target.verdict);
    rows.push([
      run.repeat > 1 ? `${run.db} #${run.repeat}` : run.db,
      `${f(run.load[0], 1)}-${f(run.load[1], 1)}`,
      n(run.deliveries),
      `${n(r.events)} (${n(r.posts)})`,
      run.rate > 0 ? `${n(run.rate)}${r.maxLagMs > 100 ? ` (late ${f(r.maxLagMs / 1000, 1)} s)` : ''}` : `max (${run.inFlight} in flight)`,
      n(r.acceptedPerSecond),
      f(r.latencyMs.p50),
      f(r.latencyMs.p95),
      f(r.latencyMs.p99),
      f(r.latencyMs.max),
      n(r.appliedPerSecond),
      f(r.applySeconds, 2),
      `${f(r.jobs.msP50, 0)} / ${f(r.jobs.msP95, 0)}`,
      String(r.maxWaiting),
      String(r.failedAttempts),
      f(r.worker.peakRssMb, 0),
      f(r.cmsSampledMaxRssMb, 0),
      applied,
      p99,
      checks,
    ]);
  }
  return table(rows);
}

/** With --profile: statements per job and where the worker's CPU went while it applied. */
export function feedbackProfileReport(run: FeedbackRun): string {
  const profile = run.result.profile;
  if (!profile) return '';
  const jobs = run.result.jobs.count;
  const statements = profile.sql.reduce((sum, row) => sum + row.count, 0);
  const sqlMs = profile.sql.reduce((sum, row) => sum + row.ms, 0);
  const redisCommands = Object.values(profile.redis).reduce((sum, count) => sum + count, 0);
  return [
    `profile of the worker while it applied (${run.db}; profiler on, so times are inflated): ${f(profile.seconds, 2)} s recorded, ${n(jobs)} jobs, job time total ${n(run.result.jobs.msTotal)} ms (concurrency 2)`,
    `SQL: ${n(statements)} statements (${f(statements / jobs, 1)} per job), ${f(sqlMs / 1000, 2)} s inside the driver (${f(sqlMs / jobs, 1)} ms per job); Redis: ${n(redisCommands)} commands (${f(redisCommands / jobs, 1)} per job)`,
    `memory peaks (MB): ${Object.entries(profile.memoryMb)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ')}`,
    table([
      ['SQL statement (normalised)', 'count', 'per job', 'ms total', 'ms per job'],
      ...profile.sql.slice(0, 16).map((row) => [row.text.slice(0, 120), n(row.count), f(row.count / jobs, 2), n(row.ms), f(row.ms / jobs, 2)]),
    ]),
    `CPU ${f(profile.cpu.totalMs / 1000, 2)} s sampled; by package/file (self ms, with a frame on the stack ms):`,
    table([['owner', 'self ms', 'inclusive ms'], ...profile.cpu.byOwner.slice(0, 14).map((row) => [row.owner, n(row.selfMs), n(row.inclusiveMs)])]),
    `project functions on the stack (ms): ${Object.entries(profile.cpu.keyFunctions)
      .filter(([, ms]) => ms > 0)
      .map(([name, ms]) => `${name} ${n(ms)}`)
      .join(', ')}`,
    table([['hottest functions (self)', 'ms'], ...profile.cpu.topFunctions.slice(0, 12).map((row) => [row.fn.slice(0, 100), n(row.selfMs)])]),
  ].join('\n');
}
