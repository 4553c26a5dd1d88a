import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { personalizationsJson, type PersonalizationRecipe, type PersonalizationRow } from './personalization';
import { PersonalizationList, type PersonalizationListParts } from './personalization-list';

/**
 * Builds a batch's personalizations (v3 JSON, one per recipient, in order, as one list of bytes:
 * personalization-list.ts). Signing three links and serialising a thousand personalizations is
 * most of what a batch costs the process that sends it; the worker builds them in a thread of
 * their own (createThreadedPersonalizer), so that its main thread only reads, posts and settles,
 * and the machine's second core does this.
 */
export interface Personalizer {
  build(recipe: PersonalizationRecipe, rows: readonly PersonalizationRow[]): Promise<PersonalizationList>;
  close(): Promise<void>;
}

/** The rows themselves cannot be made into personalizations (trying again changes nothing). */
export class PersonalizationError extends Error {}

/** In the calling thread: for the CLI, tests and anything that sends little. */
export function createPersonalizer(tokenSecret: string): Personalizer {
  return {
    async build(recipe, rows) {
      try {
        return PersonalizationList.of(personalizationsJson(recipe, rows, tokenSecret));
      } catch (error) {
        throw new PersonalizationError(error instanceof Error ? error.message : String(error));
      }
    },
    close: async () => undefined,
  };
}

/**
 * The thread's heap: small, so that the worker's RSS stays near what it was without the thread; but
 * its young generation must hold a batch's short-lived strings. At 4-12 MB they outlived the
 * scavenges, filled the old generation and kept V8's GC threads busy: 26-28 ms of CPU per batch of
 * 1000, against 19-20 ms at 16-24 MB and 17 ms at 32 MB (`npm run bench -- personalizer`). 32 MB
 * took the worker to 403 MB at a million recipients (SQLite edition), 24 MB 379-381 (bench/README.md).
 */
export const THREAD_HEAP: Readonly<ThreadHeap> = { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 24 };

/** The thread's heap limits (worker_threads' resourceLimits). */
export interface ThreadHeap {
  maxOldGenerationSizeMb: number;
  maxYoungGenerationSizeMb: number;
}

interface Pending {
  resolve(value: PersonalizationList): void;
  reject(error: Error): void;
}

/**
 * In one worker thread, started on first use and again after it died (its requests in flight are
 * refused with a plain Error, so their batches go back to pending and are retried; what the rows
 * themselves cause is a PersonalizationError). The secret goes to the thread once, at its start.
 * `heap` is for `npm run bench -- personalizer`, which compares sizes.
 */
export function createThreadedPersonalizer(tokenSecret: string, heap: Readonly<ThreadHeap> = THREAD_HEAP): Personalizer {
  let thread: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const failAll = (error: Error) => {
    for (const request of pending.values()) request.reject(error);
    pending.clear();
  };

  function start(): Worker {
    const entry = path.join(__dirname, `personalizer-thread${path.extname(__filename)}`);
    const options = { workerData: { tokenSecret }, resourceLimits: { ...heap } };
    // Under tsx (the worker runs TypeScript) a thread does not inherit its loader: register it there first.
    const started = entry.endsWith('.ts')
      ? new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(entry)});`, { ...options, eval: true })
      : new Worker(entry, options);
    started.on('message', (message: { id: number; built?: PersonalizationListParts; error?: string }) => {
      const request = pending.get(message.id);
      if (!request) return;
      pending.delete(message.id);
      if (!message.built) return request.reject(new PersonalizationError(message.error ?? 'the personalizer thread gave no answer'));
      try {
        request.resolve(PersonalizationList.fromParts(message.built));
      } catch (error) {
        // Not the rows' fault: a thread that answers nonsense is treated like one that died.
        request.reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    started.on('error', (error) => failAll(error instanceof Error ? error : new Error(String(error))));
    started.on('exit', (code) => {
      if (thread === started) thread = null;
      failAll(new Error(`personalizer thread exited (${code})`));
    });
    // Never keeps the process alive by itself.
    started.unref();
    return started;
  }

  return {
    build(recipe, rows) {
      if (rows.length === 0) return Promise.resolve(PersonalizationList.of([]));
      thread ??= start();
      const id = nextId++;
      const worker = thread;
      return new Promise<PersonalizationList>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, recipe, rows });
      });
    },
    async close() {
      const running = thread;
      thread = null;
      if (running) await running.terminate();
      failAll(new Error('personalizer closed'));
    },
  };
}
