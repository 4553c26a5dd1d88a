/**
 * Reads what the reading pages show through Strapi's document service: published versions only,
 * in the page's locale, and items that exist only in the other locale in that one (as the mails
 * carry them). The edge of the reading pages: everything else in src/reading is pure.
 */
import type { Core } from '@strapi/strapi';
import { imageForWidth, type UploadedImage } from '../../core/domain/image-format';
import type { Locale } from '../../core/domain/locale';
import {
  PAGE_IMAGE_WIDTH,
  type ArticlePage,
  type ArticleSummary,
  type HomePage,
  type PageImage,
  type ResourcePage,
  type ResourceSummary,
  type SitemapEntry,
  type ThemeLink,
  type ThemePage,
} from './model';
import { homePath, itemPath } from '../../core/links';
import { archiveSitemapEntries } from '../archive/sitemap';
import { CONTENT_TYPES } from '../../core/content-types';

const UID = { article: CONTENT_TYPES.article, resource: CONTENT_TYPES.resource, theme: CONTENT_TYPES.theme } as const;
type Uid = (typeof UID)[keyof typeof UID];

interface Stored {
  documentId: string;
  locale: Locale;
  slug: string;
  publishedAt: string;
  updatedAt?: string;
  publicationDate?: string | null;
}
interface StoredTheme extends Stored {
  name: string;
  description?: string | null;
}
interface StoredArticle extends Stored {
  title: string;
  summary: string;
  body?: string;
  coverAlt?: string | null;
  cover?: UploadedImage | null;
  themes?: StoredTheme[];
}
interface StoredResource extends Stored {
  title: string;
  description?: string | null;
  kind: string;
  url?: string | null;
  file?: { url: string } | null;
  image?: UploadedImage | null;
  imageAlt?: string | null;
  themes?: StoredTheme[];
  items?: StoredResource[];
  bundles?: StoredResource[];
}

const other = (locale: Locale): Locale => (locale === 'nl' ? 'en' : 'nl');
const ARTICLE_FIELDS = ['slug', 'title', 'summary', 'publicationDate', 'publishedAt', 'locale'];
const RESOURCE_FIELDS = ['slug', 'title', 'description', 'kind', 'publicationDate', 'publishedAt', 'locale'];
const THEME_FIELDS = ['slug', 'name', 'description', 'locale'];
const LIMIT = 10_000;
const IMAGE_FIELDS = ['url', 'alternativeText', 'width', 'height', 'formats'];

/** An upload at the reading column's width (the smallest copy wide enough), with the editor's alt text. */
function pageImage(image: UploadedImage | null | undefined, alt: string | null | undefined): PageImage | null {
  if (!image?.url) return null;
  return { ...imageForWidth(image, PAGE_IMAGE_WIDTH), alt: alt || image.alternativeText || null };
}

function documents(strapi: Core.Strapi, uid: Uid) {
  return strapi.documents(uid) as unknown as {
    findFirst(params: object): Promise<unknown>;
    findMany(params: object): Promise<unknown[]>;
  };
}

async function findPublished<T>(strapi: Core.Strapi, uid: Uid, locale: Locale, params: object): Promise<T | null> {
  return ((await documents(strapi, uid).findFirst({ ...params, locale, status: 'published' })) as T | null) ?? null;
}

/**
 * Which version a page shows: what readers see (published), or for the admin's Preview one
 * document's draft or published version (src/site/reading/preview.ts), never another document's.
 */
export type PageVersion = { status: 'published' } | { status: 'draft' | 'published'; documentId: string };
const PUBLISHED: PageVersion = { status: 'published' };

async function findVersion<T>(
  strapi: Core.Strapi,
  uid: Uid,
  locale: Locale,
  params: { filters: object; populate?: object; fields?: string[] },
  version: PageVersion,
): Promise<T | null> {
  const filters = 'documentId' in version ? { ...params.filters, documentId: { $eq: version.documentId } } : params.filters;
  return ((await documents(strapi, uid).findFirst({ ...params, filters, locale, status: version.status })) as T | null) ?? null;
}

async function listPublished<T>(strapi: Core.Strapi, uid: Uid, locale: Locale, params: object): Promise<T[]> {
  return (await documents(strapi, uid).findMany({ limit: LIMIT, ...params, locale, status: 'published' })) as T[];
}

