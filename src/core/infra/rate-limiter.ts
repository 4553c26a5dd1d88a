import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Fixed-window counters in Redis, shared by every CMS instance. Keys carry a keyed hash of the
 * address or IP, never the value itself: Redis holds no personal data.
 */
export interface LimitResult {
  allowed: boolean;
  count: number;
  /** Seconds until the window ends. */
  retryAfterSeconds: number;
}

const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
return { count, ttl }
`;

// Takes back one hit, but never creates a key (a window that ended stays ended).
const RELEASE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end
return 0
`;

/** One window of a multi-window budget (`take`): at most `limit` units per `windowSeconds`. */
export interface BudgetWindow {
  name: string;
  limit: number;
  windowSeconds: number;
}

export type TakeResult = { allowed: true } | { allowed: false; window: BudgetWindow; retryAfterSeconds: number };

// Takes ARGV[1] units from every window, or none: a window that would go over its limit refuses the
// whole amount, and says which (1-based) and how long until it ends. ARGV: amount, then per key its
// limit and window in ms.
const TAKE = `
local amount = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or '0')
  if count + amount > tonumber(ARGV[2 * i]) then
    local ttl = redis.call('PTTL', key)
    if ttl < 0 then ttl = tonumber(ARGV[2 * i + 1]) end
    return { i, ttl }
  end
end
for i, key in ipairs(KEYS) do
  redis.call('INCRBY', key, amount)
  if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ARGV[2 * i + 1]) end
end
return { 0, 0 }
`;

// Gives units back to the windows that still exist (never below zero, never creating a key).
const GIVE_BACK = `
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then
    if redis.call('DECRBY', key, ARGV[1]) < 0 then redis.call('SET', key, 0, 'KEEPTTL') end
  end
end
return 0
`;

export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly secret: string,
  ) {}

  /** Counts one hit on `subject` in the named window and says whether it is within `limit`. */
  async hit(name: string, subject: string, limit: number, windowSeconds: number): Promise<LimitResult> {
    const [count, ttl] = (await this.redis.eval(HIT, 1, this.key(name, subject), String(windowSeconds * 1000))) as [number, number];
    return { allowed: count <= limit, count, retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) };
  }

  /**
   * Takes back a hit that turned out not to count (a login that succeeded): callers hit before
   * the work, so that concurrent attempts cannot all slip under the limit, and release after.
   */
  async release(name: string, subject: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(name, subject));
  }

  /**
   * Takes `amount` units (e.g. recipients) from a subject's budget in every window at once, or,
   * when any window would go over its limit, nothing at all: a request is allowed whole or refused
   * whole, and a refused one does not count.
   */
  async take(subject: string, amount: number, windows: readonly BudgetWindow[]): Promise<TakeResult> {
    const args = windows.flatMap((window) => [String(window.limit), String(window.windowSeconds * 1000)]);
    const keys = windows.map((window) => this.key(window.name, subject));
    const [refusedBy, ttl] = (await this.redis.eval(TAKE, keys.length, ...keys, String(amount), ...args)) as [number, number];
    if (refusedBy === 0) return { allowed: true };
    return { allowed: false, window: windows[refusedBy - 1], retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) };
  }

  /** Gives back units taken for work that then did not happen (the provider refused the mail). */
  async giveBack(subject: string, amount: number, windows: readonly BudgetWindow[]): Promise<void> {
    const keys = windows.map((window) => this.key(window.name, subject));
    await this.redis.eval(GIVE_BACK, keys.length, ...keys, String(amount));
  }

  private key(name: string, subject: string): string {
    return `${this.prefix}:limit:${name}:${this.hash(subject)}`;
  }

  private hash(subject: string): string {
    return createHmac('sha256', this.secret).update(subject).digest('base64url').slice(0, 32);
  }
}

/** What a login guard needs of a limiter: count an attempt, and take it back when it did not count. */
export interface AttemptLimiter {
  hit(name: string, subject: string, limit: number, windowSeconds: number): Promise<LimitResult>;
  release(name: string, subject: string): Promise<void>;
}

/**
 * The same fixed windows as `RateLimiter`, in this process's memory: the stand-in while Redis
 * cannot be reached, so that a Redis outage does not lift a limit. Each process counts on its own,
 * which is weaker than the shared windows but never nothing. Subjects are kept as keyed hashes here
 * too, and windows that ended are dropped as they are met.
 */
export class MemoryRateLimiter implements AttemptLimiter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(
    private readonly secret: string,
    private readonly now: () => number = Date.now,
  ) {}

  async hit(name: string, subject: string, limit: number, windowSeconds: number): Promise<LimitResult> {
    const key = this.key(name, subject);
    const now = this.now();
    this.dropEnded(now);
    const window = this.windows.get(key) ?? { count: 0, endsAt: now + windowSeconds * 1000 };
    window.count += 1;
    this.windows.set(key, window);
    return { allowed: window.count <= limit, count: window.count, retryAfterSeconds: Math.max(1, Math.ceil((window.endsAt - now) / 1000)) };
  }

  async release(name: string, subject: string): Promise<void> {
    const window = this.windows.get(this.key(name, subject));
    if (window && window.endsAt > this.now()) window.count = Math.max(0, window.count - 1);
  }

  private dropEnded(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }

  private key(name: string, subject: string): string {
    return `${name}:${createHmac('sha256', this.secret).update(subject).digest('base64url').slice(0, 32)}`;
  }
}
