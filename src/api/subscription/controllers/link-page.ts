import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { isLocale, parsePreferencesChange, readThemeList } from '../../../core/domain/subscription-request';
import { mailLinks } from '../../../mail/transactional-mail';
import {
  renderConfirmPage,
  renderConfirmedPage,
  renderInvalidLinkPage,
  renderPreferencesPage,
  renderSuppressedLinkPage,
  renderUnsubscribePage,
  renderUnsubscribedPage,
} from '../../../site/subscription/subscription-pages';
import { isForm, pageContext, pageLocale, readBody, validationFailed } from '../../../site/subscription/page-response';
import { sendPage } from '../../../site/page-response';
import { cmsServices } from '../../../app/cms';
import type { SubscriberRecord } from '../../../site/subscription/subscriptions';

/**
 * The pages that the links in mail open (confirm, preferences, unsubscribe), each with a signed
 * token. Link scanners fetch every link of a mail (GET and HEAD), so a GET never changes anything:
 * confirming and unsubscribing take the POST of a button on the page (or RFC 8058's one-click POST).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const subscriptions = () => cmsServices(strapi).subscriptions;
  const signupUrl = (locale: string) => `/newsletter?lang=${locale}`;

  const tokenPage = async (ctx: Context, purpose: 'confirm' | 'preferences' | 'unsubscribe'): Promise<SubscriberRecord | null> => {
    const lookup = await subscriptions().lookupToken(ctx.query.token, purpose);
    if (lookup.ok) return lookup.subscriber;
    const locale = pageLocale(ctx);
    sendPage(
      ctx,
      lookup.reason === 'expired' ? 410 : 400,
      renderInvalidLinkPage(pageContext(cmsServices(strapi).settings, locale), { reason: lookup.reason, signupUrl: signupUrl(locale) }),
    );
    return null;
  };

  const confirmedPage = (ctx: Context, subscriber: SubscriberRecord) => {
    const locale = pageLocale(ctx, subscriber.preferredLocale);
    const links = mailLinks('', subscriber.linkKey ?? '', cmsServices(strapi).tokenSecret);
    sendPage(ctx, 200, renderConfirmedPage(pageContext(cmsServices(strapi).settings, locale), { preferencesUrl: links.preferences }));
  };

  /** A confirm link of an unsubscribed, bounced or complained address: 410, and the truth, kindly. */
  const notPendingPage = (ctx: Context, subscriber: SubscriberRecord) => {
    const locale = pageLocale(ctx, subscriber.preferredLocale);
    const contactUrl = cmsServices(strapi).settings.organisation.websiteUrl;
    sendPage(ctx, 410, renderSuppressedLinkPage(pageContext(cmsServices(strapi).settings, locale), { signupUrl: signupUrl(locale), contactUrl }));
  };

  return {
    /** GET (and HEAD) /newsletter/confirm?token=: a page with a confirm button; changes nothing. */
    async confirmPage(ctx: Context) {
      const subscriber = await tokenPage(ctx, 'confirm');
      if (!subscriber) return;
      if (subscriber.state === 'active') return confirmedPage(ctx, subscriber);
      if (subscriber.state !== 'pending') return notPendingPage(ctx, subscriber);
      sendPage(
        ctx,
        200,
        renderConfirmPage(pageContext(cmsServices(strapi).settings, pageLocale(ctx, subscriber.preferredLocale)), { token: String(ctx.query.token) }),
      );
    },

    /** POST /newsletter/confirm?token=: the page's button; pending -> active, idempotent. */
    async confirm(ctx: Context) {
      const subscriber = await tokenPage(ctx, 'confirm');
      if (!subscriber) return;
      const outcome = await subscriptions().confirm(subscriber, { ip: ctx.request.ip });
      if (outcome === 'not-pending') return notPendingPage(ctx, subscriber);
      confirmedPage(ctx, subscriber);
    },

    /** GET and POST /newsletter/preferences?token= */
    async preferences(ctx: Context) {
      const subscriber = await tokenPage(ctx, 'preferences');
      if (!subscriber) return;
      const locale = pageLocale(ctx, subscriber.preferredLocale);
      const service = subscriptions();
      const links = mailLinks('', subscriber.linkKey ?? '', cmsServices(strapi).tokenSecret);
      if (subscriber.state !== 'active' && subscriber.state !== 'pending') {
        return sendPage(ctx, 200, renderUnsubscribedPage(pageContext(cmsServices(strapi).settings, locale), { signupUrl: signupUrl(locale) }));
      }
      const token = String(ctx.query.token);
      if (ctx.method === 'GET' || ctx.method === 'HEAD') {
        return sendPage(
          ctx,
          200,
          renderPreferencesPage(pageContext(cmsServices(strapi).settings, locale), {
            token,
            themes: await service.themes(locale),
            selectedThemes: subscriber.themes ?? [],
            preferredLocale: subscriber.preferredLocale,
            unsubscribeUrl: links.unsubscribe,
          }),
        );
      }
      const body = readBody(ctx);
      if (!body) return;
      const parsed = parsePreferencesChange(body, await service.themeSlugs(), locale);
      if (!parsed.ok) {
        if (!isForm(ctx)) return validationFailed(ctx, parsed.errors);
        return sendPage(
          ctx,
          400,
          renderPreferencesPage(pageContext(cmsServices(strapi).settings, locale), {
            token,
            themes: await service.themes(locale),
            selectedThemes: readThemeList(body.themes) ?? [],
            preferredLocale: isLocale(body.locale) ? body.locale : subscriber.preferredLocale,
            errors: parsed.errors,
            unsubscribeUrl: links.unsubscribe,
          }),
        );
      }
      await service.changePreferences(subscriber, parsed.value);
      if (!isForm(ctx)) {
        ctx.status = 200;
        ctx.body = { data: { status: 'saved', locale: parsed.value.locale, themes: parsed.value.themes } };
        return;
      }
      const newLocale = parsed.value.locale;
      sendPage(
        ctx,
        200,
        renderPreferencesPage(pageContext(cmsServices(strapi).settings, newLocale), {
          token,
          themes: await service.themes(newLocale),
          selectedThemes: parsed.value.themes,
          preferredLocale: newLocale,
          saved: true,
          unsubscribeUrl: links.unsubscribe,
        }),
      );
    },

    /** GET /newsletter/unsubscribe?token=: a page with a button; GET never unsubscribes (link scanners). */
    async unsubscribePage(ctx: Context) {
      const subscriber = await tokenPage(ctx, 'unsubscribe');
      if (!subscriber) return;
      const locale = pageLocale(ctx, subscriber.preferredLocale);
      if (subscriber.state === 'unsubscribed')
        return sendPage(ctx, 200, renderUnsubscribedPage(pageContext(cmsServices(strapi).settings, locale), { signupUrl: signupUrl(locale) }));
      sendPage(ctx, 200, renderUnsubscribePage(pageContext(cmsServices(strapi).settings, locale), { token: String(ctx.query.token) }));
    },

    /**
     * POST /newsletter/unsubscribe?token=: RFC 8058 one-click (body `List-Unsubscribe=One-Click`,
     * no cookies, no page) and the confirm button of the unsubscribe page.
     */
    async unsubscribe(ctx: Context) {
      const body = (ctx.request as unknown as { body?: Record<string, unknown> }).body ?? {};
      const oneClick = body['List-Unsubscribe'] === 'One-Click';
      const lookup = await subscriptions().lookupToken(ctx.query.token, 'unsubscribe');
      if (!lookup.ok) {
        if (oneClick) {
          ctx.status = lookup.reason === 'expired' ? 410 : 400;
          ctx.body = { data: null, error: { status: ctx.status, name: 'InvalidLinkError', message: 'This unsubscribe link is not valid.' } };
          return;
        }
        const locale = pageLocale(ctx);
        return sendPage(
          ctx,
          400,
          renderInvalidLinkPage(pageContext(cmsServices(strapi).settings, locale), { reason: lookup.reason, signupUrl: signupUrl(locale) }),
        );
      }
      await subscriptions().unsubscribe(lookup.subscriber);
      if (oneClick) {
        ctx.status = 200;
        ctx.body = { data: { status: 'unsubscribed' } };
        return;
      }
      const locale = pageLocale(ctx, lookup.subscriber.preferredLocale);
      sendPage(ctx, 200, renderUnsubscribedPage(pageContext(cmsServices(strapi).settings, locale), { signupUrl: signupUrl(locale) }));
    },
  };
};
