import type { FloorResult } from './floor';
import type { NaiveResult } from './naive';
import type { PipelineResult } from './pipeline-run';
import type { MailingKind } from '../../src/mailings/engine/mailing';
import type { DatabaseKind, Prepared } from './setup';

export interface RunResult {
  db: DatabaseKind;
  size: number;
  mailing: MailingKind;
  /** 1, 2, ... with --repeat: pipeline and floor again on the same data. */
  repeat: number;
  setup: Prepared['seconds'];
  pipeline: PipelineResult;
  floor: FloorResult;
  ratio: number;
  naive?: NaiveResult;
}

/** The send's targets: 1M recipients, pipeline and memory. */
export const TARGETS = {
  seconds100k: 10,
  seconds1M: 30,
  ratio: 1.5,
  rssMb1M: 400,
  rssGrowth1M: 1.2,
};

const mark = (pass: boolean | null) => (pass === null ? 'n/a' : pass ? 'PASS' : 'MISS');
const f = (value: number | null | undefined, digits = 1) => (value === null || value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits));
const n = (value: number) => Math.round(value).toLocaleString('en');

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' | ')} |`;
  return [
    line(rows[0]),
    `|${widths.map((width, column) => (column === 0 ? ':' : '') + '-'.repeat(width + 1) + (column === 0 ? '' : ':')).join('|')}|`,
    ...rows.slice(1).map(line),
  ].join('\n');
}

/** Targets that concern one run: 100k under 10 s, 1M under 30 s, pipeline within 1.5x the floor, worker peak under 400 MB at 1M. */
export function runTargets(run: RunResult): Array<{ target: string; pass: boolean | null }> {
  // The ratio target is for 100k and more: at 10k, fixed costs (job pickup, the worker's tick) dominate both.
  const targets: Array<{ target: string; pass: boolean | null }> =
    run.size >= 100_000 ? [{ target: `pipeline/floor <= ${TARGETS.ratio}`, pass: run.ratio <= TARGETS.ratio }] : [];
  if (run.size === 100_000) targets.unshift({ target: `100k in < ${TARGETS.seconds100k} s`, pass: run.pipeline.seconds < TARGETS.seconds100k });
  if (run.size === 1_000_000) targets.unshift({ target: `1M in < ${TARGETS.seconds1M} s`, pass: run.pipeline.seconds < TARGETS.seconds1M });
  if (run.size === 1_000_000 && run.pipeline.worker.peakRssMb !== null)
    targets.push({ target: `worker peak RSS < ${TARGETS.rssMb1M} MB at 1M`, pass: run.pipeline.worker.peakRssMb < TARGETS.rssMb1M });
  return targets;
}

/** Peak RSS at 1M at most 1.2x the value at 100k (same database, same run). */
export function growthTarget(runs: RunResult[], db: DatabaseKind): { ratio: number | null; pass: boolean | null } {
  const peak = (size: number) => runs.filter((run) => run.db === db && run.size === size).map((run) => run.pipeline.worker.peakRssMb ?? 0);
  const at = (size: number) => (peak(size).length > 0 ? Math.max(...peak(size)) : null);
  const small = at(100_000);
  const big = at(1_000_000);
  if (small === null || big === null) return { ratio: null, pass: null };
  return { ratio: big / small, pass: big / small <= TARGETS.rssGrowth1M };
}

export function runTable(run: RunResult): string {
  const p = run.pipeline;
  const fl = run.floor;
  const rows = [
    ['', 'pipeline', 'floor', 'pipeline/floor'],
    ['time (s)', f(p.seconds, 2), f(fl.seconds, 2), f(run.ratio, 2)],
    ['recipients/s', n(p.recipientsPerSecond), n(fl.recipientsPerSecond), ''],
    ['recipients', n(p.recipients), n(fl.recipients), ''],
    ['batches (requests)', n(p.batches), n(fl.batches), ''],
    ['MJML renders (variants_count / variant rows)', `${p.renders} / ${p.variantRows}`, '0 (reused)', ''],
    ['first request (enqueue -> first batch.submitted) s', f(p.firstBatchSeconds, 2), '', ''],
    [
      'phase: plan (enqueue -> mailing.planned; batches go out meanwhile) s',
      f(p.planSeconds, 2),
      `scan ${f(fl.scanSeconds, 2)} + insert ${f(fl.insertSeconds, 2)}`,
      '',
    ],
    ['phase: rest of the send (planned -> mailing.sent) s', f(p.sendSeconds, 2), `post ${f(fl.postSeconds, 2)}`, ''],
    ['median gap between batch.submitted (ms)', f(p.medianBatchGapMs, 0), '', ''],
    [
      'CPU s: worker / stand-in / PostgreSQL (2 per second on 2 cores)',
      `${f(p.cpuSeconds.worker, 1)} / ${f(p.cpuSeconds.standIn, 1)} / ${p.cpuSeconds.database === null ? 'in the worker' : f(p.cpuSeconds.database, 1)}`,
      '',
      '',
    ],
    ['worker boot (s, not timed)', f(p.worker.bootSeconds, 1), '', ''],
    ['worker RSS idle / sampled max (MB)', `${f(p.worker.idleRssMb, 0)} / ${f(p.worker.sampledMaxRssMb, 0)}`, '', ''],
    ['worker VmHWM whole life / send only (MB)', `${f(p.worker.peakRssMb, 0)} / ${f(p.worker.sendPeakRssMb, 0)}`, '', ''],
  ];
  if (run.naive) {
    rows.push(['naive: recipients, time (s), rec/s', `${run.naive.recipients}, ${f(run.naive.seconds, 1)}, ${n(run.naive.recipientsPerSecond)}`, '', '']);
    rows.push([
      'naive: renders / requests; 100k extrapolated (s)',
      `${run.naive.renders} / ${run.naive.requests}; ${n(run.naive.extrapolated100kSeconds)}`,
      '',
      '',
    ]);
  }
  const targets = runTargets(run)
    .map((t) => `${t.target}: ${mark(t.pass)}`)
    .join('; ');
  return `${run.db}, ${n(run.size)} subscribers, ${run.mailing}${run.repeat > 1 ? ` (repeat ${run.repeat})` : ''} (setup, not timed: seed ${f(run.setup.seed, 1)} s, subscribers ${f(run.setup.subscribers, 1)} s)\n${table(rows)}\ntargets: ${targets}`;
}

export function summaryTable(runs: RunResult[]): string {
  const rows = [
    [
      'db',
      'subscribers',
      'mailing',
      'pipeline s',
      'rec/s',
      'first request s',
      'plan s',
      'rest s',
      'floor s',
      'pipe/floor',
      'renders',
      'batches',
      'worker peak MB (send)',
      'targets',
    ],
  ];
  for (const run of runs) {
    const p = run.pipeline;
    rows.push([
      run.db,
      n(run.size),
      run.repeat > 1 ? `${run.mailing} #${run.repeat}` : run.mailing,
      f(p.seconds, 2),
      n(p.recipientsPerSecond),
      f(p.firstBatchSeconds, 2),
      f(p.planSeconds, 2),
      f(p.sendSeconds, 2),
      f(run.floor.seconds, 2),
      f(run.ratio, 2),
      String(p.renders),
      n(p.batches),
      `${f(p.worker.peakRssMb, 0)} (${f(p.worker.sendPeakRssMb, 0)})`,
      runTargets(run)
        .map((t) => `${t.target.split(' ')[0]} ${mark(t.pass)}`)
        .join(', '),
    ]);
  }
  const lines = [table(rows)];
  const groups = new Map<string, RunResult[]>();
  for (const run of runs) groups.set(`${run.db} ${n(run.size)} ${run.mailing}`, [...(groups.get(`${run.db} ${n(run.size)} ${run.mailing}`) ?? []), run]);
  if ([...groups.values()].some((group) => group.length > 1)) {
    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const middle = Math.floor(sorted.length / 2);
      return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    };
    const medians = [
      ['db, subscribers, mailing', 'repeats', 'median pipeline s', 'median floor s', 'median pipe/floor', 'pipe/floor range', `<= ${TARGETS.ratio}`],
    ];
    for (const [key, group] of groups) {
      const ratios = group.map((run) => run.ratio);
      medians.push([
        key,
        String(group.length),
        f(median(group.map((run) => run.pipeline.seconds)), 2),
        f(median(group.map((run) => run.floor.seconds)), 2),
        f(median(ratios), 2),
        `${f(Math.min(...ratios), 2)}-${f(Math.max(...ratios), 2)}`,
        mark(group[0].size >= 100_000 ? median(ratios) <= TARGETS.ratio : null),
      ]);
    }
    lines.push('', 'medians over the repeats (each repeat: pipeline, then floor, on the same data):', table(medians));
  }
  for (const db of [...new Set(runs.map((run) => run.db))]) {
    const growth = growthTarget(runs, db);
    lines.push(
      `${db}: worker peak RSS 1M / 100k <= ${TARGETS.rssGrowth1M}: ${growth.ratio === null ? 'n/a (needs --sizes with 100000 and 1000000)' : `${f(growth.ratio, 2)} ${mark(growth.pass)}`}`,
    );
  }
  const naive = runs.filter((run) => run.naive);
  if (naive.length > 0) {
    const rowsNaive = [['db', 'recipients', 'naive s', 'rec/s', 'renders', 'requests', '100k extrapolated s']];
    for (const run of naive)
      rowsNaive.push([
        run.db,
        n(run.naive!.recipients),
        f(run.naive!.seconds, 1),
        n(run.naive!.recipientsPerSecond),
        n(run.naive!.renders),
        n(run.naive!.requests),
        n(run.naive!.extrapolated100kSeconds),
      ]);
    lines.push('', 'naive reference (render + one mail/send per subscriber):', table(rowsNaive));
  }
  return lines.join('\n');
}

