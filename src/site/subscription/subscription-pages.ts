/**
 * The hosted subscription pages as pure render functions: data in, a complete HTML document out.
 * Plain HTML forms only, so everything works without JavaScript.
 */
import { type SafeHtml, html, raw, safeUrl } from '../../core/web/html';
import { renderLayout } from '../page-layout';
import { CONSENT_TEXT_VERSION, LANGUAGE_NAMES, type PageStrings, consentText, pageStrings } from '../strings';
import type { Locale } from '../../core/domain/locale';

export interface ThemeOption {
  slug: string;
  name: string;
  description?: string | null;
}
export interface FieldError {
  field: string;
  message: string;
}
export interface PageContext {
  locale: Locale;
  networkName: string;
  privacyUrl: string;
  /** path prefix for links, e.g. '' or 'https://cms.example.org' */
  baseUrl: string;
}

const LOCALES: readonly Locale[] = ['nl', 'en'];

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function url(ctx: PageContext, path: string, token?: string): string {
  const base = ctx.baseUrl.replace(/\/+$/, '');
  return token === undefined ? `${base}${path}` : `${base}${path}?token=${encodeURIComponent(token)}`;
}

interface PageOptions {
  indexable?: boolean;
  hideReferrer?: boolean;
  languageSwitch?: { href: string; locale: Locale };
}

function page(ctx: PageContext, title: string, body: SafeHtml, options: PageOptions = {}): string {
  return renderLayout({ locale: ctx.locale, title, networkName: ctx.networkName, privacyUrl: ctx.privacyUrl, body, ...options });
}

/** Where the error summary sends focus for each field: the input itself, or a group's first option. */
type Anchors = Record<string, string | undefined>;

function messagesFor(errors: FieldError[], field: string): string[] {
  return errors.filter((e) => e.field === field).map((e) => e.message);
}

