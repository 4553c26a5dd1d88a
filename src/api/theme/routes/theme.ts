import { factories } from '@strapi/strapi';

// Read-only for the public: bootstrap grants the Public role find and findOne, nothing else.
export default factories.createCoreRouter('api::theme.theme', {
  only: ['find', 'findOne'],
});
