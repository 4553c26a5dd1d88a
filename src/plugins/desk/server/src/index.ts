import type { Core } from '@strapi/strapi';
import gdpr from './controllers/gdpr';
import items from './controllers/items';
import mailings from './controllers/mailings';
import queues from './controllers/queues';
import statistics from './controllers/statistics';
import subscribers from './controllers/subscribers';
import welcome from './controllers/welcome';
import { actionDefinitions } from '../../../../mailings/desk/permissions';
import routes from './routes';

/**
 * The editors' desk, server part: its admin actions, its admin routes and their controllers. The
 * logic lives in src/mailings/desk/ (and the sending engine, the campaign and edition code it reuses).
 */
export default {
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await strapi.service('admin::permission').actionProvider.registerMany(actionDefinitions());
  },
  routes,
  controllers: { gdpr, items, mailings, queues, statistics, subscribers, welcome },
};
