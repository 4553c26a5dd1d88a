import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw } from '../../src/core/web/html';
import { CONSENT_TEXT_VERSION, consentText } from '../../src/site/strings';
import {
  type PageContext,
  formTooLargeError,
  renderCheckInboxPage,
  renderConfirmPage,
  renderConfirmedPage,
  renderInvalidLinkPage,
  renderSuppressedLinkPage,
  renderPreferencesPage,
  renderSignupPage,
  renderTooLargePage,
  renderTooManyRequestsPage,
  renderUnsubscribedPage,
  renderUnsubscribePage,
} from '../../src/site/subscription/subscription-pages';
import type { Locale } from '../../src/core/domain/locale';

const XSS = '"><script>alert(1)</script>';
const TOKEN = 'tok en/+&\'"<x>=?';
const PRIVACY = 'https://netwerk.example.nl/privacy';
const BASE = 'https://cms.example.org';
const LINKS = {
  preferencesUrl: `${BASE}/newsletter/preferences?token=p`,
  unsubscribeUrl: `${BASE}/newsletter/unsubscribe?token=u`,
  signupUrl: `${BASE}/newsletter/signup`,
};
const THEMES = [
  { slug: 'dementie', name: 'Dementie', description: 'Zorg & ondersteuning thuis' },
  { slug: 'ggz', name: 'GGZ', description: null },
];

const ctx = (locale: Locale, baseUrl = BASE): PageContext => ({ locale, networkName: 'Zorgnetwerk Noord', privacyUrl: PRIVACY, baseUrl });

function allPages(locale: Locale): Record<string, string> {
  const c = ctx(locale);
  return {
    signup: renderSignupPage(c, { themes: THEMES }),
    checkInbox: renderCheckInboxPage(c),
    confirm: renderConfirmPage(c, { token: 't' }),
    confirmed: renderConfirmedPage(c, { preferencesUrl: LINKS.preferencesUrl }),
    preferences: renderPreferencesPage(c, {
      token: 't',
      themes: THEMES,
      selectedThemes: ['ggz'],
      preferredLocale: locale,
      saved: true,
      unsubscribeUrl: LINKS.unsubscribeUrl,
    }),
    unsubscribe: renderUnsubscribePage(c, { token: 't' }),
    unsubscribed: renderUnsubscribedPage(c, { signupUrl: LINKS.signupUrl }),
    expired: renderInvalidLinkPage(c, { reason: 'expired', signupUrl: LINKS.signupUrl }),
    invalid: renderInvalidLinkPage(c, { reason: 'invalid', signupUrl: LINKS.signupUrl }),
    tooMany: renderTooManyRequestsPage(c, { retryAfterSeconds: 90 }),
    tooLarge: renderTooLargePage(c, { maxBytes: 16 * 1024, signupUrl: LINKS.signupUrl }),
  };
}

/** Attribute values of every `name="..."` occurrence, HTML entities left as they are. */
function attrValues(page: string, name: string): string[] {
  return [...page.matchAll(new RegExp(`\\s${name}="([^"]*)"`, 'g'))].map((m) => m[1]);
}

/** The opening tag of the element with this id. */
function tagWithId(page: string, id: string): string {
  const tag = page.match(new RegExp(`<[a-z]+[^>]*\\sid="${id}"[^>]*>`));
  expect(tag, `element #${id}`).not.toBeNull();
  return tag![0];
}

/** The markup after the stylesheet, where class names in the CSS cannot match. */
function body(page: string): string {
  return page.slice(page.indexOf('<body>'));
}

function formTag(page: string): string {
  const forms = page.match(/<form[^>]*>/g) ?? [];
  expect(forms).toHaveLength(1);
  return forms[0] ?? '';
}

