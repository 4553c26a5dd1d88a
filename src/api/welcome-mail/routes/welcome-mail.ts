import { factories } from '@strapi/strapi';

/** The welcome mail is written in the admin panel and read by the worker; the content API refuses everyone. */
const denied = { policies: ['global::deny-all'] };

export default factories.createCoreRouter('api::welcome-mail.welcome-mail', {
  config: { find: denied, update: denied, delete: denied },
});
