/**
 * The URL patterns of the reading pages, per locale: the one source for the reading pages' routes
 * and for the links in mails and feeds. A network's own website (SITE_URL) must serve the same
 * patterns (README, "Reading pages").
 */
import type { Locale } from './domain/locale';

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

/** Where the links of mails and feeds point: the network's website and the CMS. */
export interface LinkSettings {
  /** The network's website, where articles and resources are read. */
  siteUrl: string;
  /** Base of the CMS, for uploaded files. */
  publicUrl: string;
}

/** An uploaded file's URL as stored (relative to the CMS, or absolute on a CDN), made absolute. */
export function absoluteUrl(base: string, url: string): string {
  return /^https?:\/\//.test(url) ? url : `${base}${url.startsWith('/') ? '' : '/'}${url}`;
}

/** An article's reading page on the network's website. */
export function articleUrl(links: LinkSettings, locale: Locale, slug: string): string {
  return `${links.siteUrl}${itemPath('article', locale, slug)}`;
}

/** Where a resource is read: its own URL, its uploaded file, else its reading page. */
export function resourceUrl(links: LinkSettings, locale: Locale, resource: { slug: string; url?: string | null; file?: { url: string } | null }): string {
  if (resource.url) return resource.url;
  if (resource.file?.url) return absoluteUrl(links.publicUrl, resource.file.url);
  return `${links.siteUrl}${itemPath('resource', locale, resource.slug)}`;
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
