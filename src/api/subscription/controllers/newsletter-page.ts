import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { Locale } from '../../../domain/subscription-request';
import { applySubstitutions, greetingFor } from '../../../mail/renderer';
import { renderPrivacyPage } from '../../../pages/privacy-page';
import { renderInvalidLinkPage } from '../../../pages/subscription-pages';
import { pageContext, pageLocale, sendPage } from '../../../subscriptions/page-response';
import { subscriptionRuntime } from '../../../subscriptions/runtime';

/** Pages about the newsletter itself: an edition's or a campaign's web version and the privacy statement. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * GET /newsletter/editions/:documentId?variant=: an edition as sent, for "view in browser".
   * Personal links are replaced by general ones: the page is the same for every reader of a variant.
   */
  async editionPage(ctx: Context) {
    const edition = await strapi.db.query('api::edition.edition').findOne({ where: { documentId: ctx.params.documentId }, select: ['id', 'state'] });
    const variantKey = typeof ctx.query.variant === 'string' ? ctx.query.variant : '';
    const variant = edition && ['sending', 'sent'].includes(edition.state)
      ? await strapi.db.connection('newsletter_variants').where({ edition_id: edition.id, variant_key: variantKey }).first('html')
      : undefined;
    webVersion(ctx, variant, variantKey);
  },

  /** GET /newsletter/campaigns/:documentId?variant=nl|en: a campaign as sent, for "view in browser". */
  async campaignPage(ctx: Context) {
    const campaign = await strapi.db.query('api::campaign.campaign').findOne({ where: { documentId: ctx.params.documentId }, select: ['id', 'state'] });
    const variantKey = typeof ctx.query.variant === 'string' ? ctx.query.variant : '';
    const variant = campaign && ['sending', 'sent', 'cancelled'].includes(campaign.state)
      ? await strapi.db.connection('newsletter_variants').where({ mailing_kind: 'campaign', mailing_id: campaign.id, variant_key: variantKey }).first('html')
      : undefined;
    webVersion(ctx, variant, variantKey);
  },

  /** GET /newsletter/privacy */
  async privacyPage(ctx: Context) {
    const { organisation, retention } = subscriptionRuntime().settings;
    const locale = pageLocale(ctx);
    sendPage(ctx, 200, renderPrivacyPage(locale, { networkName: organisation.name, postalAddress: organisation.postalAddress, ...retention, engagementTrackingAllowed: subscriptionRuntime().settings.engagementTrackingAllowed }, organisation.privacyUrl), 'embeddable');
  },
});

/** A mailing's variant as sent, personal links replaced by general ones; 404 when there is none (yet). */
function webVersion(ctx: Context, variant: { html: string } | undefined, variantKey: string): void {
  const locale: Locale = variantKey.startsWith('en') ? 'en' : 'nl';
  if (!variant) {
    sendPage(ctx, 404, renderInvalidLinkPage(pageContext(pageLocale(ctx, locale)), { reason: 'invalid', signupUrl: `/newsletter?lang=${locale}` }));
    return;
  }
  const signup = `/newsletter?lang=${locale}`;
  const general: Record<string, string> = { '%greeting%': greetingFor(locale, null), '%unsubscribe_url%': signup, '%preferences_url%': signup, '%view_url%': ctx.path };
  ctx.status = 200;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; frame-ancestors 'none'");
  ctx.body = applySubstitutions(variant.html, general);
}
