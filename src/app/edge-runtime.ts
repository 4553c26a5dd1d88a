import type { Redis } from 'ioredis';
import { readAdminLoginLimits, type AdminLoginLimits } from '../settings/admin-login';
import { readSecret } from '../settings/secrets';
import { RateLimiter } from '../core/infra/rate-limiter';
import { createRedis } from '../core/infra/redis';

/**
 * The Redis connection of the HTTP edge's guards (admin login limits). Opened on the first
 * guarded request, so a CMS that nobody logs in to never connects; closed when Strapi stops.
 */
let current: { limits: AdminLoginLimits; limiter: RateLimiter; redis: Redis } | undefined;

export function adminLoginRuntime(): { limits: AdminLoginLimits; limiter: RateLimiter } {
  if (!current) {
    const limits = readAdminLoginLimits();
    const redis = createRedis(limits.redisUrl, 'client');
    current = { limits, redis, limiter: new RateLimiter(redis, limits.redisPrefix, readSecret('TOKEN_SECRET')) };
  }
  return current;
}

export async function closeEdgeRuntime(): Promise<void> {
  const runtime = current;
  current = undefined;
  await runtime?.redis.quit().catch(() => undefined);
}
