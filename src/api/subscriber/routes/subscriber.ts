import { factories } from '@strapi/strapi';

/**
 * Subscribers are private: these routes exist only so that every content-API request for them is
 * refused (403) whatever role or API token asks. Admins manage subscribers in the admin panel, which
 * uses the admin API, and readers go through the subscription endpoints.
 */
const denied = { policies: ['global::deny-all'] };

export default factories.createCoreRouter('api::subscriber.subscriber', {
  config: {
    find: denied,
    findOne: denied,
    create: denied,
    update: denied,
    delete: denied,
  },
});