describe.each(['nl', 'en'] as const)('every page in %s', (locale) => {
  const pages = allPages(locale);

  it.each(Object.keys(pages))('%s is a complete document with lang, viewport and color-scheme', (key) => {
    const page = pages[key];
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain(`<html lang="${locale}">`);
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain('<meta name="color-scheme" content="light dark">');
    expect(page).toMatch(/<title>[^<]+ – Zorgnetwerk Noord<\/title>/);
    expect(page).toMatch(/<main id="main"[^>]*>[\s\S]*<h1>[^<]+<\/h1>[\s\S]*<\/main>/);
    expect(page).toContain('prefers-color-scheme:dark');
    expect(page).toContain(':focus-visible');
    expect(page).toContain(`<a href="${PRIVACY}">`);
  });

  it.each(Object.keys(pages))('%s loads no external assets and runs no script', (key) => {
    const page = pages[key];
    expect(page).not.toMatch(/\ssrc=/i);
    expect(page).not.toMatch(/<(script|link|img|iframe|object|embed)\b/i);
    expect(page).not.toMatch(/url\(|@import|http-equiv="refresh"|\son[a-z]+=/i);
    const allowed = [PRIVACY, ...Object.values(LINKS)];
    for (const href of attrValues(page, 'href')) {
      expect(href.startsWith('#') || href.startsWith(`${BASE}/newsletter?lang=`) || allowed.includes(href), href).toBe(true);
    }
    for (const action of attrValues(page, 'action')) expect(action.startsWith(`${BASE}/`)).toBe(true);
  });

  it('uses the page language for the text', () => {
    expect(pages.signup).toContain(escapeHtml(consentText(locale)));
    expect(pages.signup).toContain(locale === 'nl' ? 'Aanmelden voor de nieuwsbrief' : 'Sign up for the newsletter');
    expect(pages.tooMany).toContain(locale === 'nl' ? '2 minuten' : '2 minutes');
  });
});

describe('signup page', () => {
  const page = renderSignupPage(ctx('nl'), { themes: THEMES });

  it('posts the form to the subscriptions API', () => {
    expect(formTag(page)).toBe(`<form method="post" action="${BASE}/api/subscriptions">`);
    expect(formTag(renderSignupPage(ctx('nl', ''), { themes: THEMES }))).toBe('<form method="post" action="/api/subscriptions">');
  });

  it('has every field with the names the API reads', () => {
    expect(tagWithId(page, 'email')).toMatch(/type="email"/);
    expect(tagWithId(page, 'email')).toMatch(/name="email"/);
    expect(tagWithId(page, 'email')).toMatch(/autocomplete="email"/);
    expect(tagWithId(page, 'email')).toMatch(/\srequired\b/);
    expect(tagWithId(page, 'name')).toMatch(/name="name"/);
    expect(tagWithId(page, 'name')).not.toMatch(/\srequired\b/);
    expect(tagWithId(page, 'locale-nl')).toMatch(/type="radio" name="locale"[^>]*value="nl" checked/);
    expect(tagWithId(page, 'locale-en')).not.toMatch(/checked/);
    expect(tagWithId(page, 'theme-0')).toMatch(/type="checkbox" name="themes"[^>]*value="dementie"/);
    expect(tagWithId(page, 'theme-1')).toMatch(/type="checkbox" name="themes"[^>]*value="ggz"/);
    expect(tagWithId(page, 'consent')).toMatch(/type="checkbox"[^>]*name="consent" value="true" required/);
    expect(page).toContain(`<input type="hidden" name="consent_text_version" value="${CONSENT_TEXT_VERSION}">`);
    expect(page).not.toMatch(/name="source"/);
    expect(page).toMatch(/<button type="submit">/);
  });

  it('preselects the page language and explains that no theme means all themes', () => {
    const en = renderSignupPage(ctx('en'), { themes: THEMES });
    expect(tagWithId(en, 'locale-en')).toMatch(/checked/);
    expect(tagWithId(en, 'locale-nl')).not.toMatch(/checked/);
    expect(page).toMatch(/<fieldset[^>]*>\s*<legend>[^<]+<\/legend>/);
    expect(page).toContain('Kies je geen thema, dan ontvang je het nieuws over alle thema&#39;s.');
    expect(en).toContain('If you choose none, you will receive news on all themes.');
  });

  it('ties every label to an input and every visible input to a label', () => {
    const ids = new Set(attrValues(page, 'id'));
    const labelled = [...page.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1]);
    for (const id of labelled) expect(ids.has(id), id).toBe(true);
    const inputs = [...page.matchAll(/<input[^>]*>/g)].map((m) => m[0]).filter((tag) => !tag.includes('type="hidden"'));
    expect(inputs.length).toBe(8);
    for (const tag of inputs) expect(labelled).toContain(tag.match(/\sid="([^"]+)"/)![1]);
  });

  it('hides the honeypot from people', () => {
    const honeypot = page.match(/<div class="hp" aria-hidden="true"><label for="website">[^<]+<\/label>(<input[^>]*>)<\/div>/);
    expect(honeypot).not.toBeNull();
    expect(honeypot![1]).toMatch(/type="text"/);
    expect(honeypot![1]).toMatch(/name="website"/);
    expect(honeypot![1]).toMatch(/tabindex="-1"/);
    expect(honeypot![1]).toMatch(/autocomplete="off"/);
    expect(page).toMatch(/\.hp\{[^}]*position:absolute[^}]*left:-10000px/);
  });

  it('links the language switch to the other language', () => {
    // Absolute path: the form is also re-rendered in answer to POST /api/subscriptions.
    expect(page).toContain(`<a href="${BASE}/newsletter?lang=en" lang="en" hreflang="en">`);
    expect(renderSignupPage(ctx('en'), { themes: [] })).toContain(`<a href="${BASE}/newsletter?lang=nl" lang="nl" hreflang="nl">`);
  });

  it('shows no error summary and no invalid fields when there are no errors', () => {
    expect(body(page)).not.toContain('error-summary');
    expect(body(page)).not.toContain('aria-invalid');
  });

  it('omits the theme fieldset when there are no themes', () => {
    expect(renderSignupPage(ctx('nl'), { themes: [] })).not.toContain('name="themes"');
  });
});

