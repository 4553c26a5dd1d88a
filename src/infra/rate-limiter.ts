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

  private key(name: string, subject: string): string {
    return `${this.prefix}:limit:${name}:${this.hash(subject)}`;
  }

  private hash(subject: string): string {
    return createHmac('sha256', this.secret).update(subject).digest('base64url').slice(0, 32);
  }
}
