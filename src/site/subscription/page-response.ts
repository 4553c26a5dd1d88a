import type { Context } from 'koa';
import { isLocale, readThemeList, type FieldError } from '../../core/domain/subscription-request';
import { sendPage } from '../page-response';
import {
  formTooLargeError,
  renderSignupPage,
  renderTooLargePage,
  renderTooManyRequestsPage,
  type PageContext,
  type FieldError as PageFieldError,
} from './subscription-pages';
import type { MailSettings } from '../../settings/mail';
import type { Subscriptions } from './subscriptions';
import type { Locale } from '../../core/domain/locale';

/**
 * How the subscription endpoints and hosted pages answer: HTML pages with their headers, JSON
 * errors, the language of a page. Shared by the controllers and by the body limit's 413 for forms.
 */
export function pageContext(settings: Pick<MailSettings, 'organisation'>, locale: Locale): PageContext {
  const { organisation } = settings;
  return { locale, networkName: organisation.name, privacyUrl: organisation.privacyUrl, baseUrl: '' };
}

/** ?lang= when valid, else the subscriber's language, else the browser's (English or Dutch). */
export function pageLocale(ctx: Context, fallback?: Locale | null): Locale {
  const asked = ctx.query.lang;
  if (isLocale(asked)) return asked;
  if (fallback) return fallback;
  return /^\s*en\b/i.test(ctx.get('accept-language')) ? 'en' : 'nl';
}

export function isForm(ctx: Context): boolean {
  return ctx.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';
}

export function validationFailed(ctx: Context, errors: FieldError[]): void {
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
}

/** 429 with Retry-After; a form post gets a page with the signup form's frame policy. */
export function tooManyRequests(ctx: Context, settings: Pick<MailSettings, 'organisation'>, retryAfterSeconds: number, locale: Locale): void {
  ctx.set('Retry-After', String(retryAfterSeconds));
  if (isForm(ctx)) return sendPage(ctx, 429, renderTooManyRequestsPage(pageContext(settings, locale), { retryAfterSeconds }), 'embeddable');
  ctx.status = 429;
  ctx.body = {
    data: null,
    error: {
      status: 429,
      name: 'TooManyRequestsError',
      message: `Too many requests; try again in ${retryAfterSeconds} seconds.`,
      details: { retryAfterSeconds },
    },
  };
}

/** Form and JSON bodies only: anything else is a client mistake with a clear 415. */
export function readBody(ctx: Context): Record<string, unknown> | null {
  if (!ctx.is('application/json', 'application/x-www-form-urlencoded')) {
    ctx.status = 415;
    ctx.body = {
      data: null,
      error: { status: 415, name: 'UnsupportedMediaTypeError', message: 'Send JSON (application/json) or an HTML form (application/x-www-form-urlencoded).' },
    };
    return null;
  }
  const body = (ctx.request as unknown as { body?: unknown }).body;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** The signup form again, with what was typed and the messages (400), or with a general message. */
export async function sendSignupForm(
  ctx: Context,
  subscriptions: Subscriptions,
  status: number,
  locale: Locale,
  body: Record<string, unknown>,
  errors: PageFieldError[],
): Promise<void> {
  const themes = await subscriptions.themes(locale);
  const values = {
    email: typeof body.email === 'string' ? body.email : '',
    name: typeof body.name === 'string' ? body.name : '',
    locale,
    themes: readThemeList(body.themes) ?? [],
    consent: body.consent === 'true',
  };
  sendPage(ctx, status, renderSignupPage(pageContext(subscriptions.settings, locale), { themes, values, errors }), 'embeddable');
}

/**
 * The body limit's answer to an HTML form post it refused to read (over `maxBytes`): the signup
 * form again with a message (nothing of what was typed survives: the body was never read), with the
 * form's frame policy; other forms get a short page. JSON clients keep their JSON 413.
 * Returns false when the request is not a form post, so the caller answers as before.
 */
export async function sendFormTooLarge(ctx: Context, subscriptions: Subscriptions, maxBytes: number): Promise<boolean> {
  if (!isForm(ctx)) return false;
  const locale = pageLocale(ctx);
  if (/^\/api\/subscriptions(?:\/resend)?\/?$/i.test(ctx.path)) {
    await sendSignupForm(ctx, subscriptions, 413, locale, {}, [formTooLargeError(locale, maxBytes)]);
  } else {
    sendPage(ctx, 413, renderTooLargePage(pageContext(subscriptions.settings, locale), { maxBytes, signupUrl: `/newsletter?lang=${locale}` }));
  }
  return true;
}
