import { factories } from '@strapi/strapi';

/** Campaigns are managed in the admin panel and by the worker; the content API refuses everyone. */
const denied = { policies: ['global::deny-all'] };

export default factories.createCoreRouter('api::campaign.campaign', {
  config: { find: denied, findOne: denied, create: denied, update: denied, delete: denied },
});
