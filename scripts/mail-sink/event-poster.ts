/**
 * Delivers Event Webhook events the way SendGrid does: signed JSON arrays, batched, several posts in
 * flight, every failed post retried with backoff (shared/contracts/sendgrid-event-webhook.md).
 *
 * Differences on purpose: batches are flushed after `flushMs` (default 0.5 s, SendGrid: ~30 s) so
 * tests and development see events soon, and retries stop after `maxAttempts` (SendGrid: 24 h).
 * The test settings make the receiver's hard cases happen on demand: late events (`delayMs`),
 * events that arrive twice (`duplicates`) and events in the wrong order (`shuffle`).
 */
import type { SendGridEvent } from './events';
import { parseWebhookPrivateKey, signEventPost } from './webhook-keys';

/** What can be changed while the poster runs (`PUT /__sink/webhook`). */
export interface EventTestSettings {
  /** Events wait this long (ms) before they may be posted. Applies to events queued afterwards. */
  delayMs: number;
  /** Fraction 0..1 of events posted a second time, same sg_event_id, in a later post. */
  duplicates: number;
  /** Each post lists its events in a different order than they happened. */
  shuffle: boolean;
}

export interface EventPosterOptions extends Partial<EventTestSettings> {
  /** The receiver, e.g. http://127.0.0.1:1337/webhooks/sendgrid. */
  url: string;
  /** base64 DER PKCS#8 P-256 key that signs every post. */
  privateKey: string;
  /** Events per post at most; default 1000. */
  maxBatch?: number;
  /** A batch that is not full is posted this long (ms) after its oldest event became ready; default 500. */
  flushMs?: number;
  /** Posts in flight at most; default 4. */
  concurrency?: number;
  /** Attempts per post, the first included, before its events are given up; default 8. */
  maxAttempts?: number;
  /** Wait before the first retry (ms), doubled for each further one; default 200. */
  backoffMs?: number;
  /** Longest wait between retries (ms); default 10,000. */
  maxBackoffMs?: number;
  /** A post without an answer after this long (ms) failed; default 10,000. */
  timeoutMs?: number;
  /** Events waiting at most (a receiver that is down must not eat the machine's memory); default 200,000. */
  maxQueued?: number;
}

export interface EventCounts {
  /** Events handed to the poster (duplicate copies not included). */
  queued: number;
  /** Duplicate copies queued by the `duplicates` setting. */
  duplicated: number;
  /** Events in posts answered 2xx (copies included). */
  posted: number;
  /** Posts answered 2xx. */
  postsOk: number;
  /** Post attempts answered non-2xx, failed or timed out. */
  postsFailed: number;
  /** Post attempts after a failed one. */
  retries: number;
  /** Events whose post failed `maxAttempts` times. */
  givenUp: number;
  /** Events refused because `maxQueued` were waiting. */
  overflowed: number;
  /** Events waiting, in flight or waiting for a retry. */
  pending: number;
}

export interface EventPoster {
  readonly url: string;
  enqueue(events: readonly SendGridEvent[]): void;
  /** Resolves when every event queued so far was posted or given up (posting what waits for `flushMs` now). */
  flush(): Promise<void>;
  counts(): EventCounts;
  testSettings(): EventTestSettings;
  /** Replaces the test settings (left-out ones return to 0 / false). Throws a TypeError on invalid input. */
  setTestSettings(settings: Partial<EventTestSettings>): void;
  /** Stops timers and aborts posts in flight; waiting events are dropped and pending flushes resolve. */
  close(): void;
}

interface Entry {
  event: SendGridEvent;
  /** The flush generation it belongs to: flush() waits for its own and older generations. */
  generation: number;
  /** Date.now() from which it may be posted. */
  readyAt: number;
  /** A duplicate copy (is never copied again). */
  copy: boolean;
}

interface Batch {
  entries: Entry[];
  body: Buffer;
  attempt: number;
  readyAt: number;
}

