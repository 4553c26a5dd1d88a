import type { Opening } from '../../core/domain/item-counts';

/**
 * Openings gathered in memory and handed on together: every FLUSH_MS, one addition per mailing x
 * item x day that was opened, adding how often (to Redis, pending.ts). At 500 clicks a second a
 * write per click kept the CMS busy enough to hold answers up (bench/README.md, redirect).
 *
 * What this gives up: the openings of the last FLUSH_MS when the process dies without stopping
 * (close() hands them on at a normal stop), and those of a hand-over that failed (logged, then
 * dropped: kept in memory they would pile up for as long as Redis is away).
 */
export const FLUSH_MS = 1000;

/** Beyond this many different rows waiting, they are written at once rather than at the next tick. */
const MAX_WAITING = 5000;

export interface CountBuffer {
  add(opening: Opening): void;
  /** Writes what is waiting now; resolves when written (or refused and reported). */
  flush(): Promise<void>;
  /** Stops the timer and writes what is waiting. */
  close(): Promise<void>;
}

export function createCountBuffer(
  write: (openings: ReadonlyArray<Opening & { times: number }>) => Promise<void>,
  failed: (error: unknown) => void,
  flushMs: number = FLUSH_MS,
): CountBuffer {
  let waiting = new Map<string, Opening & { times: number }>();
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (waiting.size === 0) return writing;
    const batch = [...waiting.values()];
    waiting = new Map();
    // One write at a time, in order: a slow database gets one batch after another, never a pile of them at once.
    writing = writing.then(() => write(batch).catch(failed));
    return writing;
  };

  return {
    add(opening) {
      const key = `${opening.day}|${opening.source}|${opening.mailing ?? ''}|${opening.item.kind}|${opening.item.documentId}`;
      const entry = waiting.get(key);
      if (entry) entry.times += 1;
      else waiting.set(key, { ...opening, times: 1 });
      if (waiting.size >= MAX_WAITING) void flush();
      else if (!timer) {
        timer = setTimeout(() => void flush(), flushMs);
        // A process with nothing else to do may stop; close() writes what is left.
        timer.unref();
      }
    },
    flush,
    close: flush,
  };
}
