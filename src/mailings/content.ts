import { articleUrl, absoluteUrl, resourceUrl, type LinkSettings } from '../core/links';
import type { EditionItemView } from '../mail/edition-renderer';
import type { Locale } from '../core/domain/locale';

/*
 * Published articles and resources as items of a mail, shared by the edition and the campaign.
 */

/** What a published article or resource looks like as an item of a mail (editions and campaigns alike). */
export type ItemView = Omit<EditionItemView, 'language'>;

export interface PublishedArticle {
  title: string;
  summary: string;
  slug: string;
  coverAlt?: string | null;
  cover?: { url: string; alternativeText?: string | null } | null;
}

export interface PublishedResource {
  title: string;
  description?: string | null;
  slug: string;
  kind: string;
  url?: string | null;
  file?: { url: string } | null;
  items?: Array<{ title: string; slug: string; kind: string; url?: string | null; file?: { url: string } | null }>;
}

export function articleView(article: PublishedArticle, locale: Locale, links: LinkSettings): ItemView {
  return {
    kind: 'article',
    title: article.title,
    summary: article.summary,
    url: articleUrl(links, locale, article.slug),
    imageUrl: article.cover?.url ? absoluteUrl(links.publicUrl, article.cover.url) : null,
    imageAlt: article.coverAlt || article.cover?.alternativeText || null,
  };
}

/** A bundle lists its contents (what the query populated: published versions only). */
export function resourceView(resource: PublishedResource, locale: Locale, links: LinkSettings): ItemView {
  return {
    kind: 'resource',
    resourceKind: resource.kind as never,
    title: resource.title,
    summary: resource.description ?? null,
    url: resourceUrl(links, locale, resource),
    ...(resource.kind === 'bundle'
      ? { bundleItems: (resource.items ?? []).map((part) => ({ title: part.title, url: resourceUrl(links, locale, part), resourceKind: part.kind })) }
      : {}),
  } as ItemView;
}
