import path from 'node:path';

/**
 * How a worker process is started (dev command, tests; `npm run worker` in package.json matches):
 * node itself with tsx as a loader, so that a signal reaches the worker and not a wrapper, and a
 * heap cap: without one V8 lets garbage pile up to ~700 MB on a million-recipient edition; with
 * 256 MB the worker stays near 350 MB at the same speed (bench/README.md).
 */
export const WORKER_HEAP_MB = 256;

export function workerCommand(appRoot: string): { command: string; args: string[] } {
  return { command: process.execPath, args: [`--max-old-space-size=${WORKER_HEAP_MB}`, '--import', 'tsx', path.join(appRoot, 'workers', 'index.ts')] };
}
