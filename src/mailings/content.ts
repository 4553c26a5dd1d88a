import { articleUrl, absoluteUrl, resourceUrl, type LinkSettings } from '../core/links';
import { MAIL_IMAGE_WIDTH, type EditionItemView } from '../mail/edition-renderer';
import { imageForWidth, type UploadedImage } from '../core/domain/image-format';
import type { Locale } from '../core/domain/locale';
import { ITEM_LINK_PATH, signItemLink, type CountedItemKind, type CountedMailingKind } from '../core/domain/item-link';

/*
 * Published articles and resources as items of a mail, shared by the edition and the campaign.
 */

/**
 * Where a mail's item links point. With `counted` (a mailing being sent while item counts are on,
 * see countedLinks) a link to one of our reading pages goes through the counting redirect; without
 * it (previews, test sends, MAIL_LINK_COUNTS=off) it points at the page directly.
 */
export interface ItemLinks extends LinkSettings {
  counted?: (item: { kind: CountedItemKind; documentId: string; locale: Locale; slug: string }) => string;
}

/** The links of one mailing's items through the counting redirect: `<publicUrl>/r/<signed token>`. */
export function countedLinks(links: LinkSettings, mailing: { kind: CountedMailingKind; id: number }, tokenSecret: string): ItemLinks {
  return { ...links, counted: (item) => `${links.publicUrl}${ITEM_LINK_PATH}/${signItemLink({ mailing, item }, tokenSecret)}` };
}

/**
 * An item's link in a mail. Only reading pages are counted: a resource whose own URL or uploaded
 * file is where it is read stays a direct link, so the redirect never needs to know, or carry, an
 * address that is not one of our pages.
 */
function itemLink(
  links: ItemLinks,
  kind: CountedItemKind,
  locale: Locale,
  item: { documentId?: string; slug: string },
  direct: string,
  isPage: boolean,
): string {
  if (!links.counted || !isPage || !item.documentId) return direct;
  return links.counted({ kind, documentId: item.documentId, locale, slug: item.slug });
}

const isReadingPage = (resource: { url?: string | null; file?: { url: string } | null }) => !resource.url && !resource.file?.url;

/** What a published article or resource looks like as an item of a mail (editions and campaigns alike). */
export type ItemView = Omit<EditionItemView, 'language'>;

export interface PublishedArticle {
  documentId?: string;
  title: string;
  summary: string;
  slug: string;
  coverAlt?: string | null;
  cover?: UploadedImage | null;
}

export interface PublishedResource {
  documentId?: string;
  title: string;
  description?: string | null;
  slug: string;
  kind: string;
  url?: string | null;
  file?: { url: string } | null;
  image?: UploadedImage | null;
  imageAlt?: string | null;
  items?: Array<{ documentId?: string; title: string; slug: string; kind: string; url?: string | null; file?: { url: string } | null }>;
}

export function articleView(article: PublishedArticle, locale: Locale, links: ItemLinks): ItemView {
  return {
    kind: 'article',
    title: article.title,
    summary: article.summary,
    url: itemLink(links, 'article', locale, article, articleUrl(links, locale, article.slug), true),
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
export function resourceView(resource: PublishedResource, locale: Locale, links: ItemLinks): ItemView {
  const link = (part: Pick<PublishedResource, 'documentId' | 'slug' | 'url' | 'file'>) =>
    itemLink(links, 'resource', locale, part, resourceUrl(links, locale, part), isReadingPage(part));
  return {
    kind: 'resource',
    resourceKind: resource.kind as never,
    title: resource.title,
    summary: resource.description ?? null,
    url: link(resource),
    ...mailImage(resource.image, resource.imageAlt, links),
    ...(resource.kind === 'bundle'
      ? { bundleItems: (resource.items ?? []).map((part) => ({ title: part.title, url: link(part), resourceKind: part.kind })) }
      : {}),
  } as ItemView;
}
