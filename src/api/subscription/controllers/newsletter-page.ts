import type { Core } from '@strapi/strapi';
import { readItemCountSettings } from '../../../settings/item-counts';
import type { Context } from 'koa';
import { campaignWebVersionPath, editionWebVersionPath, fillWebVersion, generalLinks } from '../../../site/archive/web-version';
import { renderManageSubscriptionPage } from '../../../site/subscription/manage-subscription-page';
import { renderPrivacyPage } from '../../../site/subscription/privacy-page';
import { renderInvalidLinkPage } from '../../../site/subscription/subscription-pages';
import { pageContext, pageLocale } from '../../../site/subscription/page-response';
import { sendPage } from '../../../site/page-response';
import { cmsServices } from '../../../app/cms';
import { VARIANTS } from '../../../mailings/engine/schema';
import type { Locale } from '../../../core/domain/locale';

/** States in which a mailing has variants that went (or are going) out: its readers may open their web version. */
const WEB_VERSION_STATES = ['sending', 'sent', 'cancelled', 'failed'];

interface MailingForWebVersion {
  id: number;
  state: string;
  keepOutOfArchive: boolean | null;
}

/** Pages about the newsletter itself: an edition's or a campaign's web version, the privacy statement, how to manage a subscription. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const findMailing = (uid: 'api::edition.edition' | 'api::campaign.campaign', documentId: string) =>
    strapi.db.query(uid).findOne({ where: { documentId }, select: ['id', 'state', 'keepOutOfArchive'] }) as Promise<MailingForWebVersion | null>;
  const storedVariant = async (kind: 'edition' | 'campaign', mailing: MailingForWebVersion | null, variantKey: string) =>
    mailing && WEB_VERSION_STATES.includes(mailing.state)
      ? ((await strapi.db.connection(VARIANTS).where({ mailing_kind: kind, mailing_id: mailing.id, variant_key: variantKey }).first('html')) as
          { html: string } | undefined)
      : undefined;

  /**
   * A variant as sent, its tags filled the same for everyone: a neutral greeting and the manage
   * page as footer links, never a reader's own unsubscribe or preferences link, so a shared address
   * unsubscribes nobody. A `token` in the address (the view token of mails sent before) is ignored,
   * whatever it is: the page opens as without it, only kept out of search engines.
   */
  const webVersion = async (ctx: Context, variant: { html: string } | undefined, locale: Locale, selfPath: string, keptOut: boolean) => {
    if (!variant) {
      sendPage(
        ctx,
        404,
        renderInvalidLinkPage(pageContext(cmsServices(strapi).settings, pageLocale(ctx, locale)), {
          reason: 'invalid',
          signupUrl: `/newsletter?lang=${locale}`,
        }),
      );
      return;
    }
    const { settings } = cmsServices(strapi);
    const carriesToken = ctx.query.token !== undefined;
    ctx.status = 200;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; frame-ancestors 'none'");
    ctx.set('Referrer-Policy', 'no-referrer');
    // An address with an old mail's token is a duplicate of the page; a kept-out mailing is not meant to be found.
    if (carriesToken || keptOut) ctx.set('X-Robots-Tag', 'noindex');
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = fillWebVersion(variant.html, { locale, links: generalLinks(settings.publicUrl, locale, selfPath), indexable: !carriesToken && !keptOut });
  };

  return {
    /** GET /newsletter/editions/:documentId?variant=<locale>|<themes>: an edition as sent, for "view in browser" and the archive. */
    async editionPage(ctx: Context) {
      const documentId = String(ctx.params.documentId);
      const edition = await findMailing('api::edition.edition', documentId);
      const variantKey = typeof ctx.query.variant === 'string' ? ctx.query.variant : '';
      const locale: Locale = variantKey.startsWith('en') ? 'en' : 'nl';
      await webVersion(
        ctx,
        await storedVariant('edition', edition, variantKey),
        locale,
        editionWebVersionPath(documentId, variantKey),
        Boolean(edition?.keepOutOfArchive),
      );
    },

    /** GET /newsletter/campaigns/:documentId?lang=nl|en: a campaign as sent (`?variant=` in mails sent before). */
    async campaignPage(ctx: Context) {
      const documentId = String(ctx.params.documentId);
      const campaign = await findMailing('api::campaign.campaign', documentId);
      const asked = typeof ctx.query.lang === 'string' ? ctx.query.lang : typeof ctx.query.variant === 'string' ? ctx.query.variant : '';
      const locale: Locale = asked === 'en' ? 'en' : 'nl';
      const variant = asked === 'nl' || asked === 'en' ? await storedVariant('campaign', campaign, asked) : undefined;
      await webVersion(ctx, variant, locale, campaignWebVersionPath(documentId, locale), Boolean(campaign?.keepOutOfArchive));
    },

    /** GET /newsletter/manage?lang=: how to change or end a subscription with the links in one's mail (no token needed). */
    async managePage(ctx: Context) {
      sendPage(ctx, 200, renderManageSubscriptionPage(pageContext(cmsServices(strapi).settings, pageLocale(ctx))));
    },

    /** GET /newsletter/privacy */
    async privacyPage(ctx: Context) {
      const { organisation, retention } = cmsServices(strapi).settings;
      const locale = pageLocale(ctx);
      sendPage(
        ctx,
        200,
        renderPrivacyPage(
          locale,
          {
            networkName: organisation.name,
            postalAddress: organisation.postalAddress,
            ...retention,
            engagementTrackingAllowed: cmsServices(strapi).settings.engagementTrackingAllowed,
            itemCounts: readItemCountSettings().enabled,
          },
          organisation.privacyUrl,
        ),
        'embeddable',
      );
    },
  };
};
