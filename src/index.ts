import type { Core } from '@strapi/strapi';
import { ensureLocales } from './bootstrap/locales';
import { ensurePublicPermissions } from './bootstrap/permissions';
import { ensureSubscriberEmailIndex, registerSubscriberEmailNormalisation } from './bootstrap/subscriber-email';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerSubscriberEmailNormalisation(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await ensureLocales(strapi);
    await ensurePublicPermissions(strapi);
    await ensureSubscriberEmailIndex(strapi);
  },
};