/** Both locales' published versions, one per document: the page's locale when it has one. */
async function inPageLocaleFirst<T extends Stored>(strapi: Core.Strapi, uid: Uid, locale: Locale, params: object): Promise<T[]> {
  const own = await listPublished<T>(strapi, uid, locale, params);
  const seen = new Set(own.map((document) => document.documentId));
  const fallback = (await listPublished<T>(strapi, uid, other(locale), params)).filter((document) => !seen.has(document.documentId));
  return [...own.map((document) => ({ ...document, locale })), ...fallback.map((document) => ({ ...document, locale: other(locale) }))];
}

const dateOf = (document: Stored): string => document.publicationDate || String(document.publishedAt ?? '').slice(0, 10);
const newestFirst = <T extends { date: string; title: string }>(items: T[]): T[] =>
  [...items].sort((a, b) => b.date.localeCompare(a.date) || a.title.localeCompare(b.title));

function articleSummary(article: StoredArticle, locale: Locale): ArticleSummary {
  return { type: 'article', documentId: article.documentId, slug: article.slug, locale, title: article.title, summary: article.summary, date: dateOf(article) };
}

function resourceSummary(resource: StoredResource, locale: Locale): ResourceSummary {
  return {
    type: 'resource',
    documentId: resource.documentId,
    slug: resource.slug,
    locale,
    title: resource.title,
    description: resource.description ?? null,
    kind: resource.kind,
    date: dateOf(resource),
  };
}

const themeLink = (theme: StoredTheme, locale: Locale): ThemeLink => ({ slug: theme.slug, name: theme.name, locale });
const bySlug = (slug: string) => ({ filters: { slug: { $eq: slug } } });

/** The document's published version in the other locale, if any (its slug, for articles). */
async function otherVersion(strapi: Core.Strapi, uid: Uid, documentId: string, locale: Locale): Promise<Stored | null> {
  return findPublished<Stored>(strapi, uid, other(locale), { filters: { documentId: { $eq: documentId } }, fields: ['slug'] });
}

export type Found<T> = { page: T } | { redirect: string } | null;

/**
 * An article by its slug in the URL's locale. Its slug in the other locale: the version in the
 * URL's locale when there is one (a redirect to its own slug), else the other version, marked.
 */
export async function loadArticle(strapi: Core.Strapi, locale: Locale, slug: string, version: PageVersion = PUBLISHED): Promise<Found<ArticlePage>> {
  const populate = { themes: { fields: THEME_FIELDS }, cover: { fields: IMAGE_FIELDS } };
  let article = await findVersion<StoredArticle>(strapi, UID.article, locale, { ...bySlug(slug), populate }, version);
  let shownIn = locale;
  if (!article) {
    article = await findVersion<StoredArticle>(strapi, UID.article, other(locale), { ...bySlug(slug), populate }, version);
    if (!article) return null;
    const translation = await otherVersion(strapi, UID.article, article.documentId, other(locale));
    if (translation) return { redirect: itemPath('article', locale, translation.slug) };
    shownIn = other(locale);
  }
  const translation = shownIn === locale ? await otherVersion(strapi, UID.article, article.documentId, locale) : null;
  return {
    page: {
      ...articleSummary(article, shownIn),
      body: article.body ?? '',
      themes: (article.themes ?? []).map((theme) => themeLink(theme, shownIn)),
      cover: pageImage(article.cover, article.coverAlt),
      slugs: { [shownIn]: article.slug, ...(translation ? { [other(shownIn)]: translation.slug } : {}) },
    },
  };
}

/** A resource by its slug (shared by the locales), in the URL's locale or else the other one. */
export async function loadResource(strapi: Core.Strapi, locale: Locale, slug: string, version: PageVersion = PUBLISHED): Promise<Found<ResourcePage>> {
  const related = { fields: RESOURCE_FIELDS };
  const populate = { themes: { fields: THEME_FIELDS }, file: { fields: ['url'] }, image: { fields: IMAGE_FIELDS }, items: related, bundles: related };
  let shownIn = locale;
  let resource = await findVersion<StoredResource>(strapi, UID.resource, locale, { ...bySlug(slug), populate }, version);
  if (!resource) {
    shownIn = other(locale);
    resource = await findVersion<StoredResource>(strapi, UID.resource, shownIn, { ...bySlug(slug), populate }, version);
    if (!resource) return null;
  }
  const translated = shownIn === locale && (await otherVersion(strapi, UID.resource, resource.documentId, locale)) !== null;
  return {
    page: {
      ...resourceSummary(resource, shownIn),
      url: resource.url ?? null,
      fileUrl: resource.file?.url ?? null,
      image: pageImage(resource.image, resource.imageAlt),
      themes: (resource.themes ?? []).map((theme) => themeLink(theme, shownIn)),
      items: (resource.items ?? []).map((item) => resourceSummary(item, shownIn)),
      bundles: (resource.bundles ?? []).map((bundle) => resourceSummary(bundle, shownIn)),
      locales: translated ? (['nl', 'en'] as Locale[]) : [shownIn],
    },
  };
}