describe('signup page after a failed submit', () => {
  const errors = [
    { field: 'email', message: 'Dit is geen geldig e-mailadres.' },
    { field: 'consent', message: 'Geef toestemming om de nieuwsbrief te ontvangen.' },
    { field: 'themes', message: `Onbekend thema: ${XSS}.` },
  ];
  const page = renderSignupPage(ctx('nl'), {
    themes: [...THEMES, { slug: 'x"y', name: XSS, description: XSS }],
    values: { email: 'iemand@@example', name: XSS, locale: 'en', themes: ['ggz', 'x"y'] },
    errors,
  });

  it('starts with an error summary that links to the fields', () => {
    const summary = page.match(/<div class="error-summary" role="alert"[^>]*>([\s\S]*?)<\/div>/);
    expect(summary).not.toBeNull();
    expect(page.indexOf('error-summary')).toBeLessThan(page.indexOf('<form'));
    expect(summary![1]).toContain('<a href="#email">Dit is geen geldig e-mailadres.</a>');
    expect(summary![1]).toContain('<a href="#consent">');
    expect(summary![1]).toContain('<a href="#theme-0">');
    expect(page).toMatch(/<title>Fout: /);
  });

  it('marks invalid fields and describes them by their message', () => {
    expect(tagWithId(page, 'email')).toMatch(/aria-describedby="email-error" aria-invalid="true"/);
    expect(tagWithId(page, 'email-error')).toMatch(/^<p class="field-error"/);
    expect(tagWithId(page, 'consent')).toMatch(/aria-describedby="consent-error consent-hint" aria-invalid="true"/);
    expect(tagWithId(page, 'theme-1')).toMatch(/aria-describedby="themes-error" aria-invalid="true"/);
    expect(tagWithId(page, 'name')).not.toContain('aria-invalid');
  });

  it('keeps what the person typed, escaped', () => {
    expect(tagWithId(page, 'email')).toContain('value="iemand@@example"');
    expect(tagWithId(page, 'name')).toContain(`value="${escapeHtml(XSS)}"`);
    expect(tagWithId(page, 'locale-en')).toMatch(/checked/);
    expect(tagWithId(page, 'locale-nl')).not.toMatch(/checked/);
    expect(tagWithId(page, 'theme-1')).toMatch(/checked/);
    expect(tagWithId(page, 'theme-0')).not.toMatch(/checked/);
    expect(tagWithId(page, 'theme-2')).toMatch(/value="x&quot;y" checked/);
    expect(tagWithId(page, 'consent')).not.toMatch(/checked/);
    expect(renderSignupPage(ctx('nl'), { themes: [], values: { consent: true } })).toMatch(/id="consent"[^>]*checked/);
  });

  it('never lets a name, theme or message inject markup', () => {
    expect(page).not.toContain('<script>');
    expect(page).toContain(`<label for="theme-2">${escapeHtml(XSS)}</label>`);
    expect(page).toContain(`Onbekend thema: ${escapeHtml(XSS)}.`);
  });
});

