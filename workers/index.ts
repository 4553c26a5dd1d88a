/**
 * `npm run worker`: the background worker's entry point. What it consumes and how it is wired is
 * src/app/worker/worker.ts (the worker's composition root); workers/README.md describes the queues.
 */
import { log, startWorker } from '../src/app/worker/worker';

startWorker().catch((error) => {
  log('error', 'worker.failed', { message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
