import path from 'node:path';

/**
 * How a worker process is started (dev command, tests; `npm run worker` in package.json matches):
 * node itself with tsx as a loader, so that a signal reaches the worker and not a wrapper, and a
 * heap cap: without one V8 lets garbage pile up to ~700 MB on a million-recipient edition. The
 * loaded worker holds ~200 MB of live heap, so a 256 MB cap left it collecting all the time
 * (pipeline/floor 2.3 at 100k against 1.3-1.4 with 320-384 MB, at the same peak RSS of ~355 MB:
 * bench/README.md).
 */
export const WORKER_HEAP_MB = 384;

export function workerCommand(appRoot: string): { command: string; args: string[] } {
  return { command: process.execPath, args: [`--max-old-space-size=${WORKER_HEAP_MB}`, '--import', 'tsx', path.join(appRoot, 'workers', 'index.ts')] };
}
