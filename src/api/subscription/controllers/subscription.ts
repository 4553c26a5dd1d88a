import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { checkEmail, fieldError, isLocale, parseSubscriptionRequest } from '../../../core/domain/subscription-request';
import { CONSENT_TEXT_VERSION } from '../../../site/strings';
import { renderCheckInboxPage, renderSignupPage } from '../../../site/subscription/subscription-pages';
import { isForm, pageContext, pageLocale, readBody, sendSignupForm, tooManyRequests, validationFailed } from '../../../site/subscription/page-response';
import { sendPage, setFramePolicy } from '../../../site/page-response';
import { cmsServices } from '../../../app/cms';
import type { Locale } from '../../../core/domain/locale';

/**
 * The embeddable signup form and the endpoints it posts to, for HTML forms and JSON clients.
 * Every response here has the form's frame policy (it may be framed by the network's website).
 *
 * No address is looked up while answering: a valid request is counted against the per-IP limit and
 * handed to the worker as one job, whatever the address, so the answer is the same in status,
 * headers, body and time for new, pending, active and suppressed addresses (the worker decides
 * what to store and mail: src/site/subscription/request-handler.ts).
 */
const CONSENT_VERSION_PATTERN = /^[A-Za-z0-9._-]{1,40}$/;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const subscriptions = () => cmsServices(strapi).subscriptions;

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

  /**
   * The consent record's source: the page the sign-up was made on (its Referer, without query);
   * without a Referer, `form` for an HTML form post (the hosted form sends none: its pages are
   * `Referrer-Policy: no-referrer`) and `api` for a JSON client.
   */
  const requestSource = (ctx: Context): string | null => {
    const referer = ctx.get('referer');
    if (!referer) return isForm(ctx) ? 'form' : 'api';
    try {
      const url = new URL(referer);
      return `${url.origin}${url.pathname}`.slice(0, 500);
    } catch {
      return null;
    }
  };

  return {
    /** POST /api/subscriptions */
    async subscribe(ctx: Context) {
      setFramePolicy(ctx, 'embeddable');
      const body = readBody(ctx);
      if (!body) return;
      const service = subscriptions();
      const fallbackLocale = isLocale(body.locale) ? body.locale : pageLocale(ctx);
      const limit = await service.limitByIp(ctx.request.ip);
      if (!limit.allowed) return tooManyRequests(ctx, cmsServices(strapi).settings, limit.retryAfterSeconds, fallbackLocale);

      const parsed = parseSubscriptionRequest(body, await service.themeSlugs(), fallbackLocale);
      if (!parsed.ok) {
        if (!isForm(ctx)) return validationFailed(ctx, parsed.errors);
        return sendSignupForm(ctx, subscriptions(), 400, fallbackLocale, body, parsed.errors);
      }
      const version = body.consent_text_version ?? body.consentTextVersion;
      await service.requestSubscription(parsed.value, {
        ip: ctx.request.ip,
        source: requestSource(ctx),
        consentTextVersion: typeof version === 'string' && CONSENT_VERSION_PATTERN.test(version) ? version : CONSENT_TEXT_VERSION,
      });
      accepted(ctx, parsed.value.locale, 'If this address can receive the newsletter, a mail is on its way. Check your inbox.');
    },

    /** POST /api/subscriptions/resend */
    async resend(ctx: Context) {
      setFramePolicy(ctx, 'embeddable');
      const body = readBody(ctx);
      if (!body) return;
      const service = subscriptions();
      const locale = isLocale(body.locale) ? body.locale : pageLocale(ctx);
      const limit = await service.limitByIp(ctx.request.ip);
      if (!limit.allowed) return tooManyRequests(ctx, cmsServices(strapi).settings, limit.retryAfterSeconds, locale);
      const email = checkEmail(body.email);
      if (!email.ok) return validationFailed(ctx, [fieldError('email', email.code, locale)]);
      await service.requestResend(email.email);
      accepted(ctx, locale, 'If this address is waiting for confirmation, a new mail is on its way.');
    },

    /** GET /newsletter */
    async signupPage(ctx: Context) {
      const locale = pageLocale(ctx);
      sendPage(ctx, 200, renderSignupPage(pageContext(cmsServices(strapi).settings, locale), { themes: await subscriptions().themes(locale) }), 'embeddable');
    },

    /** GET /newsletter/check-inbox */
    async checkInboxPage(ctx: Context) {
      sendPage(ctx, 200, renderCheckInboxPage(pageContext(cmsServices(strapi).settings, pageLocale(ctx))), 'embeddable');
    },
  };
};
