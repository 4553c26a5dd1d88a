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
import { registerNewsletterPages } from './newsletter-pages';
import { registerReadingPages } from './reading-pages';
import { closeSubscriptionRuntime } from './subscriptions/runtime';
import { closeEdgeRuntime } from './http/edge-runtime';
import { closeWebhookRuntime } from './feedback/webhook-runtime';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerSubscriberDefaults(strapi);
    registerMailingRules(strapi);
    registerEditionItemLabels(strapi);
    registerSlugRules(strapi);
    registerNewsletterPages(strapi);
    registerReadingPages(strapi);
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
