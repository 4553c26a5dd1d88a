import { factories } from '@strapi/strapi';

/** Editions are managed in the admin panel and by the worker; the content API refuses everyone. */
const denied = { policies: ['global::deny-all'] };

export default factories.createCoreRouter('api::edition.edition', {
  config: { find: denied, findOne: denied, create: denied, update: denied, delete: denied },
});
