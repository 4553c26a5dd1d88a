import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { archiveSwitchOnly } from '../archive/keep-out';
import { EDITABLE_CAMPAIGN_STATES, EDITOR_SETTABLE_CAMPAIGN_STATES, type CampaignState } from '../campaigns/state';

const CAMPAIGN = 'api::campaign.campaign';

/**
 * Editors adjust a campaign while it is a draft or scheduled (texts, featured items, audience,
 * send time) and may cancel it then; once it is being sent, it is history. Like editions
 * (bootstrap/editions.ts): the sending engine writes through the database and is not subject to
 * this. Registered by src/api/campaign/index.ts, so the rule ships with the content type.
 *
 * Featured entries that name no item or two are not refused here: the admin panel sends relation
 * changes (connect/disconnect) rather than the result, so the outcome is only known once stored.
 * Reading the campaign for sending reports them instead (src/campaigns/content.ts).
 */
export function registerCampaignRules(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    if (context.uid !== CAMPAIGN || (context.action !== 'update' && context.action !== 'create')) return next();
    const data = (context.params as { data?: Record<string, unknown> }).data ?? {};
    if (context.action === 'update') {
      const documentId = (context.params as { documentId?: string }).documentId;
      const current = (await strapi.db.query(CAMPAIGN).findOne({ where: { documentId } })) as ({ state: CampaignState } & Record<string, unknown>) | null;
      const switchOnly = current && !EDITABLE_CAMPAIGN_STATES.includes(current.state) ? archiveSwitchOnly(data, current) : null;
      if (switchOnly) {
        (context.params as { data?: Record<string, unknown> }).data = switchOnly;
        return next();
      }
      if (current && !EDITABLE_CAMPAIGN_STATES.includes(current.state)) {
        throw new errors.ValidationError(`This campaign is ${current.state} and can no longer be changed. / Deze campagne is ${current.state} en kan niet meer worden gewijzigd.`);
      }
    }
    if (data.state !== undefined && data.state !== null && !EDITOR_SETTABLE_CAMPAIGN_STATES.includes(data.state as CampaignState)) {
      throw new errors.ValidationError(`Editors can set a campaign to draft, scheduled or cancelled; sending is done by the worker. / Redacteuren kunnen een campagne op concept, gepland of geannuleerd zetten.`);
    }
    return next();
  });
}
