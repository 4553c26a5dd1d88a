import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { readMailSettings } from '../settings/mail';
import { createRedis } from '../core/infra/redis';
import { feedbackQueue, type FeedbackJob } from '../mailings/feedback/queue';

/**
 * The CMS's end of the feedback queue: opened on the first verified post (a CMS without a webhook
 * never connects), closed when Strapi stops (src/index.ts).
 */
let current: { queue: Queue<FeedbackJob>; redis: Redis } | undefined;

export function webhookFeedbackQueue(): Queue<FeedbackJob> {
  if (!current) {
    const mail = readMailSettings();
    const redis = createRedis(mail.redisUrl, 'client');
    current = { redis, queue: feedbackQueue(redis, mail.redisPrefix) };
  }
  return current.queue;
}

export async function closeWebhookRuntime(): Promise<void> {
  const runtime = current;
  current = undefined;
  await runtime?.queue.close().catch(() => undefined);
  await runtime?.redis.quit().catch(() => undefined);
}