describe('preferences page', () => {
  const input = { token: TOKEN, themes: THEMES, selectedThemes: ['dementie'], preferredLocale: 'en' as const, unsubscribeUrl: LINKS.unsubscribeUrl };

  it('posts locale and themes with the token URL-encoded and escaped', () => {
    const page = renderPreferencesPage(ctx('nl'), input);
    const action = `${BASE}/newsletter/preferences?token=${encodeURIComponent(TOKEN)}`;
    expect(formTag(page)).toBe(`<form method="post" action="${escapeHtml(action)}">`);
    expect(page).toContain('token=tok%20en%2F%2B%26&#39;%22%3Cx%3E%3D%3F');
    expect(tagWithId(page, 'locale-en')).toMatch(/checked/);
    expect(tagWithId(page, 'theme-0')).toMatch(/checked/);
    expect(tagWithId(page, 'theme-1')).not.toMatch(/checked/);
    expect(page).toContain(`<a href="${LINKS.unsubscribeUrl}">`);
    expect(page).toContain('<meta name="referrer" content="no-referrer">');
  });

  it('confirms a save in a status message', () => {
    expect(renderPreferencesPage(ctx('nl'), input)).not.toContain('role="status"');
    expect(renderPreferencesPage(ctx('nl'), { ...input, saved: true })).toContain('<div class="notice" role="status">Je voorkeuren zijn opgeslagen.</div>');
    expect(renderPreferencesPage(ctx('en'), { ...input, saved: true })).toContain('Your preferences have been saved.');
  });

  it('shows errors instead of the saved message', () => {
    const page = renderPreferencesPage(ctx('en'), { ...input, saved: true, errors: [{ field: 'locale', message: 'Choose Dutch (nl) or English (en).' }] });
    expect(page).not.toContain('role="status"');
    expect(page).toContain('<a href="#locale-nl">Choose Dutch (nl) or English (en).</a>');
    expect(tagWithId(page, 'locale-nl')).toContain('aria-invalid="true"');
  });
});

describe('unsubscribe pages', () => {
  it('unsubscribes only through a POST button, never on its own', () => {
    const page = renderUnsubscribePage(ctx('nl'), { token: TOKEN });
    expect(formTag(page)).toBe(`<form method="post" action="${escapeHtml(`${BASE}/newsletter/unsubscribe?token=${encodeURIComponent(TOKEN)}`)}">`);
    expect(page).toContain('<input type="hidden" name="confirm" value="yes">');
    expect(page.match(/<button\b/g)).toHaveLength(1);
    expect(page).not.toMatch(/<script|autofocus|http-equiv="refresh"|\son[a-z]+=/i);
    expect(page).not.toContain('List-Unsubscribe');
  });

  it('offers to sign up again after unsubscribing', () => {
    expect(renderUnsubscribedPage(ctx('nl'), { signupUrl: LINKS.signupUrl })).toContain(`<a href="${LINKS.signupUrl}">Meld je opnieuw aan</a>`);
    expect(renderUnsubscribedPage(ctx('en'), { signupUrl: LINKS.signupUrl })).toContain(`<a href="${LINKS.signupUrl}">Sign up again</a>`);
  });
});

describe('confirm page', () => {
  it('confirms only through a POST button: link scanners only fetch', () => {
    const page = renderConfirmPage(ctx('en'), { token: TOKEN });
    expect(formTag(page)).toBe(`<form method="post" action="${escapeHtml(`${BASE}/newsletter/confirm?token=${encodeURIComponent(TOKEN)}`)}">`);
    expect(page.match(/<button\b/g)).toHaveLength(1);
    expect(page).toContain('Yes, I want to receive the newsletter');
    expect(page).not.toMatch(/<script|autofocus|http-equiv="refresh"|\son[a-z]+=/i);
    expect(page).toContain('<meta name="referrer" content="no-referrer">');
    expect(renderConfirmPage(ctx('nl'), { token: TOKEN })).toContain('Ja, ik wil de nieuwsbrief ontvangen');
  });
});

