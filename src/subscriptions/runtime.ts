import type { Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import { readMailSettings, type MailSettings } from '../config/mail';
import { readSecret } from '../config/secrets';
import { createRedis } from '../infra/redis';
import { RateLimiter } from '../infra/rate-limiter';
import { createMailQueue, type TransactionalMailJob } from '../mail/mail-queue';

/**
 * The CMS's connections for subscriptions: Redis (shared rate limits) and the mail queue. Opened on
 * first use, so a CMS that never takes a sign-up never connects; closed when Strapi stops.
 */
export interface SubscriptionRuntime {
  settings: MailSettings;
  tokenSecret: string;
  limiter: RateLimiter;
  mailQueue: Queue<TransactionalMailJob>;
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
      mailQueue: createMailQueue(queueConnection, settings.redisPrefix),
    };
  }
  return current;
}

export async function closeSubscriptionRuntime(): Promise<void> {
  const runtime = current;
  current = undefined;
  if (!runtime) return;
  await runtime.mailQueue.close();
  await Promise.all(runtime.connections.map((connection) => connection.quit().catch(() => undefined)));
}
