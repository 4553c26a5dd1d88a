import { spawn, type ChildProcess } from 'node:child_process';
import { onJsonLines } from '../../scripts/lib/json-lines';
import { workerCommand } from '../../scripts/lib/worker-command';
import fs from 'node:fs';
import path from 'node:path';
import type { SinkCounts } from '../../scripts/mail-sink/server';

const APP_ROOT = path.resolve(__dirname, '..', '..');

// ------------------------------------------------------------------ the stand-in (child process)

export interface SinkProcess {
  url: string;
  pid: number;
  counts(): Promise<SinkCounts>;
  /** Zeroes the counts (DELETE /__sink/messages). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSinkProcess(apiKey: string): Promise<SinkProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'sink-child.ts')], {
    cwd: APP_ROOT,
    env: { ...process.env, BENCH_SINK_API_KEY: apiKey },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the mail stand-in did not start within 30 s')), 30_000);
    child.once('message', (message: { url: string }) => {
      clearTimeout(timer);
      resolve(message.url);
    });
    child.once('exit', (code) => reject(new Error(`the mail stand-in exited (${code})`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    pid: child.pid!,
    async counts() {
      const response = await fetch(`${url}/__sink/counts`);
      return (await response.json()) as SinkCounts;
    },
    async reset() {
      const response = await fetch(`${url}/__sink/messages`, { method: 'DELETE' });
      await response.arrayBuffer();
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

// ------------------------------------------------------------------ the worker (child process)

export type WorkerEvent = Record<string, unknown> & { event?: string; time?: string };

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  events: WorkerEvent[];
  /** Null while running; otherwise the exit code or signal and the end of its stderr. */
  exited(): string | null;
  waitFor(predicate: (event: WorkerEvent) => boolean, timeoutMs: number): Promise<WorkerEvent>;
  stop(): Promise<void>;
}

/**
 * The worker exactly as `npm run worker` starts it (scripts/lib/worker-command.ts, heap cap
 * included), plus any extra node arguments (a later --max-old-space-size wins); resolves after `worker.started`.
 */
export async function startWorkerProcess(env: Record<string, string>, nodeArgs: string[] = []): Promise<WorkerProcess> {
  const launch = workerCommand(APP_ROOT);
  const script = launch.args[launch.args.length - 1];
  const child = spawn(launch.command, [...launch.args.slice(0, -1), ...nodeArgs, script], {
    cwd: APP_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: WorkerEvent[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  onJsonLines(child.stdout!, (event) => {
    events.push(event as WorkerEvent);
    for (const wake of waiters) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const waitFor = (predicate: (event: WorkerEvent) => boolean, timeoutMs: number) =>
    new Promise<WorkerEvent>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      const check = () => {
        const found = events.find(predicate);
        if (found) {
          done();
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`worker: no matching event within ${timeoutMs} ms; last events: ${JSON.stringify(events.slice(-3))}; stderr: ${stderr}`));
      }, timeoutMs);
      waiters.add(check);
      check();
      void exited.then(() => {
        if (waiters.has(check)) {
          done();
          reject(new Error(`worker exited (${child.exitCode ?? child.signalCode}); stderr: ${stderr}`));
        }
      });
    });

  const worker: WorkerProcess = {
    child,
    pid: child.pid!,
    events,
    exited: () => (child.exitCode === null && child.signalCode === null ? null : `exit ${child.exitCode ?? child.signalCode}; stderr: ${stderr.slice(-600)}`),
    waitFor,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
  await waitFor((event) => event.event === 'worker.started', 180_000);
  return worker;
}

// ------------------------------------------------------------------ memory

/** A field of /proc/<pid>/status in MB (VmRSS, VmHWM), or null when the process is gone. */
export function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on Linux (x86-64, arm64)

/** CPU seconds (user + system) a process has used so far; null when it is gone or /proc is not there. */
export function processCpuSeconds(pid: number): number | null {
  try {
    // Fields after the command name (which may contain spaces, hence the last ')'): utime is the 12th, stime the 13th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU seconds used so far by each PostgreSQL server process on this machine (backends, WAL writer, checkpointer, autovacuum), by pid. */
export function postgresCpuByPid(): Map<number, number> {
  const used = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').startsWith('postgres')) continue;
    } catch {
      continue;
    }
    const seconds = processCpuSeconds(Number(entry));
    if (seconds !== null) used.set(Number(entry), seconds);
  }
  return used;
}

/**
 * What PostgreSQL's processes used since `before` (postgresCpuByPid): processes started since count
 * in full, processes that ended in between are not seen (their last part is missed). Other
 * databases' work on the machine counts too; the bench runs alone.
 */
export function postgresCpuSince(before: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of postgresCpuByPid()) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/** Resets VmHWM to the current RSS (Linux: `echo 5 > /proc/<pid>/clear_refs`). Returns whether it worked. */
export function resetPeakRss(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples VmRSS every `everyMs` until stopped; returns the highest sample. */
export function sampleRss(pid: number, everyMs = 100): { stop(): { maxMb: number; samples: number } } {
  let maxMb = 0;
  let samples = 0;
  const take = () => {
    const rss = procStatusMb(pid, 'VmRSS');
    if (rss !== null) {
      maxMb = Math.max(maxMb, rss);
      samples += 1;
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { maxMb, samples };
    },
  };
}
