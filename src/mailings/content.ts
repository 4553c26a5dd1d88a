import { articleUrl, absoluteUrl, resourceUrl, type LinkSettings } from '../core/links';
import { MAIL_IMAGE_WIDTH, type EditionItemView } from '../mail/edition-renderer';
import { imageForWidth, type UploadedImage } from '../core/domain/image-format';
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
  cover?: UploadedImage | null;
}

export interface PublishedResource {
  title: string;
  description?: string | null;
  slug: string;
  kind: string;
  url?: string | null;
  file?: { url: string } | null;
  image?: UploadedImage | null;
  imageAlt?: string | null;
  items?: Array<{ title: string; slug: string; kind: string; url?: string | null; file?: { url: string } | null }>;
}

export function articleView(article: PublishedArticle, locale: Locale, links: LinkSettings): ItemView {
  return {
    kind: 'article',
    title: article.title,
    summary: article.summary,
    url: articleUrl(links, locale, article.slug),
    ...mailImage(article.cover, article.coverAlt, links),
  };
}

/** The image fields of a mail item: the upload's copy at the mail's width, as an absolute URL. */
export function mailImage(
  image: UploadedImage | null | undefined,
  alt: string | null | undefined,
  links: LinkSettings,
): Pick<ItemView, 'imageUrl' | 'imageAlt' | 'imageWidth' | 'imageHeight'> {
  if (!image?.url) return { imageUrl: null, imageAlt: null };
  const sized = imageForWidth(image, MAIL_IMAGE_WIDTH);
  return {
    imageUrl: absoluteUrl(links.publicUrl, sized.url),
    imageAlt: alt || image.alternativeText || null,
    imageWidth: sized.width,
    imageHeight: sized.height,
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
    ...mailImage(resource.image, resource.imageAlt, links),
    ...(resource.kind === 'bundle'
      ? { bundleItems: (resource.items ?? []).map((part) => ({ title: part.title, url: resourceUrl(links, locale, part), resourceKind: part.kind })) }
      : {}),
  } as ItemView;
}
