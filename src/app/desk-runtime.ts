import type { Core } from '@strapi/strapi';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { campaignPreviewVariants, sendTestCampaign } from '../mailings/campaign/preview';
import { readMailSettings } from '../settings/mail';
import { readSecret } from '../settings/secrets';
import { readTestSendSettings } from '../settings/test-send';
import { RateLimiter } from '../core/infra/rate-limiter';
import { createRedis } from '../core/infra/redis';
import type { Logger } from '../core/infra/log';
import type { EditionRow } from '../mailings/edition/deps';
import { editionPreviewVariants, sendTestEdition } from '../mailings/edition/preview';
import { createNewsletterDeps } from './mailing-runtime';
import { enqueuePlan, sendingQueue } from '../mailings/engine/queue';
import { createDesk, type Desk } from '../mailings/desk/desk';

/**
 * The desk inside the CMS: the newsletter's deps (createNewsletterDeps, as for worker and CLI) and
 * a producer connection to the sending queue (also counting the test-send budget), made on first
 * use (a CMS whose editors never open the desk never connects to Redis for it) and closed when
 * Strapi stops.
 */
let current: { desk: Desk; queue: Queue; redis: Redis } | undefined;

export function deskRuntime(strapi: Core.Strapi, log: Logger): Desk {
  if (!current) {
    const deps = createNewsletterDeps(strapi, log);
    const mail = readMailSettings();
    const redis = createRedis(mail.redisUrl, 'client');
    const queue = sendingQueue(redis, mail.redisPrefix);
    const edition = async (id: number) => (await deps.db('editions').where({ id }).first()) as EditionRow;
    const desk = createDesk({
      engine: deps.engine,
      db: deps.db,
      publicUrl: deps.settings.publicUrl,
      renderVariants: async (ref) => (ref.kind === 'campaign' ? campaignPreviewVariants(deps, ref) : editionPreviewVariants(deps, await edition(ref.id))),
      sendTest: async (ref, addresses, locale) => (ref.kind === 'campaign' ? sendTestCampaign(deps, ref, addresses, locale) : sendTestEdition(deps, await edition(ref.id), addresses, locale)),
      enqueuePlan: (ref) => enqueuePlan(queue, ref, true),
      // The test-send budget is counted on the desk's own Redis connection, shared by every CMS instance.
      testSends: {
        settings: readTestSendSettings(),
        limiter: new RateLimiter(redis, mail.redisPrefix, readSecret('TOKEN_SECRET')),
        adminAddresses: async (addresses) => {
          if (addresses.length === 0) return [];
          const rows = (await strapi.db.query('admin::user').findMany({ where: { $or: addresses.map((email) => ({ email: { $eqi: email } })) }, select: ['email', 'blocked'] })) as Array<{ email: string; blocked: boolean | null }>;
          // A blocked admin's address is no longer the organisation's.
          return rows.filter((row) => !row.blocked).map((row) => row.email.toLowerCase());
        },
      },
    });
    current = { desk, queue, redis };
  }
  return current.desk;
}

export async function closeDeskRuntime(): Promise<void> {
  const runtime = current;
  current = undefined;
  if (!runtime) return;
  await runtime.queue.close();
  await runtime.redis.quit().catch(() => undefined);
}
