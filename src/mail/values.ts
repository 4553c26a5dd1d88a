/**
 * The values a mail template can read, as one flat map of dotted names (`locale`, `org.name`,
 * `common.signoff`, `mail.subject`, `expiryDays`, …); the template engine sees them as nested
 * objects (templates.ts). Per-recipient values are never among them: those stay SendGrid
 * substitution tags (substitutions.ts).
 */
import type { Locale } from '../core/domain/locale';

export interface Organisation {
  name: string;
  postalAddress: string;
  websiteUrl: string;
  privacyUrl: string;
}

/** Shared, non-personal values from the caller; `null` and `undefined` count as absent. */
export type MailData = Record<string, string | number | null | undefined>;

export type Values = ReadonlyMap<string, string>;

/** Top-level names the renderer fills itself; `org`, `common` and `mail` hold objects. */
const RESERVED = new Set(['locale', 'org', 'common', 'mail']);

/**
 * The hosted privacy statement opened from a mail shows the mail's language, not the browser's
 * (`?lang=`); an organisation's own statement (PRIVACY_URL elsewhere) is linked as given.
 */
function inLocale(privacyUrl: string, locale: Locale): string {
  try {
    const url = new URL(privacyUrl);
    if (!url.pathname.replace(/\/+$/, '').endsWith('/newsletter/privacy')) return privacyUrl;
    url.searchParams.set('lang', locale);
    return url.toString();
  } catch {
    return privacyUrl;
  }
}

/** Values every template can use: `locale`, `org.*` and the caller's shared data. */
export function baseValues(organisation: Organisation, locale: Locale, data: MailData): Map<string, string> {
  const values = new Map<string, string>([
    ['locale', locale],
    ['org.name', organisation.name],
    ['org.postalAddress', organisation.postalAddress],
    ['org.websiteUrl', organisation.websiteUrl],
    ['org.privacyUrl', inLocale(organisation.privacyUrl, locale)],
  ]);
  for (const [key, value] of ownValues(values, data, (key) => `Mail data key "${key}" is reserved`)) values.set(key, value);
  return values;
}

/**
 * `extra` as strings, in a map of its own (one partial's values beside the mail's `shared` ones).
 * A key `shared` already has, a name the renderer fills itself, or a dotted key (which would reach
 * into `org.*`, `mail.*`, …) is refused.
 */
export function ownValues(shared: Values, extra: MailData, reserved: (key: string) => string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(extra)) {
    if (value === null || value === undefined) continue;
    if (shared.has(key) || RESERVED.has(key) || key.includes('.')) throw new Error(reserved(key));
    out.set(key, String(value));
  }
  return out;
}
