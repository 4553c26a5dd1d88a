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

export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly secret: string,
  ) {}

  /** Counts one hit on `subject` in the named window and says whether it is within `limit`. */
  async hit(name: string, subject: string, limit: number, windowSeconds: number): Promise<LimitResult> {
    const key = `${this.prefix}:limit:${name}:${this.hash(subject)}`;
    const [count, ttl] = (await this.redis.eval(HIT, 1, key, String(windowSeconds * 1000))) as [number, number];
    return { allowed: count <= limit, count, retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) };
  }

  private hash(subject: string): string {
    return createHmac('sha256', this.secret).update(subject).digest('base64url').slice(0, 32);
  }
}