function integerIn(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name} must be an integer between ${min} and ${max}`);
  }
  return value;
}

const MAX_DELAY_MS = 24 * 60 * 60 * 1000;

/** Full test settings from untrusted input (a control request); throws a TypeError naming the problem. */
export function parseEventTestSettings(input: unknown): EventTestSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new TypeError('webhook settings must be a JSON object');
  const known = ['delayMs', 'duplicates', 'shuffle'];
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) throw new TypeError(`unknown webhook setting "${key}" (known: ${known.join(', ')})`);
  }
  const { delayMs, duplicates, shuffle } = input as Partial<Record<keyof EventTestSettings, unknown>>;
  if (duplicates != null && (typeof duplicates !== 'number' || !(duplicates >= 0 && duplicates <= 1))) {
    throw new TypeError('duplicates must be a number between 0 and 1');
  }
  if (shuffle != null && typeof shuffle !== 'boolean') throw new TypeError('shuffle must be true or false');
  return {
    delayMs: delayMs == null ? 0 : integerIn(delayMs, 'delayMs', 0, MAX_DELAY_MS),
    duplicates: (duplicates as number | null | undefined) ?? 0,
    shuffle: (shuffle as boolean | null | undefined) ?? false,
  };
}

/** Fisher-Yates, then never the original order: a shuffled post must really be out of order. */
function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  if (out.length > 1 && out.every((item, i) => item === items[i])) out.reverse();
  return out;
}

export function createEventPoster(options: EventPosterOptions): EventPoster {
  const url = new URL(options.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`the webhook URL must be http(s), got ${options.url}`);
  const privateKey = options.privateKey;
  parseWebhookPrivateKey(privateKey);
  const maxBatch = integerIn(options.maxBatch ?? 1000, 'maxBatch', 1, 100_000);
  const flushMs = integerIn(options.flushMs ?? 500, 'flushMs', 0, MAX_DELAY_MS);
  const concurrency = integerIn(options.concurrency ?? 4, 'concurrency', 1, 64);
  const maxAttempts = integerIn(options.maxAttempts ?? 8, 'maxAttempts', 1, 10_000);
  const backoffMs = integerIn(options.backoffMs ?? 200, 'backoffMs', 0, MAX_DELAY_MS);
  const maxBackoffMs = integerIn(options.maxBackoffMs ?? 10_000, 'maxBackoffMs', 0, MAX_DELAY_MS);
  const timeoutMs = integerIn(options.timeoutMs ?? 10_000, 'timeoutMs', 1, MAX_DELAY_MS);
  const maxQueued = integerIn(options.maxQueued ?? 200_000, 'maxQueued', 1, 100_000_000);
  let settings = parseEventTestSettings({ delayMs: options.delayMs, duplicates: options.duplicates, shuffle: options.shuffle });

  const counts: EventCounts = { queued: 0, duplicated: 0, posted: 0, postsOk: 0, postsFailed: 0, retries: 0, givenUp: 0, overflowed: 0, pending: 0 };
  // Waiting events, oldest first; `head` instead of shift() keeps taking a batch cheap on a long queue.
  let queue: Entry[] = [];
  let head = 0;
  const retrying: Batch[] = [];
  let inFlight = 0;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  const aborter = new AbortController();
  // Error diffusion instead of dice: `duplicates: 0.5` copies exactly every second event.
  let duplicateCredit = 0;

  let generation = 0;
  /** Unsettled entries per generation; keys are inserted in increasing order (see settle()). */
  const outstanding = new Map<number, number>();
  const flushWaiters: Array<{ generation: number; resolve: () => void }> = [];

  function track(entry: Entry): void {
    outstanding.set(entry.generation, (outstanding.get(entry.generation) ?? 0) + 1);
    counts.pending++;
  }

  function settle(entries: readonly Entry[]): void {
    for (const entry of entries) {
      const left = (outstanding.get(entry.generation) ?? 1) - 1;
      if (left === 0) outstanding.delete(entry.generation);
      else outstanding.set(entry.generation, left);
      counts.pending--;
    }
    const oldest = outstanding.keys().next();
    const oldestOutstanding = oldest.done ? Number.POSITIVE_INFINITY : oldest.value;
    for (let i = flushWaiters.length - 1; i >= 0; i--) {
      const waiter = flushWaiters[i] as (typeof flushWaiters)[number];
      if (waiter.generation < oldestOutstanding) {
        flushWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  function push(entry: Entry): void {
    track(entry);
    queue.push(entry);
  }

  /** The next batch of new events that is due now, or null. */
  function takeBatch(now: number): Batch | null {
    let ready = 0;
    while (ready < maxBatch && head + ready < queue.length && (queue[head + ready] as Entry).readyAt <= now) ready++;
    if (ready === 0) return null;
    const oldest = queue[head] as Entry;
    const due = ready === maxBatch || flushWaiters.length > 0 || now >= oldest.readyAt + flushMs;
    if (!due) return null;
    let entries = queue.slice(head, head + ready);
    head += ready;
    if (head > 4096 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    if (settings.shuffle) entries = shuffled(entries);
    return { entries, body: Buffer.from(JSON.stringify(entries.map((e) => e.event))), attempt: 1, readyAt: now };
  }

  function takeRetry(now: number): Batch | null {
    const index = retrying.findIndex((batch) => batch.readyAt <= now);
    return index === -1 ? null : (retrying.splice(index, 1)[0] as Batch);
  }

  function pump(): void {
    if (closed) return;
    const now = Date.now();
    while (inFlight < concurrency) {
      const batch = takeRetry(now) ?? takeBatch(now);
      if (batch === null) break;
      void post(batch);
    }
    scheduleWakeUp();
  }

  /** One timer for whatever becomes due first: a retry, or the oldest waiting event. */
  function scheduleWakeUp(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (inFlight >= concurrency) return; // a post's end pumps again
    let wakeAt = Number.POSITIVE_INFINITY;
    for (const batch of retrying) wakeAt = Math.min(wakeAt, batch.readyAt);
    const oldest = queue[head];
    if (oldest !== undefined) wakeAt = Math.min(wakeAt, oldest.readyAt + (flushWaiters.length > 0 ? 0 : flushMs));
    if (wakeAt === Number.POSITIVE_INFINITY) return;
    timer = setTimeout(pump, Math.max(0, wakeAt - Date.now()));
  }

  async function attempt(batch: Batch): Promise<boolean> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'SendGrid Event API',
          'X-Twilio-Email-Event-Webhook-Signature': signEventPost(privateKey, timestamp, batch.body),
          'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
        },
        body: batch.body,
        signal: AbortSignal.any([aborter.signal, AbortSignal.timeout(timeoutMs)]),
      });
      await response.arrayBuffer(); // the answer's body means nothing; read it so the connection is reused
      return response.status >= 200 && response.status < 300;
    } catch {
      return false; // refused, reset, timed out or aborted by close(): all "not delivered"
    }
  }

  async function post(batch: Batch): Promise<void> {
    inFlight++;
    const delivered = await attempt(batch);
    inFlight--;
    if (closed) return;
    if (delivered) {
      counts.postsOk++;
      counts.posted += batch.entries.length;
      queueDuplicates(batch.entries);
      settle(batch.entries);
    } else {
      counts.postsFailed++;
      if (batch.attempt >= maxAttempts) {
        counts.givenUp += batch.entries.length;
        settle(batch.entries);
      } else {
        counts.retries++;
        batch.readyAt = Date.now() + Math.min(maxBackoffMs, backoffMs * 2 ** (batch.attempt - 1));
        batch.attempt++;
        retrying.push(batch);
      }
    }
    pump();
  }

  /** After the originals were delivered, so that a copy always comes in a later post. */
  function queueDuplicates(entries: readonly Entry[]): void {
    if (settings.duplicates === 0) return;
    const now = Date.now();
    for (const entry of entries) {
      if (entry.copy) continue;
      duplicateCredit += settings.duplicates;
      if (duplicateCredit < 1) continue;
      duplicateCredit -= 1;
      counts.duplicated++;
      // Same generation: a flush that waits for the original waits for its copy too. Tracked before
      // the original settles, so the generation is still in `outstanding` and keeps its place there.
      push({ event: entry.event, generation: entry.generation, readyAt: now, copy: true });
    }
  }

  return {
    url: url.href,
    enqueue(events: readonly SendGridEvent[]): void {
      if (closed || events.length === 0) return;
      const readyAt = Date.now() + settings.delayMs;
      for (const event of events) {
        if (counts.pending >= maxQueued) {
          counts.overflowed++;
          continue;
        }
        counts.queued++;
        push({ event, generation, readyAt, copy: false });
      }
      pump();
    },
    flush(): Promise<void> {
      const mine = generation++;
      const oldest = outstanding.keys().next();
      if (closed || oldest.done || oldest.value > mine) return Promise.resolve();
      return new Promise((resolve) => {
        flushWaiters.push({ generation: mine, resolve });
        pump();
      });
    },
    counts: () => ({ ...counts }),
    testSettings: () => ({ ...settings }),
    setTestSettings(input: Partial<EventTestSettings>): void {
      settings = parseEventTestSettings(input);
    },
    close(): void {
      if (closed) return;
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      aborter.abort();
      queue = [];
      head = 0;
      retrying.length = 0;
      for (const waiter of flushWaiters.splice(0)) waiter.resolve();
    },
  };
}
