import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { onJsonLines } from '../../scripts/lib/json-lines';
import { workerCommand } from '../../scripts/lib/worker-command';
import { trackChild } from './children';

const APP_ROOT = path.resolve(__dirname, '..', '..');

export interface WorkerProcess {
  child: ChildProcess;
  /** Every JSON log line the worker printed so far. */
  events: Array<Record<string, unknown>>;
  waitFor(predicate: (event: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `npm run worker` (workers/index.ts) as a real child process with the test's environment. */
export async function startWorker(env: Record<string, string> = {}): Promise<WorkerProcess> {
  const { command, args } = workerCommand(APP_ROOT);
  const child = trackChild(
    spawn(command, args, {
      cwd: APP_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const events: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  let stderr = '';
  onJsonLines(child.stdout!, (event) => {
    events.push(event);
    waiters.forEach((wake) => wake());
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const waitFor = (predicate: (event: Record<string, unknown>) => boolean, timeoutMs = 60_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = events.find(predicate);
        if (found) {
          clearTimeout(timer);
          resolve(found);
          return true;
        }
        return false;
      };
      const timer = setTimeout(
        () => reject(new Error(`worker: no matching event within ${timeoutMs} ms; events: ${JSON.stringify(events.slice(-5))}; stderr: ${stderr}`)),
        timeoutMs,
      );
      if (!check()) waiters.push(() => void check());
      void exited.then(() => {
        if (!check()) reject(new Error(`worker exited (${child.exitCode ?? child.signalCode}); stderr: ${stderr}`));
      });
    });

  const worker: WorkerProcess = {
    child,
    events,
    waitFor,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  // Loading Strapi takes seconds on an idle machine and much longer on a busy one.
  await waitFor((event) => event.event === 'worker.started', 240_000);
  return worker;
}
