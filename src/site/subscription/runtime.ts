import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { RateLimiter } from '../../core/infra/rate-limiter';
import type { MailSettings } from '../../settings/mail';
import { createSubscriptionRequestQueue, type SubscriptionRequestJob } from './request-queue';
import { createMailQueue, type TransactionalMailJob } from '../../mail/mail-queue';

/** What the subscription flows use besides Strapi: the settings, the shared rate limits and the request queue. */
export interface SubscriptionRuntime {
  settings: MailSettings;
  tokenSecret: string;
  limiter: RateLimiter;
  /** Subscribe and resend requests for the worker. */
  requestQueue: Queue<SubscriptionRequestJob>;
  /** The welcome mail of a reader who just confirmed. */
  mailQueue: Queue<TransactionalMailJob>;
}

/** Built by the CMS's composition root on its Redis connection; the root closes the queues. */
export function createSubscriptionRuntime(redis: Redis, settings: MailSettings, tokenSecret: string): SubscriptionRuntime {
  return {
    settings,
    tokenSecret,
    limiter: new RateLimiter(redis, settings.redisPrefix, tokenSecret),
    requestQueue: createSubscriptionRequestQueue(redis, settings.redisPrefix),
    mailQueue: createMailQueue(redis, settings.redisPrefix),
  };
}
