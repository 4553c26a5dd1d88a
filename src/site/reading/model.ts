/**
 * What the reading pages show, as plain data: the loader (src/site/reading/load.ts) reads it from
 * Strapi, the render functions turn it into HTML. Every text has the locale it is written in
 * (`locale`), which is the page's locale unless the item exists only in the other one.
 */
import type { Locale } from '../../core/domain/locale';

/** Settings every page needs. */
export interface ReadingContext {
  /** The page's locale: the language of its URL. */
  locale: Locale;
  networkName: string;
  privacyUrl: string;
  /** Base of the CMS (PUBLIC_URL): canonical URLs, the sitemap, uploaded files. */
  publicUrl: string;
}

export interface ThemeLink {
  slug: string;
  name: string;
  locale: Locale;
}

export interface ArticleSummary {
  type: 'article';
  documentId: string;
  slug: string;
  locale: Locale;
  title: string;
  summary: string;
  /** The publication date (YYYY-MM-DD), else the day it was published. */
  date: string;
}

export interface ResourceSummary {
  type: 'resource';
  documentId: string;
  slug: string;
  locale: Locale;
  title: string;
  description: string | null;
  kind: string;
  date: string;
}

export type ItemSummary = ArticleSummary | ResourceSummary;

/** Reading pages show images at most this wide (the 40rem column). */
export const PAGE_IMAGE_WIDTH = 640;

/** An image on a reading page: the copy chosen for the column, its shown size when known, its alt text. */
export interface PageImage {
  url: string;
  width: number | null;
  height: number | null;
  alt: string | null;
}

export interface ArticlePage extends ArticleSummary {
  /** Markdown, as Strapi's rich text field stores it. */
  body: string;
  themes: ThemeLink[];
  cover: PageImage | null;
  /** The article's slug in each locale it is published in (its own included). */
  slugs: Partial<Record<Locale, string>>;
}

export interface ResourcePage extends ResourceSummary {
  url: string | null;
  fileUrl: string | null;
  image?: PageImage | null;
  themes: ThemeLink[];
  /** A bundle's contents, in the editors' order. */
  items: ResourceSummary[];
  /** The bundles this resource is part of. */
  bundles: ResourceSummary[];
  /** The locales it is published in (resources share one slug across locales). */
  locales: Locale[];
}

export interface ThemePage {
  slug: string;
  locale: Locale;
  name: string;
  description: string | null;
  /** Its published articles and resources, newest first. */
  items: ItemSummary[];
  locales: Locale[];
}

export interface HomePage {
  news: ArticleSummary[];
  themes: Array<ThemeLink & { description: string | null }>;
  bundles: ResourceSummary[];
}

/** One entry of the sitemap: a page and its versions per locale (absolute URLs). */
export interface SitemapEntry {
  versions: Partial<Record<Locale, string>>;
  lastModified: string | null;
}