/** A theme by its slug (shared by the locales), with its published articles and resources. */
export async function loadTheme(strapi: Core.Strapi, locale: Locale, slug: string, version: PageVersion = PUBLISHED): Promise<Found<ThemePage>> {
  let shownIn = locale;
  let theme = await findVersion<StoredTheme>(strapi, UID.theme, locale, { ...bySlug(slug), fields: THEME_FIELDS }, version);
  if (!theme) {
    shownIn = other(locale);
    theme = await findVersion<StoredTheme>(strapi, UID.theme, shownIn, { ...bySlug(slug), fields: THEME_FIELDS }, version);
    if (!theme) return null;
  }
  const ofTheme = { filters: { themes: { slug: { $eq: slug } } } };
  const [articles, resources, translation] = await Promise.all([
    inPageLocaleFirst<StoredArticle>(strapi, UID.article, shownIn, { ...ofTheme, fields: ARTICLE_FIELDS }),
    inPageLocaleFirst<StoredResource>(strapi, UID.resource, shownIn, { ...ofTheme, fields: RESOURCE_FIELDS }),
    shownIn === locale ? otherVersion(strapi, UID.theme, theme.documentId, locale) : Promise.resolve(null),
  ]);
  const items = newestFirst([
    ...articles.map((article) => articleSummary(article, article.locale)),
    ...resources.map((resource) => resourceSummary(resource, resource.locale)),
  ]);
  return {
    page: {
      slug: theme.slug,
      locale: shownIn,
      name: theme.name,
      description: theme.description ?? null,
      items,
      locales: translation ? ['nl', 'en'] : [shownIn],
    },
  };
}

/** How many news articles the home page shows. */
export const HOME_NEWS_COUNT = 6;

export async function loadHome(strapi: Core.Strapi, locale: Locale): Promise<HomePage> {
  const [articles, bundles, themes] = await Promise.all([
    inPageLocaleFirst<StoredArticle>(strapi, UID.article, locale, { fields: ARTICLE_FIELDS }),
    inPageLocaleFirst<StoredResource>(strapi, UID.resource, locale, { filters: { kind: { $eq: 'bundle' } }, fields: RESOURCE_FIELDS }),
    inPageLocaleFirst<StoredTheme>(strapi, UID.theme, locale, { fields: THEME_FIELDS }),
  ]);
  return {
    news: newestFirst(articles.map((article) => articleSummary(article, article.locale))).slice(0, HOME_NEWS_COUNT),
    bundles: newestFirst(bundles.map((bundle) => resourceSummary(bundle, bundle.locale))),
    themes: themes
      .map((theme) => ({ ...themeLink(theme, theme.locale), description: theme.description ?? null }))
      .sort((a, b) => a.name.localeCompare(b.name, locale)),
  };
}

/** Every published reading page, grouped per document so that translations are alternates. */
export async function loadSitemap(strapi: Core.Strapi, publicUrl: string): Promise<SitemapEntry[]> {
  const entries: SitemapEntry[] = [{ versions: { nl: `${publicUrl}${homePath('nl')}`, en: `${publicUrl}${homePath('en')}` }, lastModified: null }];
  for (const [kind, uid] of [
    ['article', UID.article],
    ['resource', UID.resource],
    ['theme', UID.theme],
  ] as const) {
    const byDocument = new Map<string, SitemapEntry>();
    for (const locale of ['nl', 'en'] as const) {
      for (const document of await listPublished<Stored>(strapi, uid, locale, { fields: ['slug', 'updatedAt'], sort: 'id:asc' })) {
        if (!document.slug) continue;
        const entry = byDocument.get(document.documentId) ?? { versions: {}, lastModified: null };
        entry.versions[locale] = `${publicUrl}${itemPath(kind, locale, document.slug)}`;
        const modified = document.updatedAt ? new Date(document.updatedAt).toISOString() : null;
        if (modified && (!entry.lastModified || modified > entry.lastModified)) entry.lastModified = modified;
        byDocument.set(document.documentId, entry);
      }
    }
    entries.push(...byDocument.values());
  }
  // The archive and its web versions (src/site/archive/), per the reader contract.
  entries.push(...(await archiveSitemapEntries(strapi, publicUrl)));
  return entries;
}