function errorSummary(s: PageStrings, errors: FieldError[], anchors: Anchors): SafeHtml | false {
  if (errors.length === 0) return false;
  // autofocus moves focus (and screen readers) to the summary on load, without JavaScript.
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
<h2 id="error-summary-title">${s.errorSummaryTitle}</h2>
<ul>${errors.map((e) => {
    const anchor = anchors[e.field];
    return html`<li>${anchor ? html`<a href="#${anchor}">${e.message}</a>` : e.message}</li>`;
  })}</ul>
</div>
`;
}

/** The inline message under a label; its id goes into the field's aria-describedby. */
function fieldError(s: PageStrings, id: string, messages: string[]): SafeHtml | false {
  return (
    messages.length > 0 &&
    html`<p class="field-error" id="${id}"><span class="vh">${s.errorPrefix} </span>${messages.join(' ')}</p>
`
  );
}

/** aria-describedby/aria-invalid attributes; nothing when there is nothing to point at. */
function described(ids: (string | false | undefined)[], invalid: boolean): SafeHtml {
  const list = ids.filter(Boolean).join(' ');
  return html`${list && html` aria-describedby="${list}"`}${invalid && raw(' aria-invalid="true"')}`;
}

function titleWithErrors(s: PageStrings, title: string, errors: FieldError[]): string {
  return errors.length > 0 ? `${s.errorTitlePrefix}: ${title}` : title;
}

function localeFieldset(s: PageStrings, selected: Locale, errors: FieldError[]): SafeHtml {
  const messages = messagesFor(errors, 'locale');
  return html`<fieldset>
<legend>${s.localeLegend}</legend>
${fieldError(s, 'locale-error', messages)}${LOCALES.map(
    (
      locale,
    ) => html`<div class="choice"><input type="radio" name="locale" id="locale-${locale}" value="${locale}"${selected === locale && raw(' checked')}${described([messages.length > 0 && 'locale-error'], messages.length > 0)}><label for="locale-${locale}" lang="${locale}">${LANGUAGE_NAMES[locale]}</label></div>
`,
  )}</fieldset>
`;
}

function themesFieldset(s: PageStrings, themes: ThemeOption[], selected: string[], errors: FieldError[]): SafeHtml | false {
  if (themes.length === 0) return false;
  const messages = messagesFor(errors, 'themes');
  const chosen = new Set(selected);
  // Ids by position: slugs are not guaranteed to be valid, unique-after-cleaning ids.
  return html`<fieldset aria-describedby="themes-hint">
<legend>${s.themesLegend}</legend>
<p class="hint" id="themes-hint">${s.themesHint}</p>
${fieldError(s, 'themes-error', messages)}${themes.map((theme, i) => {
    const hintId = theme.description ? `theme-${i}-hint` : undefined;
    return html`<div class="choice"><input type="checkbox" name="themes" id="theme-${i}" value="${theme.slug}"${chosen.has(theme.slug) && raw(' checked')}${described([messages.length > 0 && 'themes-error', hintId], messages.length > 0)}><div><label for="theme-${i}">${theme.name}</label>${hintId && html`<span class="hint" id="${hintId}">${theme.description}</span>`}</div></div>
`;
  })}</fieldset>
`;
}

function textField(
  s: PageStrings,
  field: { id: string; label: string; type: string; autocomplete: string; value?: string; required?: boolean; maxlength: number; extra?: SafeHtml },
  errors: FieldError[],
): SafeHtml {
  const messages = messagesFor(errors, field.id);
  const errorId = `${field.id}-error`;
  return html`<div class="field">
<label for="${field.id}">${field.label}</label>
${fieldError(s, errorId, messages)}<input type="${field.type}" id="${field.id}" name="${field.id}" value="${field.value ?? ''}" autocomplete="${field.autocomplete}" maxlength="${field.maxlength}"${field.required && raw(' required')}${field.extra}${described([messages.length > 0 && errorId], messages.length > 0)}>
</div>
`;
}

export function renderSignupPage(
  ctx: PageContext,
  input: { themes: ThemeOption[]; values?: { email?: string; name?: string; locale?: string; themes?: string[]; consent?: boolean }; errors?: FieldError[] },
): string {
  const s = pageStrings(ctx.locale);
  const values = input.values ?? {};
  const errors = input.errors ?? [];
  const consentErrors = messagesFor(errors, 'consent');
  const other: Locale = ctx.locale === 'nl' ? 'en' : 'nl';
  const anchors: Anchors = { email: 'email', name: 'name', locale: 'locale-nl', themes: input.themes.length > 0 ? 'theme-0' : undefined, consent: 'consent' };
  const [before, linkText, after] = s.privacyHint;

  const body = html`<h1>${s.signup.title}</h1>
${errorSummary(s, errors, anchors)}<p>${s.signup.intro(ctx.networkName)}</p>
<form method="post" action="${url(ctx, '/api/subscriptions')}">
${textField(s, { id: 'email', label: s.email, type: 'email', autocomplete: 'email', value: values.email, required: true, maxlength: 254, extra: raw(' spellcheck="false"') }, errors)}${textField(s, { id: 'name', label: `${s.name} ${s.optional}`, type: 'text', autocomplete: 'name', value: values.name, maxlength: 120 }, errors)}${localeFieldset(s, isLocale(values.locale) ? values.locale : ctx.locale, errors)}${themesFieldset(s, input.themes, values.themes ?? [], errors)}<div class="field">
${fieldError(s, 'consent-error', consentErrors)}<div class="choice"><input type="checkbox" id="consent" name="consent" value="true" required${values.consent === true && raw(' checked')}${described([consentErrors.length > 0 && 'consent-error', 'consent-hint'], consentErrors.length > 0)}><label for="consent">${consentText(ctx.locale)}</label></div>
<p class="hint" id="consent-hint">${before}<a href="${safeUrl(ctx.privacyUrl)}">${linkText}</a>${after}</p>
<input type="hidden" name="consent_text_version" value="${CONSENT_TEXT_VERSION}">
</div>
<div class="hp" aria-hidden="true"><label for="website">${s.honeypotLabel}</label><input type="text" id="website" name="website" value="" tabindex="-1" autocomplete="off"></div>
<button type="submit">${s.signup.submit}</button>
</form>
`;
  return page(ctx, titleWithErrors(s, s.signup.title, errors), body, {
    indexable: true,
    languageSwitch: { href: `${url(ctx, '/newsletter')}?lang=${other}`, locale: other },
  });
}

export function renderCheckInboxPage(ctx: PageContext): string {
  const s = pageStrings(ctx.locale).checkInbox;
  return page(
    ctx,
    s.title,
    html`<h1>${s.title}</h1>
${s.paragraphs.map(
  (p) => html`<p>${p}</p>
`,
)}`,
  );
}

/**
 * GET of a confirm link shows this page only: mail security scanners fetch (GET, HEAD) every link in
 * a mail, so only the POST of the button confirms, made by the person who opened the mail.
 */
export function renderConfirmPage(ctx: PageContext, input: { token: string }): string {
  const s = pageStrings(ctx.locale).confirm;
  return page(
    ctx,
    s.title,
    html`<h1>${s.title}</h1>
<p>${s.text(ctx.networkName)}</p>
<form method="post" action="${url(ctx, '/newsletter/confirm', input.token)}">
<input type="hidden" name="confirm" value="yes">
<button type="submit">${s.button}</button>
</form>
`,
    { hideReferrer: true },
  );
}

export function renderConfirmedPage(ctx: PageContext, input: { preferencesUrl: string }): string {
  const s = pageStrings(ctx.locale).confirmed;
  return page(
    ctx,
    s.title,
    html`<h1>${s.title}</h1>
<p>${s.text(ctx.networkName)}</p>
<p>${s.changeQuestion} <a href="${safeUrl(input.preferencesUrl)}">${s.changeLink}</a></p>
`,
    { hideReferrer: true },
  );
}

export function renderPreferencesPage(
  ctx: PageContext,
  input: {
    token: string;
    themes: ThemeOption[];
    selectedThemes: string[];
    preferredLocale: Locale;
    saved?: boolean;
    errors?: FieldError[];
    unsubscribeUrl: string;
  },
): string {
  const s = pageStrings(ctx.locale);
  const p = s.preferences;
  const errors = input.errors ?? [];
  const anchors: Anchors = { locale: 'locale-nl', themes: input.themes.length > 0 ? 'theme-0' : undefined };
  const body = html`<h1>${p.title}</h1>
${errorSummary(s, errors, anchors)}${
    input.saved &&
    errors.length === 0 &&
    html`<div class="notice" role="status">${p.saved}</div>
`
  }<p>${p.intro(ctx.networkName)}</p>
<form method="post" action="${url(ctx, '/newsletter/preferences', input.token)}">
${localeFieldset(s, input.preferredLocale, errors)}${themesFieldset(s, input.themes, input.selectedThemes, errors)}<button type="submit">${p.submit}</button>
</form>
<h2>${p.unsubscribeQuestion}</h2>
<p><a href="${safeUrl(input.unsubscribeUrl)}">${p.unsubscribeLink}</a></p>
`;
  return page(ctx, titleWithErrors(s, p.title, errors), body, { hideReferrer: true });
}

/** GET shows this page only: link scanners follow links, so only the POST of the button unsubscribes. */
export function renderUnsubscribePage(ctx: PageContext, input: { token: string }): string {
  const s = pageStrings(ctx.locale).unsubscribe;
  return page(
    ctx,
    s.title,
    html`<h1>${s.title}</h1>
<p>${s.text(ctx.networkName)}</p>
<form method="post" action="${url(ctx, '/newsletter/unsubscribe', input.token)}">
<input type="hidden" name="confirm" value="yes">
<button type="submit">${s.button}</button>
</form>
`,
    { hideReferrer: true },
  );
}

export function renderUnsubscribedPage(ctx: PageContext, input: { signupUrl: string }): string {
  const s = pageStrings(ctx.locale).unsubscribed;
  return page(
    ctx,
    s.title,
    html`<h1>${s.title}</h1>
<p>${s.text(ctx.networkName)}</p>
<p>${s.againQuestion} <a href="${safeUrl(input.signupUrl)}">${s.againLink}</a></p>
`,
  );
}

export function renderInvalidLinkPage(ctx: PageContext, input: { reason: 'expired' | 'invalid'; signupUrl: string }): string {
  const s = pageStrings(ctx.locale).invalidLink;
  const expired = input.reason === 'expired';
  const title = expired ? s.expiredTitle : s.invalidTitle;
  return page(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${expired ? s.expiredText : s.invalidText}</p>
<p>${s.next}</p>
<p><a href="${safeUrl(input.signupUrl)}">${s.link}</a></p>
`,
    { hideReferrer: true },
  );
}

