/**
 * What the sending engine and the CLI use of a campaign; see README "Campaigns".
 *
 *   const content = await loadCampaign(strapi, { id }, links);            // null: no such campaign
 *   scan active subscribers WHERE audiencePrefilter(content.audience), keep inAudience(...) rows,
 *   variant key per row: campaignVariantKey(row); collect the languages met;
 *   const models = buildCampaignVariantModels(content, languagesMet);     // throws CampaignRefusedError
 *   const mail = await renderCampaignVariant(renderer, models.get(locale)!); // once per variant
 *
 * The sending engine does exactly that through the campaign producer (campaign-mailing.ts).
 */
export { CAMPAIGN_LOCALES, audienceLocales, audiencePrefilter, campaignVariantKey, inAudience, memberLocale, toAudience } from './audience';
export type { AudienceMember, AudiencePrefilter, CampaignAudience } from './audience';
export { CAMPAIGN_UID, loadCampaign } from './content';
export type { CampaignLinks, CampaignRef } from './content';
export { assertSendable, buildCampaignVariantModel, buildCampaignVariantModels, campaignRefusals } from './model';
export type { CampaignContent, CampaignText, CampaignVariantModel, FeaturedItem, FeaturedView } from './model';
export { CampaignRefusedError, isCampaignRefused, refusal } from './refusals';
export type { CampaignRefusal, CampaignRefusalCode } from './refusals';
export { CAMPAIGN_SUBSTITUTION_TAGS, LEAD_BUNDLE_LIMIT, renderCampaignVariant } from './render';
export type { CampaignRendererDeps } from './render';
export { CAMPAIGN_STATES, EDITABLE_CAMPAIGN_STATES, EDITOR_SETTABLE_CAMPAIGN_STATES, FINAL_CAMPAIGN_STATES, isCampaignState } from './state';
export type { CampaignState } from './state';
export { assertCampaignSendable, campaignViewUrl, createCampaignProducer } from './campaign-mailing';
export type { CampaignProducerDeps } from './campaign-mailing';
export { createCampaign } from './create';
export type { CreateCampaignInput } from './create';
export { campaignPreviewVariants, campaignTestMail } from './preview';
