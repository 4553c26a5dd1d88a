import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { MailRenderer } from '../../mail/renderer';
import type { MailingSettings } from '../engine/mailing-deps';
import { mailingHeaders } from '../../mail/personalization';
import { createKnexSendingStore } from '../engine/knex-store';
import type { AudienceFilter, EditorialProducer, PreparedMailing } from '../engine/mailing';
import { PAGE_SIZE } from '../engine/plan';
import { MailingRefusal } from '../engine/refusal';
import { CAMPAIGN_LOCALES, audiencePrefilter, campaignVariantKey, inAudience, memberLocale, type CampaignAudience } from './audience';
import { loadCampaign } from './content';
import { countedLinks } from '../content';
import { buildCampaignVariantModel, campaignRefusals, type CampaignContent } from './model';
import { CampaignRefusedError } from './refusals';
import { renderCampaignVariant } from './render';
import { campaignPreviewVariants, campaignTestMail } from './preview';
import type { Locale } from '../../core/domain/locale';

export interface CampaignProducerDeps {
  strapi: Core.Strapi;
  db: Knex;
  renderer: Pick<MailRenderer, 'compose'>;
  settings: Pick<MailingSettings, 'publicUrl' | 'siteUrl' | 'listId' | 'unsubscribeMailbox' | 'itemCounts'>;
  tokenSecret: string;
}

/** The web version of one variant (language) of a campaign, for "view in browser" (mails sent before said `?variant=`, still answered). */
export const campaignViewUrl = (publicUrl: string, documentId: string, locale: string) =>
  `${publicUrl}/newsletter/campaigns/${documentId}?lang=${encodeURIComponent(locale)}`;

/**
 * The campaign as a producer for the sending engine. Its audience is the active subscribers
 * narrowed by locale in SQL (audiencePrefilter) and by themes per row (inAudience); a reader's
 * variant is their language; a variant renders through templates/campaign. Each recipient gets
 * exactly what an edition's recipient gets (greeting, signed unsubscribe and preferences links,
 * the web version's link, RFC 8058 one-click headers), with the campaign's id in custom_args.
 *
 * What makes a campaign unsendable (a featured item that is a draft, no subject in a language that
 * has recipients) is a MailingRefusal: the engine refuses to schedule it, and a campaign found so
 * at planning time ends `failed` with the message as its note.
 */
export function createCampaignProducer(deps: CampaignProducerDeps): EditorialProducer {
  const store = createKnexSendingStore(deps.db);
  return {
    kind: 'campaign',
    previewVariants: (ref) => campaignPreviewVariants(deps, ref),
    testMail: (ref, locale) => campaignTestMail(deps, ref, locale),
    async prepare(mailing) {
      // Counted links for the send only (previews and test sends link directly), as for an edition.
      const links = deps.settings.itemCounts ? countedLinks(deps.settings, { kind: 'campaign', id: mailing.ref.id }, deps.tokenSecret) : deps.settings;
      const content = await loadCampaign(deps.strapi, { id: mailing.ref.id }, links);
      if (!content) throw new MailingRefusal('missing', `no campaign ${mailing.ref.id}`);
      await assertCampaignSendable(content, (locale) => hasReaderIn(content.audience, locale));
      const prepared: PreparedMailing = {
        audience: toFilter(content.audience),
        variantFor: (subscriber) => (inAudience(content.audience, subscriber) ? campaignVariantKey(subscriber) : null),
        render: (key) => renderCampaignVariant(deps.renderer, buildCampaignVariantModel(content, key as Locale)),
      };
      return prepared;
    },
    envelope(mailing, variantKey) {
      const { publicUrl } = deps.settings;
      const locale: Locale = variantKey === 'en' ? 'en' : 'nl';
      return {
        categories: ['campaign'],
        customArgs: { campaign_id: mailing.documentId },
        headers: mailingHeaders(deps.settings.listId),
        personalization: {
          publicUrl,
          viewUrl: campaignViewUrl(publicUrl, mailing.documentId, locale),
          locale,
          unsubscribeMailbox: deps.settings.unsubscribeMailbox,
        },
      };
    },
  };

  /** Whether some active subscriber of the audience reads `locale` (stops at the first one). */
  async function hasReaderIn(audience: CampaignAudience, locale: Locale): Promise<boolean> {
    const filter = toFilter(audience);
    for (let lastId = 0; ;) {
      const page = await store.subscribers(filter, lastId, PAGE_SIZE);
      if (page.length === 0) return false;
      if (page.some((subscriber) => memberLocale(subscriber) === locale && inAudience(audience, subscriber))) return true;
      lastId = page[page.length - 1].id;
    }
  }
}

/**
 * Throws a MailingRefusal naming every problem of the campaign. The subject check needs to know
 * which languages have recipients; that is only looked up for a language without a subject.
 */
export async function assertCampaignSendable(content: CampaignContent, hasReaderIn: (locale: Locale) => Promise<boolean>): Promise<void> {
  const missingSubject = CAMPAIGN_LOCALES.filter((locale) => !content.text[locale].subject?.trim());
  const locales: Locale[] = [];
  for (const locale of CAMPAIGN_LOCALES) {
    if (content.audience.locale !== null && content.audience.locale !== locale) continue;
    if (!missingSubject.includes(locale) || (await hasReaderIn(locale))) locales.push(locale);
  }
  const refusals = campaignRefusals(content, locales);
  if (refusals.length > 0) throw new MailingRefusal('invalid', new CampaignRefusedError(content.title, refusals).message);
}

/** The SQL part of the audience: `preferred_locale` (required, default nl) when one language is chosen. */
function toFilter(audience: CampaignAudience): AudienceFilter {
  return audiencePrefilter(audience);
}