/**
 * The confirm link of an address that is no longer pending or active (unsubscribed, bounced,
 * complained): why it cannot be confirmed, how to sign up again, and whom to contact.
 */
export function renderSuppressedLinkPage(ctx: PageContext, input: { signupUrl: string; contactUrl: string }): string {
  const s = pageStrings(ctx.locale).suppressedLink;
  return page(
    ctx,
    s.title,
    html`<h1>${s.title}</h1>
<p>${s.text}</p>
<p>${s.next}</p>
<p><a href="${safeUrl(input.signupUrl)}">${pageStrings(ctx.locale).invalidLink.link}</a></p>
<p>${s.contact(ctx.networkName)}: <a href="${safeUrl(input.contactUrl)}">${input.contactUrl.replace(/^https?:\/\//, '').replace(/\/$/, '')}</a>.</p>
`,
    { hideReferrer: true },
  );
}

/** A page for a form post that was too large to read (no form of its own: the signup form re-renders instead). */
export function renderTooLargePage(ctx: PageContext, input: { maxBytes: number; signupUrl: string }): string {
  const s = pageStrings(ctx.locale).tooLarge;
  return page(
    ctx,
    s.title,
    html`<h1>${s.title}</h1>
<p>${s.formMessage(Math.floor(input.maxBytes / 1024))}</p>
<p><a href="${safeUrl(input.signupUrl)}">${s.back}</a></p>
`,
  );
}

/** The message for a signup form post over the body limit, shown in the form's error summary. */
export function formTooLargeError(locale: Locale, maxBytes: number): FieldError {
  return { field: 'form', message: pageStrings(locale).tooLarge.formMessage(Math.floor(maxBytes / 1024)) };
}

export function renderTooManyRequestsPage(ctx: PageContext, input: { retryAfterSeconds: number }): string {
  const s = pageStrings(ctx.locale).tooManyRequests;
  return page(
    ctx,
    s.title,
    html`<h1>${s.title}</h1>
<p>${s.text}</p>
<p>${s.retry(input.retryAfterSeconds)}</p>
`,
  );
}