/** With --profile: statements and Redis commands per batch, memory, and where the worker's CPU went. */
export function profileReport(run: RunResult): string {
  const profile = run.pipeline.profile;
  if (!profile) return '';
  const batches = run.pipeline.batches;
  const statements = profile.sql.reduce((sum, row) => sum + row.count, 0);
  const sqlMs = profile.sql.reduce((sum, row) => sum + row.ms, 0);
  const redisCommands = Object.values(profile.redis).reduce((sum, count) => sum + count, 0);
  const lines = [
    `profile of the worker during the send (${run.db}, ${n(run.size)}; profiler on, so times are inflated): ${f(profile.seconds, 2)} s recorded`,
    `SQL: ${n(statements)} statements (${f(statements / batches, 1)} per batch), ${f(sqlMs / 1000, 2)} s inside the driver; Redis: ${n(redisCommands)} commands (${f(redisCommands / batches, 1)} per batch): ${Object.entries(
      profile.redis,
    )
      .slice(0, 6)
      .map(([name, count]) => `${name} ${n(count)}`)
      .join(', ')}`,
    `memory peaks (MB): ${Object.entries(profile.memoryMb)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ')}`,
    table([
      ['SQL statement (normalised)', 'count', 'per batch', 'ms total'],
      ...profile.sql.slice(0, 18).map((row) => [row.text.slice(0, 110), n(row.count), f(row.count / batches, 2), n(row.ms)]),
    ]),
    `CPU ${f(profile.cpu.totalMs / 1000, 2)} s sampled; by package/file (self ms, with a frame on the stack ms):`,
    table([['owner', 'self ms', 'inclusive ms'], ...profile.cpu.byOwner.slice(0, 16).map((row) => [row.owner, n(row.selfMs), n(row.inclusiveMs)])]),
    `project functions on the stack (ms): ${Object.entries(profile.cpu.keyFunctions)
      .filter(([, ms]) => ms > 0)
      .map(([name, ms]) => `${name} ${n(ms)}`)
      .join(', ')}`,
    table([['hottest functions (self)', 'ms'], ...profile.cpu.topFunctions.slice(0, 15).map((row) => [row.fn.slice(0, 100), n(row.selfMs)])]),
  ];
  return lines.join('\n');
}
