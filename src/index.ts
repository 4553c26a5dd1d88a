import type { Core } from '@strapi/strapi';
import { ensureAdminLayouts } from './bootstrap/admin-layouts';
import { ensureEditorialRoles } from './bootstrap/admin-roles';
import { convertKeptEditionItems } from './bootstrap/edition-items-migration';
import { ensureEditionItemLayout, registerEditionItemLabels } from './bootstrap/edition-item-labels';
import { ensureEditionStorage } from './bootstrap/editions';
import { registerMailingRules } from './bootstrap/mailing-rules';
import { ensureLocales } from './bootstrap/locales';
import { registerSlugRules } from './bootstrap/slugs';
import { ensurePublicPermissions } from './bootstrap/permissions';
import { ensureSubscriberEmailIndex, registerSubscriberDefaults } from './bootstrap/subscriber-email';
import { registerUploadGuard } from './bootstrap/upload-guard';
import { registerNewsletterPages } from './newsletter-pages';
import { registerReadingPages } from './reading-pages';
import { closeSubscriptionRuntime } from './subscriptions/runtime';
import { closeEdgeRuntime } from './http/edge-runtime';
import { closeWebhookRuntime } from './feedback/webhook-runtime';
import { readMailSettings } from './config/mail';
import { checkRedisAt } from './infra/redis-requirements';

/**
 * The CMS answers sign-ups and SendGrid's events once they are queued in Redis: before it serves
 * anything, Redis must be one that keeps them (src/infra/redis-requirements.ts).
 */
async function checkCmsRedis(strapi: Core.Strapi): Promise<void> {
  await checkRedisAt(readMailSettings().redisUrl, { production: process.env.NODE_ENV === 'production', warn: (message) => strapi.log.warn(`[redis] ${message}`) });
}

export default {
  async register({ strapi }: { strapi: Core.Strapi }) {
    await checkCmsRedis(strapi);
    registerSubscriberDefaults(strapi);
    registerMailingRules(strapi);
    registerEditionItemLabels(strapi);
    registerSlugRules(strapi);
    registerNewsletterPages(strapi);
    registerReadingPages(strapi);
    registerUploadGuard(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await ensureLocales(strapi);
    await ensurePublicPermissions(strapi);
    await ensureSubscriberEmailIndex(strapi);
    await ensureEditionStorage(strapi);
    await convertKeptEditionItems(strapi);
    await ensureAdminLayouts(strapi);
    await ensureEditionItemLayout(strapi);
    await ensureEditorialRoles(strapi);
  },

  async destroy() {
    await closeSubscriptionRuntime();
    await closeEdgeRuntime();
    await closeWebhookRuntime();
  },
};
