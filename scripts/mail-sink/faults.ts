/**
 * Fault injection: the faults a test or benchmark sets (429s, 500s, a delay, a rejected address),
 * how untrusted fault input is read, and the delay timers that closing the sink cuts short.
 * The mail-send handler (./mail-send.ts) consumes them; the control API (./control-api.ts) and
 * `MailSink.setFaults` replace them.
 */
import type { EmailAddress, MailSendBody, Personalization } from './contract';
import { LIST_TYPES } from './recipient-view';

const MAX_DELAY_MS = 10 * 60 * 1000;

export interface Faults {
  /** The next N mail-send requests get 429 with X-RateLimit-* and Retry-After headers. */
  status429?: number;
  /** The next N mail-send requests get 500. */
  status500?: number;
  /** Every mail-send request waits this long before it is answered. */
  delayMs?: number;
  /** Requests with this recipient (to/cc/bcc, case-insensitive) get 400 naming its field. */
  rejectAddress?: string;
  /** Seconds until the rate limit "resets" (X-RateLimit-Reset, Retry-After). Default 1. */
  resetAfterSeconds?: number;
}

/** The active faults, with the 429/500 counts still to give. */
export interface FaultState {
  status429: number;
  status500: number;
  delayMs: number;
  rejectAddress: string | null;
  resetAfterSeconds: number;
}

/** Holds the active faults; replaced as a whole, while the mail-send handler counts down 429/500 in place. */
export interface FaultSlot {
  current: FaultState;
}

export function noFaults(): FaultState {
  return { status429: 0, status500: 0, delayMs: 0, rejectAddress: null, resetAfterSeconds: 1 };
}

function nonNegativeInteger(value: unknown, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new TypeError(`${name} must be an integer between 0 and ${max}`);
  }
  return value;
}

/** Turns untrusted fault input into a full fault state; throws TypeError with a readable message. */
export function parseFaults(input: unknown): FaultState {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('faults must be a JSON object');
  }
  const f = input as Record<string, unknown>;
  const known = ['status429', 'status500', 'delayMs', 'rejectAddress', 'resetAfterSeconds'];
  for (const key of Object.keys(f)) {
    if (!known.includes(key)) throw new TypeError(`unknown fault "${key}" (known: ${known.join(', ')})`);
  }
  const state = noFaults();
  if (f.status429 != null) state.status429 = nonNegativeInteger(f.status429, 'status429');
  if (f.status500 != null) state.status500 = nonNegativeInteger(f.status500, 'status500');
  if (f.delayMs != null) state.delayMs = nonNegativeInteger(f.delayMs, 'delayMs', MAX_DELAY_MS);
  if (f.resetAfterSeconds != null) state.resetAfterSeconds = nonNegativeInteger(f.resetAfterSeconds, 'resetAfterSeconds', 86_400);
  if (f.rejectAddress != null) {
    if (typeof f.rejectAddress !== 'string' || f.rejectAddress.trim() === '') {
      throw new TypeError('rejectAddress must be a non-empty string');
    }
    state.rejectAddress = f.rejectAddress.trim().toLowerCase();
  }
  return state;
}

export function publicFaults(state: FaultState): Faults {
  const out: Faults = {};
  if (state.status429 > 0) out.status429 = state.status429;
  if (state.status500 > 0) out.status500 = state.status500;
  if (state.delayMs > 0) out.delayMs = state.delayMs;
  if (state.rejectAddress !== null) out.rejectAddress = state.rejectAddress;
  out.resetAfterSeconds = state.resetAfterSeconds;
  return out;
}

/** The field of the first to/cc/bcc entry with `address` (lower-cased), or null. */
export function findRecipient(body: MailSendBody, address: string): string | null {
  for (let p = 0; p < body.personalizations.length; p++) {
    const personalization = body.personalizations[p] as Personalization;
    for (const type of LIST_TYPES) {
      const list = personalization[type];
      if (!list) continue;
      for (let i = 0; i < list.length; i++) {
        if ((list[i] as EmailAddress).email.toLowerCase() === address) return `personalizations.${p}.${type}.${i}.email`;
      }
    }
  }
  return null;
}

/** The sleeps of delayed answers; `stop` ends the waiting ones at once and makes later ones not wait. */
export interface DelayTimers {
  sleep(ms: number): Promise<void>;
  stop(): void;
}

export function createDelayTimers(): DelayTimers {
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let closing = false;
  return {
    sleep(ms: number): Promise<void> {
      if (ms <= 0 || closing) return Promise.resolve();
      return new Promise((resolve) => {
        const entry = {
          resolve,
          timer: setTimeout(() => {
            timers.delete(entry);
            resolve();
          }, ms),
        };
        timers.add(entry);
      });
    },
    stop(): void {
      closing = true;
      for (const entry of timers) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      timers.clear();
    },
  };
}
