/**
 * The URL patterns of the reading pages, per locale. They are the ones the mails already link to
 * when SITE_URL is not set (src/mailings/content.ts `articleUrl`, `resourceUrl`); a network's own
 * website must serve the same patterns (README, "Reading pages").
 */
import type { Locale } from '../../core/domain/locale';

export type ItemKind = 'article' | 'resource' | 'theme';

/** Where each kind of page lives, per locale: Dutch at the root, English under /en. */
export const SECTION_PATHS: Record<ItemKind, Record<Locale, string>> = {
  article: { nl: '/nieuws', en: '/en/news' },
  resource: { nl: '/inspiratie', en: '/en/resources' },
  theme: { nl: '/themas', en: '/en/themes' },
};

export function homePath(locale: Locale): string {
  return locale === 'nl' ? '/' : '/en';
}

export function itemPath(kind: ItemKind, locale: Locale, slug: string): string {
  return `${SECTION_PATHS[kind][locale]}/${encodeURIComponent(slug)}`;
}

/** The sign-up form and the public archive (src/site/subscription/routes.ts, the /newsletter prefix). */
export function signupPath(locale: Locale): string {
  return `/newsletter?lang=${locale}`;
}

export function archivePath(locale: Locale): string {
  return `/newsletter/archive?lang=${locale}`;
}

/**
 * The longest slug looked up. Resources and themes allow 120 and 80 characters, an article's uid is
 * made from a title of at most 200; anything longer cannot exist and is not sent to the database.
 */
export const MAX_SLUG_LENGTH = 240;

/**
 * A slug as it may be stored: Strapi's uid characters (articles; editors may type them) and the
 * lower-case words of resources and themes. Anything else (slashes, spaces, quotes, other
 * scripts) cannot name an item, so it is a 404 without asking the database.
 */
export function readSlug(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_SLUG_LENGTH) return null;
  return /^[A-Za-z0-9._~-]+$/.test(raw) ? raw : null;
}

/** The locale of a reading page's URL: English under /en, Dutch everywhere else (also for a 404). */
export function localeOfPath(path: string): Locale {
  return /^\/en(?:\/|$)/i.test(path) ? 'en' : 'nl';
}
