import type { Core } from '@strapi/strapi';
import { ensureAdminLayouts } from './boot/admin-layouts';
import { ensureEditorialRoles } from './boot/admin-roles';
import { convertKeptEditionItems } from './mailings/edition/edition-items-migration';
import { ensureItemLayouts, registerItemLabels } from './mailings/item-labels';
import { ensureEditionStorage } from './mailings/engine/ensure-tables';
import { registerMailingRules } from './mailings/desk/mailing-rules-guard';
import { ensureLocales } from './boot/locales';
import { registerSlugRules } from './boot/slugs';
import { registerImageAltRules } from './boot/image-alt-rules';
import { CUSTOM_FIELDS } from './core/custom-fields';
import { ensurePublicPermissions } from './boot/permissions';
import { ensureSubscriberEmailIndex, registerSubscriberDefaults } from './site/subscription/subscriber-email';
import { registerUploadGuard } from './edge/uploads/upload-guard';
import { registerNewsletterPages } from './site/subscription/routes';
import { registerReadingPages } from './site/reading/routes';
import { cmsServices, startCmsServices } from './app/cms';
import { readMailSettings } from './settings/mail';
import { checkRedisAt } from './core/infra/redis-requirements';

/**
 * The CMS answers sign-ups and SendGrid's events once they are queued in Redis: before it serves
 * anything, Redis must be one that keeps them (src/core/infra/redis-requirements.ts).
 */
async function checkCmsRedis(strapi: Core.Strapi): Promise<void> {
  await checkRedisAt(readMailSettings().redisUrl, {
    production: process.env.NODE_ENV === 'production',
    warn: (message) => strapi.log.warn(`[redis] ${message}`),
  });
}

export default {
  async register({ strapi }: { strapi: Core.Strapi }) {
    // Before the content types are read: the subscriber's themes and suppression reason use them.
    strapi.customFields.register(CUSTOM_FIELDS.map((field) => ({ ...field })));
    await checkCmsRedis(strapi);
    const services = startCmsServices(strapi);
    registerSubscriberDefaults(strapi);
    registerMailingRules(strapi);
    registerItemLabels(strapi);
    registerSlugRules(strapi);
    registerImageAltRules(strapi);
    registerNewsletterPages(strapi, () => services.settings);
    registerReadingPages(
      strapi,
      () => services.tokenSecret,
      () => services.itemCounter,
    );
    registerUploadGuard(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await ensureLocales(strapi);
    await ensurePublicPermissions(strapi);
    await ensureSubscriberEmailIndex(strapi);
    await ensureEditionStorage(strapi);
    await convertKeptEditionItems(strapi);
    await ensureAdminLayouts(strapi);
    await ensureItemLayouts(strapi);
    await ensureEditorialRoles(strapi);
  },

  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await cmsServices(strapi).close();
  },
};
