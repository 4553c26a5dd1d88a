import type { Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import { readMailSettings, type MailSettings } from '../settings/mail';
import { readSecret } from '../settings/secrets';
import { createRedis } from '../core/infra/redis';
import { RateLimiter } from '../core/infra/rate-limiter';
import { createSubscriptionRequestQueue, type SubscriptionRequestJob } from '../site/subscription/request-queue';

/**
 * The CMS's connections for subscriptions: Redis (shared rate limits) and the request queue. Opened on
 * first use, so a CMS that never takes a sign-up never connects; closed when Strapi stops.
 */
export interface SubscriptionRuntime {
  settings: MailSettings;
  tokenSecret: string;
  limiter: RateLimiter;
  /** Subscribe and resend requests for the worker. */
  requestQueue: Queue<SubscriptionRequestJob>;
}

let current: (SubscriptionRuntime & { connections: Redis[] }) | undefined;

export function subscriptionRuntime(): SubscriptionRuntime {
  if (!current) {
    const settings = readMailSettings();
    const tokenSecret = readSecret('TOKEN_SECRET');
    const redis = createRedis(settings.redisUrl, 'client');
    const queueConnection = createRedis(settings.redisUrl, 'client');
    current = {
      settings,
      tokenSecret,
      connections: [redis, queueConnection],
      limiter: new RateLimiter(redis, settings.redisPrefix, tokenSecret),
      requestQueue: createSubscriptionRequestQueue(queueConnection, settings.redisPrefix),
    };
  }
  return current;
}

export async function closeSubscriptionRuntime(): Promise<void> {
  const runtime = current;
  current = undefined;
  if (!runtime) return;
  await runtime.requestQueue.close();
  await Promise.all(runtime.connections.map((connection) => connection.quit().catch(() => undefined)));
}
