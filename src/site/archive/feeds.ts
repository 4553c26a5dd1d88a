import type { Core } from '@strapi/strapi';
import type { ArchiveEntry } from './listing';
import { archivePath } from './listing';
import type { Locale } from '../../core/domain/locale';
import { articleUrl, type LinkSettings } from '../../core/links';
import { feedPath, type FeedName } from './feed-links';
import type { Feed } from './rss';
import { CONTENT_TYPES } from '../../core/content-types';

/** What the two feeds hold: the newest published articles, and the archive of sent mailings. */
export const FEED_SIZE = 20;

export interface FeedSettings extends LinkSettings {
  networkName: string;
}

export interface FeedArticle {
  title: string;
  slug: string;
  summary: string | null;
  publishedAt: Date;
}

const DESCRIPTIONS: Record<Locale, Record<FeedName, (network: string) => string>> = {
  nl: { articles: (network) => `Nieuws van ${network}`, archive: (network) => `De nieuwsbrieven van ${network}` },
  en: { articles: (network) => `News from ${network}`, archive: (network) => `The newsletters of ${network}` },
};
const TITLES: Record<Locale, Record<FeedName, (network: string) => string>> = {
  nl: { articles: (network) => `${network}: nieuws`, archive: (network) => `${network}: nieuwsbrieven` },
  en: { articles: (network) => `${network}: news`, archive: (network) => `${network}: newsletters` },
};

/** Articles link where the mails link them (articleUrl, with the site settings), so a feed reader lands on the same page. */
export function articlesFeed(articles: readonly FeedArticle[], locale: Locale, settings: FeedSettings): Feed {
  return {
    title: TITLES[locale].articles(settings.networkName),
    link: locale === 'nl' ? `${settings.siteUrl}/` : `${settings.siteUrl}/en`,
    selfUrl: `${settings.publicUrl}${feedPath('articles', locale)}`,
    description: DESCRIPTIONS[locale].articles(settings.networkName),
    language: locale,
    items: articles.slice(0, FEED_SIZE).map((article) => {
      return { title: article.title, link: articleUrl(settings, locale, article.slug), pubDate: article.publishedAt, description: article.summary };
    }),
  };
}

export function archiveFeed(entries: readonly ArchiveEntry[], locale: Locale, settings: FeedSettings): Feed {
  return {
    title: TITLES[locale].archive(settings.networkName),
    link: `${settings.publicUrl}${archivePath(locale)}`,
    selfUrl: `${settings.publicUrl}${feedPath('archive', locale)}`,
    description: DESCRIPTIONS[locale].archive(settings.networkName),
    language: locale,
    items: entries.slice(0, FEED_SIZE).map((entry) => {
      return { title: entry.title, link: `${settings.publicUrl}${entry.path}`, pubDate: entry.sentAt, description: entry.summary };
    }),
  };
}

/**
 * The newest published articles in `locale`. Their date is the editors' publication date when set
 * (publishedAt moves with every re-publish), else publishedAt; sorted here because databases
 * disagree on where a DESC sort puts nulls.
 */
export async function readFeedArticles(strapi: Core.Strapi, locale: Locale): Promise<FeedArticle[]> {
  const documents = (await strapi.documents(CONTENT_TYPES.article).findMany({
    locale,
    status: 'published',
    fields: ['title', 'slug', 'summary', 'publishedAt', 'publicationDate'],
    sort: 'publishedAt:desc',
    limit: 200,
  } as never)) as unknown as Array<{ title: string; slug: string | null; summary: string | null; publishedAt: string; publicationDate: string | null }>;
  return documents
    .filter((document) => document.slug)
    .map((document) => ({
      title: document.title,
      slug: document.slug!,
      summary: document.summary,
      publishedAt: new Date(document.publicationDate ?? document.publishedAt),
    }))
    .sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime())
    .slice(0, FEED_SIZE);
}