describe('too large form posts', () => {
  it('the signup form shows the size limit in its error summary', () => {
    const page = renderSignupPage(ctx('nl'), { themes: THEMES, errors: [formTooLargeError('nl', 16 * 1024)] });
    expect(page).toContain('role="alert"');
    expect(page).toContain('te lang (samen hoogstens 16 KiB)');
    expect(formTag(page)).toBe(`<form method="post" action="${BASE}/api/subscriptions">`);
  });
});

describe('other pages', () => {
  it("a confirm link of a suppressed address: why, in both languages, without naming the address's state", () => {
    const nl = renderSuppressedLinkPage(ctx('nl'), { signupUrl: LINKS.signupUrl, contactUrl: 'https://zorgnetwerk.example/' });
    const en = renderSuppressedLinkPage(ctx('en'), { signupUrl: LINKS.signupUrl, contactUrl: 'https://zorgnetwerk.example/' });
    expect(nl).toContain('<h1>Deze aanmelding kan niet meer worden bevestigd</h1>');
    expect(nl).toContain('afgemeld voor de nieuwsbrief, of we kunnen er geen e-mail meer naartoe sturen');
    expect(en).toContain('<h1>This sign-up can no longer be confirmed</h1>');
    expect(en).toContain('was unsubscribed from the newsletter, or we can no longer send email to it');
    for (const page of [nl, en]) {
      expect(page).toContain(`<a href="${LINKS.signupUrl}">`);
      expect(page).toContain('<a href="https://zorgnetwerk.example/">zorgnetwerk.example</a>');
      expect(body(page)).not.toMatch(/copied|meegekopieerd|bounced|complain|klacht|spam|token|error/i);
    }
  });

  it('explains an expired or invalid link without jargon and links to the sign-up form', () => {
    const expired = renderInvalidLinkPage(ctx('nl'), { reason: 'expired', signupUrl: LINKS.signupUrl });
    const invalid = renderInvalidLinkPage(ctx('en'), { reason: 'invalid', signupUrl: LINKS.signupUrl });
    expect(expired).toContain('<h1>Deze link is verlopen</h1>');
    expect(invalid).toContain('<h1>This link does not work</h1>');
    for (const page of [expired, invalid]) {
      expect(page).toContain(`<a href="${LINKS.signupUrl}">`);
      expect(body(page)).not.toMatch(/token|error|stack|exception/i);
    }
  });

  it('links the confirmation to the preferences page', () => {
    expect(renderConfirmedPage(ctx('en'), { preferencesUrl: LINKS.preferencesUrl })).toContain(`<a href="${LINKS.preferencesUrl}">Change your preferences</a>`);
  });

  it('says how long to wait after too many requests', () => {
    const wait = (locale: Locale, seconds: number) => renderTooManyRequestsPage(ctx(locale), { retryAfterSeconds: seconds });
    expect(wait('nl', 1)).toContain('Probeer het over 1 seconde opnieuw.');
    expect(wait('nl', 60)).toContain('Probeer het over 1 minuut opnieuw.');
    expect(wait('en', 45)).toContain('Please try again in 45 seconds.');
    expect(wait('en', 121)).toContain('Please try again in 3 minutes.');
    expect(wait('en', 0)).toContain('Please try again in a moment.');
  });

  it('never turns a javascript: URL into a link', () => {
    const page = renderUnsubscribedPage(ctx('nl'), { signupUrl: 'javascript:alert(1)' });
    expect(page).not.toContain('javascript:');
  });
});

describe('html helper', () => {
  it('escapes interpolations unless they are marked safe', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html`<p>${XSS}</p>`.value).toBe(`<p>${escapeHtml(XSS)}</p>`);
    expect(html`<p>${raw('<b>ok</b>')}${[html`<i>${'<'}</i>`, '&']}${null}${undefined}${false}${0}</p>`.value).toBe('<p><b>ok</b><i>&lt;</i>&amp;0</p>');
  });
});
