import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import {
  checkEmail,
  fieldError,
  isLocale,
  parsePreferencesChange,
  parseSubscriptionRequest,
  readThemeList,
  type FieldError,
  type Locale,
} from '../../../domain/subscription-request';
import { applySubstitutions, greetingFor } from '../../../mail/renderer';
import { mailLinks } from '../../../mail/transactional-mail';
import { renderPrivacyPage } from '../../../pages/privacy-page';
import { CONSENT_TEXT_VERSION } from '../../../pages/strings';
import {
  renderCheckInboxPage,
  renderConfirmedPage,
  renderInvalidLinkPage,
  renderPreferencesPage,
  renderSignupPage,
  renderTooManyRequestsPage,
  renderUnsubscribePage,
  renderUnsubscribedPage,
  type PageContext,
} from '../../../pages/subscription-pages';
import { subscriptionRuntime } from '../../../subscriptions/runtime';
import { Subscriptions, type SubscriberRecord } from '../../../subscriptions/subscriptions';

/**
 * The public edge of subscriptions: JSON and HTML-form clients, and the hosted pages that mail links
 * open. Validation happens before anything is written; every answer to an address is the same
 * whether it is known or not.
 */
const CONSENT_VERSION_PATTERN = /^[A-Za-z0-9._-]{1,40}$/;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const subscriptions = () => new Subscriptions(strapi, subscriptionRuntime());

  const pageContext = (locale: Locale): PageContext => {
    const { organisation } = subscriptionRuntime().settings;
    return { locale, networkName: organisation.name, privacyUrl: organisation.privacyUrl, baseUrl: '' };
  };

  const pageLocale = (ctx: Context, fallback?: Locale | null): Locale => {
    const asked = ctx.query.lang;
    if (isLocale(asked)) return asked;
    if (fallback) return fallback;
    return /^\s*en\b/i.test(ctx.get('accept-language')) ? 'en' : 'nl';
  };

  const sendPage = (ctx: Context, status: number, htmlPage: string, options: { embeddable?: boolean } = {}) => {
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors ${options.embeddable ? '*' : "'none'"}`,
    );
    if (options.embeddable) ctx.remove('X-Frame-Options');
    ctx.body = htmlPage;
  };

  const isForm = (ctx: Context) => ctx.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';

  const validationFailed = (ctx: Context, errors: FieldError[]) => {
    ctx.status = 400;
    ctx.body = {
      data: null,
      error: {
        status: 400,
        name: 'ValidationError',
        message: errors.map((error) => `${error.field}: ${error.message}`).join(' '),
        details: { errors: errors.map(({ field, code, message }) => ({ path: [field], field, code, message })) },
      },
    };
  };

  const tooManyRequests = (ctx: Context, retryAfterSeconds: number, locale: Locale) => {
    ctx.set('Retry-After', String(retryAfterSeconds));
    if (isForm(ctx)) return sendPage(ctx, 429, renderTooManyRequestsPage(pageContext(locale), { retryAfterSeconds }));
    ctx.status = 429;
    ctx.body = { data: null, error: { status: 429, name: 'TooManyRequestsError', message: `Too many requests; try again in ${retryAfterSeconds} seconds.`, details: { retryAfterSeconds } } };
  };

  /** The same answer for every address: a redirect to "check your inbox" for forms, 202 for JSON. */
  const accepted = (ctx: Context, locale: Locale, message: string) => {
    if (isForm(ctx)) {
      ctx.status = 303;
      ctx.redirect(`/newsletter/check-inbox?lang=${locale}`);
      return;
    }
    ctx.status = 202;
    ctx.body = { data: { status: 'accepted', message } };
  };

  /** Form and JSON bodies only: anything else is a client mistake with a clear 415. */
  const readBody = (ctx: Context): Record<string, unknown> | null => {
    if (!ctx.is('application/json', 'application/x-www-form-urlencoded')) {
      ctx.status = 415;
      ctx.body = { data: null, error: { status: 415, name: 'UnsupportedMediaTypeError', message: 'Send JSON (application/json) or an HTML form (application/x-www-form-urlencoded).' } };
      return null;
    }
    const body = (ctx.request as unknown as { body?: unknown }).body;
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  };

  const requestSource = (ctx: Context): string | null => {
    const referer = ctx.get('referer');
    if (!referer) return 'api';
    try {
      const url = new URL(referer);
      return `${url.origin}${url.pathname}`.slice(0, 500);
    } catch {
      return null;
    }
  };

  const tokenPage = async (ctx: Context, purpose: 'confirm' | 'preferences' | 'unsubscribe'): Promise<SubscriberRecord | null> => {
    const lookup = await subscriptions().lookupToken(ctx.query.token, purpose);
    if (lookup.ok) return lookup.subscriber;
    const locale = pageLocale(ctx);
    sendPage(ctx, lookup.reason === 'expired' ? 410 : 400, renderInvalidLinkPage(pageContext(locale), { reason: lookup.reason, signupUrl: `/newsletter?lang=${locale}` }));
    return null;
  };

  return {
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
      const locale: Locale = variantKey.startsWith('en') ? 'en' : 'nl';
      if (!variant) {
        return sendPage(ctx, 404, renderInvalidLinkPage(pageContext(pageLocale(ctx, locale)), { reason: 'invalid', signupUrl: `/newsletter?lang=${locale}` }));
      }
      const signup = `/newsletter?lang=${locale}`;
      const general: Record<string, string> = { '%greeting%': greetingFor(locale, null), '%unsubscribe_url%': signup, '%preferences_url%': signup, '%view_url%': ctx.path };
      ctx.status = 200;
      ctx.type = 'text/html; charset=utf-8';
      ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; frame-ancestors 'none'");
      ctx.body = applySubstitutions(variant.html, general);
    },

    /** GET /newsletter/privacy */
    async privacyPage(ctx: Context) {
      const { organisation, retention } = subscriptionRuntime().settings;
      const locale = pageLocale(ctx);
      sendPage(ctx, 200, renderPrivacyPage(locale, { networkName: organisation.name, postalAddress: organisation.postalAddress, ...retention }, organisation.privacyUrl), { embeddable: true });
    },

    /** POST /api/subscriptions */
    async subscribe(ctx: Context) {
      const body = readBody(ctx);
      if (!body) return;
      const service = subscriptions();
      const fallbackLocale = isLocale(body.locale) ? body.locale : pageLocale(ctx);
      const limit = await service.limitByIp(ctx.request.ip);
      if (!limit.allowed) return tooManyRequests(ctx, limit.retryAfterSeconds, fallbackLocale);

      const parsed = parseSubscriptionRequest(body, await service.themeSlugs(), fallbackLocale);
      if (!parsed.ok) {
        if (!isForm(ctx)) return validationFailed(ctx, parsed.errors);
        return sendPage(
          ctx,
          400,
          renderSignupPage(pageContext(fallbackLocale), {
            themes: await service.themes(fallbackLocale),
            values: { email: typeof body.email === 'string' ? body.email : '', name: typeof body.name === 'string' ? body.name : '', locale: fallbackLocale, themes: readThemeList(body.themes) ?? [], consent: body.consent === 'true' },
            errors: parsed.errors,
          }),
        );
      }
      const version = body.consent_text_version ?? body.consentTextVersion;
      await service.subscribe(parsed.value, {
        ip: ctx.request.ip,
        source: requestSource(ctx),
        consentTextVersion: typeof version === 'string' && CONSENT_VERSION_PATTERN.test(version) ? version : CONSENT_TEXT_VERSION,
      });
      accepted(ctx, parsed.value.locale, 'If this address can receive the newsletter, a mail is on its way. Check your inbox.');
    },

    /** POST /api/subscriptions/resend */
    async resend(ctx: Context) {
      const body = readBody(ctx);
      if (!body) return;
      const service = subscriptions();
      const locale = isLocale(body.locale) ? body.locale : pageLocale(ctx);
      const limit = await service.limitByIp(ctx.request.ip);
      if (!limit.allowed) return tooManyRequests(ctx, limit.retryAfterSeconds, locale);
      const email = checkEmail(body.email);
      if (!email.ok) return validationFailed(ctx, [fieldError('email', email.code, locale)]);
      await service.resend(email.email);
      accepted(ctx, locale, 'If this address is waiting for confirmation, a new mail is on its way.');
    },

    /** GET /newsletter */
    async signupPage(ctx: Context) {
      const locale = pageLocale(ctx);
      sendPage(ctx, 200, renderSignupPage(pageContext(locale), { themes: await subscriptions().themes(locale) }), { embeddable: true });
    },

    /** GET /newsletter/check-inbox */
    async checkInboxPage(ctx: Context) {
      sendPage(ctx, 200, renderCheckInboxPage(pageContext(pageLocale(ctx))), { embeddable: true });
    },

    /** GET /newsletter/confirm?token= */
    async confirm(ctx: Context) {
      const subscriber = await tokenPage(ctx, 'confirm');
      if (!subscriber) return;
      const locale = pageLocale(ctx, subscriber.preferredLocale);
      const outcome = await subscriptions().confirm(subscriber);
      if (outcome === 'not-pending') {
        return sendPage(ctx, 410, renderInvalidLinkPage(pageContext(locale), { reason: 'invalid', signupUrl: `/newsletter?lang=${locale}` }));
      }
      const links = mailLinks('', subscriber.linkKey ?? '', subscriptionRuntime().tokenSecret);
      sendPage(ctx, 200, renderConfirmedPage(pageContext(locale), { preferencesUrl: links.preferences }));
    },

    /** GET and POST /newsletter/preferences?token= */
    async preferences(ctx: Context) {
      const subscriber = await tokenPage(ctx, 'preferences');
      if (!subscriber) return;
      const locale = pageLocale(ctx, subscriber.preferredLocale);
      const service = subscriptions();
      const links = mailLinks('', subscriber.linkKey ?? '', subscriptionRuntime().tokenSecret);
      if (subscriber.state !== 'active' && subscriber.state !== 'pending') {
        return sendPage(ctx, 200, renderUnsubscribedPage(pageContext(locale), { signupUrl: `/newsletter?lang=${locale}` }));
      }
      const token = String(ctx.query.token);
      if (ctx.method === 'GET') {
        return sendPage(ctx, 200, renderPreferencesPage(pageContext(locale), { token, themes: await service.themes(locale), selectedThemes: subscriber.themes ?? [], preferredLocale: subscriber.preferredLocale, unsubscribeUrl: links.unsubscribe }));
      }
      const body = readBody(ctx);
      if (!body) return;
      const parsed = parsePreferencesChange(body, await service.themeSlugs(), locale);
      if (!parsed.ok) {
        if (!isForm(ctx)) return validationFailed(ctx, parsed.errors);
        return sendPage(ctx, 400, renderPreferencesPage(pageContext(locale), { token, themes: await service.themes(locale), selectedThemes: readThemeList(body.themes) ?? [], preferredLocale: isLocale(body.locale) ? body.locale : subscriber.preferredLocale, errors: parsed.errors, unsubscribeUrl: links.unsubscribe }));
      }
      await service.changePreferences(subscriber, parsed.value);
      if (!isForm(ctx)) {
        ctx.status = 200;
        ctx.body = { data: { status: 'saved', locale: parsed.value.locale, themes: parsed.value.themes } };
        return;
      }
      const newLocale = parsed.value.locale;
      sendPage(ctx, 200, renderPreferencesPage(pageContext(newLocale), { token, themes: await service.themes(newLocale), selectedThemes: parsed.value.themes, preferredLocale: newLocale, saved: true, unsubscribeUrl: links.unsubscribe }));
    },

    /** GET /newsletter/unsubscribe?token=: a page with a button; GET never unsubscribes (link scanners). */
    async unsubscribePage(ctx: Context) {
      const subscriber = await tokenPage(ctx, 'unsubscribe');
      if (!subscriber) return;
      const locale = pageLocale(ctx, subscriber.preferredLocale);
      if (subscriber.state === 'unsubscribed') return sendPage(ctx, 200, renderUnsubscribedPage(pageContext(locale), { signupUrl: `/newsletter?lang=${locale}` }));
      sendPage(ctx, 200, renderUnsubscribePage(pageContext(locale), { token: String(ctx.query.token) }));
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
        return sendPage(ctx, 400, renderInvalidLinkPage(pageContext(locale), { reason: lookup.reason, signupUrl: `/newsletter?lang=${locale}` }));
      }
      await subscriptions().unsubscribe(lookup.subscriber);
      if (oneClick) {
        ctx.status = 200;
        ctx.body = { data: { status: 'unsubscribed' } };
        return;
      }
      const locale = pageLocale(ctx, lookup.subscriber.preferredLocale);
      sendPage(ctx, 200, renderUnsubscribedPage(pageContext(locale), { signupUrl: `/newsletter?lang=${locale}` }));
    },
  };
};
