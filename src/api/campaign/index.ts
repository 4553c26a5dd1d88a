import type { Core } from '@strapi/strapi';
import { registerCampaignRules } from '../../bootstrap/campaigns';

/** The campaign's document rule travels with its content type (see src/bootstrap/campaigns.ts). */
export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerCampaignRules(strapi);
  },
};
