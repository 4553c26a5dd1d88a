import { factories } from '@strapi/strapi';

/**
 * Subscribers are private. The content API's own routes for one subscriber refuse every request
 * (403) whatever role or token asks: admins manage subscribers in the admin panel (the admin API)
 * and readers through the subscription endpoints. Listing and adding are for integrations only:
 * ./integration.ts, behind an API token given that scope.
 */
const denied = { policies: ['global::deny-all'] };

export default factories.createCoreRouter('api::subscriber.subscriber', {
  except: ['find', 'create'],
  config: {
    findOne: denied,
    update: denied,
    delete: denied,
  },
});
