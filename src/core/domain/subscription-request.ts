/**
 * Validation of what a reader sends to subscribe or to change preferences: pure, so the rules are
 * unit-tested and identical for JSON clients and the HTML form. Error messages come in the reader's
 * language and name the field.
 */
import { normaliseEmail } from './email';

import { LOCALES, type Locale } from './locale';

export interface FieldError {
  field: string;
  code: ErrorCode;
  message: string;
}

export type ErrorCode =
  | 'email_required'
  | 'email_not_text'
  | 'email_too_long'
  | 'email_invalid'
  | 'locale_invalid'
  | 'themes_invalid'
  | 'theme_unknown'
  | 'consent_required'
  | 'name_invalid'
  | 'field_invalid';

const MESSAGES: Record<ErrorCode, Record<Locale, string>> = {
  email_required: { nl: 'Vul je e-mailadres in.', en: 'Enter your email address.' },
  email_not_text: {
    nl: 'Het e-mailadres moet één tekstwaarde zijn (geen lijst, object of getal).',
    en: 'The email address must be a single text value (not a list, an object or a number).',
  },
  email_too_long: { nl: 'Dit e-mailadres is te lang (maximaal 254 tekens).', en: 'This email address is too long (at most 254 characters).' },
  email_invalid: {
    nl: 'Dit is geen geldig e-mailadres, bijvoorbeeld naam@voorbeeld.nl.',
    en: 'This is not a valid email address, for example name@example.org.',
  },
  locale_invalid: { nl: 'Kies Nederlands (nl) of Engels (en).', en: 'Choose Dutch (nl) or English (en).' },
  themes_invalid: { nl: "Thema's moeten een lijst van thema-namen zijn.", en: 'Themes must be a list of theme slugs.' },
  theme_unknown: { nl: 'Onbekend thema: {value}.', en: 'Unknown theme: {value}.' },
  consent_required: { nl: 'Geef toestemming om de nieuwsbrief te ontvangen.', en: 'Give your consent to receive the newsletter.' },
  name_invalid: { nl: 'Een naam is hoogstens 120 tekens, zonder regeleinden.', en: 'A name is at most 120 characters, without line breaks.' },
  field_invalid: { nl: 'Ongeldige waarde.', en: 'Invalid value.' },
};

export function fieldError(field: string, code: ErrorCode, locale: Locale, value?: string): FieldError {
  return { field, code, message: MESSAGES[code][locale].replace('{value}', value ?? '') };
}

export const MAX_EMAIL_LENGTH = 254;
const MAX_THEMES = 50;
// Local part: the unquoted RFC 5322 atom characters; domain: LDH labels with a real TLD.
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
// Any control character (CR/LF above all) could end a mail header.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export type EmailCheck = { ok: true; email: string } | { ok: false; code: 'email_required' | 'email_not_text' | 'email_too_long' | 'email_invalid' };

export function checkEmail(raw: unknown): EmailCheck {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return { ok: false, code: 'email_required' };
  // A form with the field twice gives a list; JSON may give anything: say what is wrong, not "enter it".
  if (typeof raw !== 'string') return { ok: false, code: 'email_not_text' };
  if (CONTROL.test(raw)) return { ok: false, code: 'email_invalid' };
  const email = normaliseEmail(raw);
  if (email.length > MAX_EMAIL_LENGTH) return { ok: false, code: 'email_too_long' };
  const at = email.lastIndexOf('@');
  if (at <= 0 || at !== email.indexOf('@')) return { ok: false, code: 'email_invalid' };
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split('.');
  if (local.length > 64 || !LOCAL_PART.test(local)) return { ok: false, code: 'email_invalid' };
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label)) || !TLD.test(labels[labels.length - 1])) {
    return { ok: false, code: 'email_invalid' };
  }
  return { ok: true, email };
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** A form sends one `themes` value per checkbox (or none); JSON clients send an array. */
export function readThemeList(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null || raw === '') return [];
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length > MAX_THEMES || !list.every((item) => typeof item === 'string')) return undefined;
  return [...new Set((list as string[]).map((slug) => slug.trim()).filter(Boolean))].sort();
}

export function checkThemes(raw: unknown, knownThemes: ReadonlySet<string>, locale: Locale): { ok: true; themes: string[] } | { ok: false; error: FieldError } {
  const themes = readThemeList(raw);
  if (!themes) return { ok: false, error: fieldError('themes', 'themes_invalid', locale) };
  const unknown = themes.find((slug) => !knownThemes.has(slug));
  if (unknown !== undefined) return { ok: false, error: fieldError('themes', 'theme_unknown', locale, unknown.slice(0, 80)) };
  return { ok: true, themes };
}

function isConsent(raw: unknown): boolean {
  return raw === true || (typeof raw === 'string' && ['true', 'on', 'yes', '1'].includes(raw.toLowerCase()));
}

export interface SubscriptionRequest {
  email: string;
  locale: Locale;
  themes: string[];
  name: string | null;
  /** A bot filled in the honeypot field: answer as usual, do nothing. */
  isBot: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * Reads a subscribe request (JSON or form fields). `messageLocale` is the language of the error
 * messages: the locale asked for when it is valid, else the page's.
 */
export function parseSubscriptionRequest(body: unknown, knownThemes: ReadonlySet<string>, messageLocale: Locale = 'nl'): Parsed<SubscriptionRequest> {
  const input = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const locale = input.locale === undefined || input.locale === '' ? messageLocale : input.locale;
  const lang: Locale = isLocale(locale) ? locale : messageLocale;
  const errors: FieldError[] = [];

  const email = checkEmail(input.email);
  if (!email.ok) errors.push(fieldError('email', email.code, lang));
  if (!isLocale(locale)) errors.push(fieldError('locale', 'locale_invalid', lang));
  const themes = checkThemes(input.themes, knownThemes, lang);
  if (!themes.ok) errors.push(themes.error);
  if (!isConsent(input.consent)) errors.push(fieldError('consent', 'consent_required', lang));

  let name: string | null = null;
  if (input.name !== undefined && input.name !== null && input.name !== '') {
    if (typeof input.name !== 'string' || input.name.length > 120 || CONTROL.test(input.name)) errors.push(fieldError('name', 'name_invalid', lang));
    else name = input.name.trim() || null;
  }

  const honeypot = input.website;
  const isBot = typeof honeypot === 'string' ? honeypot.trim() !== '' : honeypot !== undefined && honeypot !== null;

  if (errors.length > 0 || !email.ok || !themes.ok || !isLocale(locale)) return { ok: false, errors };
  return { ok: true, value: { email: email.email, locale, themes: themes.themes, name, isBot } };
}

export interface PreferencesChange {
  locale: Locale;
  themes: string[];
}

export function parsePreferencesChange(body: unknown, knownThemes: ReadonlySet<string>, messageLocale: Locale): Parsed<PreferencesChange> {
  const input = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const errors: FieldError[] = [];
  if (!isLocale(input.locale)) errors.push(fieldError('locale', 'locale_invalid', messageLocale));
  const themes = checkThemes(input.themes, knownThemes, isLocale(input.locale) ? input.locale : messageLocale);
  if (!themes.ok) errors.push(themes.error);
  if (errors.length > 0 || !themes.ok || !isLocale(input.locale)) return { ok: false, errors };
  return { ok: true, value: { locale: input.locale, themes: themes.themes } };
}
