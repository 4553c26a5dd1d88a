import type { Core } from '@strapi/strapi';
import { articleView, resourceView, type ItemLinks, type PublishedArticle, type PublishedResource } from '../content';
import type { ContentCandidate, EditionItemRef } from './assembly';
import type { EditionText, ResolvedItem, ThemeInfo } from './variants';
import { editionTitle } from './assembly';
import { CONTENT_TYPES } from '../../core/content-types';
import type { Locale } from '../../core/domain/locale';

/**
 * Reads what editions are made of through Strapi's document service: published versions only.
 */
const UIDS = { article: CONTENT_TYPES.article, resource: CONTENT_TYPES.resource } as const;
const LOCALES: Locale[] = ['nl', 'en'];

export async function publishedCandidates(strapi: Core.Strapi, window: { after: Date | null; until: Date }): Promise<ContentCandidate[]> {
  const publishedAt = { $lte: window.until.toISOString(), ...(window.after ? { $gt: window.after.toISOString() } : {}) };
  const candidates: ContentCandidate[] = [];
  for (const [type, uid] of Object.entries(UIDS) as Array<[keyof typeof UIDS, (typeof UIDS)[keyof typeof UIDS]]>) {
    for (const locale of LOCALES) {
      const documents = (await strapi
        .documents(uid)
        .findMany({ locale, status: 'published', filters: { publishedAt }, fields: ['title', 'publishedAt'], limit: 10_000 } as never)) as unknown as Array<{
        documentId: string;
        title: string;
        publishedAt: string;
      }>;
      for (const document of documents)
        candidates.push({ type, documentId: document.documentId, locale, publishedAt: new Date(document.publishedAt).toISOString(), title: document.title });
    }
  }
  return candidates;
}

/** The current published content of each item, per locale. Items unpublished since assembly drop out. */
export async function resolveItems(
  strapi: Core.Strapi,
  refs: ReadonlyArray<Pick<EditionItemRef, 'type' | 'documentId'>>,
  links: ItemLinks,
): Promise<ResolvedItem[]> {
  const resolved: ResolvedItem[] = [];
  for (const ref of refs) {
    const item: ResolvedItem = { key: `${ref.type}:${ref.documentId}`, themes: [], content: {} };
    for (const locale of LOCALES) {
      if (ref.type === 'article') {
        const article = (await strapi
          .documents(UIDS.article)
          .findOne({ documentId: ref.documentId, locale, status: 'published', populate: ['themes', 'cover'] } as never)) as unknown as
          (PublishedArticle & { themes?: Array<{ slug: string }> }) | null;
        if (!article) continue;
        item.themes = article.themes?.map((theme) => theme.slug) ?? item.themes;
        item.content[locale] = articleView(article, locale, links);
      } else {
        const resource = (await strapi
          .documents(UIDS.resource)
          .findOne({ documentId: ref.documentId, locale, status: 'published', populate: ['themes', 'file', 'image', 'items'] } as never)) as unknown as
          (PublishedResource & { themes?: Array<{ slug: string }> }) | null;
        if (!resource) continue;
        item.themes = resource.themes?.map((theme) => theme.slug) ?? item.themes;
        item.content[locale] = resourceView(resource, locale, links);
      }
    }
    if (Object.keys(item.content).length > 0) resolved.push(item);
  }
  return resolved;
}

export async function themeInfos(strapi: Core.Strapi): Promise<ThemeInfo[]> {
  const byLocale = await Promise.all(
    LOCALES.map(
      async (locale) =>
        (await strapi
          .documents(CONTENT_TYPES.theme)
          .findMany({ locale, status: 'published', fields: ['slug', 'name'], sort: 'name:asc' } as never)) as unknown as Array<{ slug: string; name: string }>,
    ),
  );
  const [nl, en] = byLocale;
  return nl.map((theme) => ({ slug: theme.slug, name: { nl: theme.name, en: en.find((other) => other.slug === theme.slug)?.name ?? theme.name } }));
}

/** What editors wrote of an edition; an empty subject or preheader is left to the defaults (EditionText). */
export interface EditionWords {
  cutoff: string;
  introNl: string | null;
  introEn: string | null;
  subjectNl?: string | null;
  subjectEn?: string | null;
  preheaderNl?: string | null;
  preheaderEn?: string | null;
}

export function editionText(edition: EditionWords, timeZone: string): EditionText {
  const cutoff = new Date(edition.cutoff);
  const own = (value: string | null | undefined) => value?.trim() || null;
  return {
    title: { nl: editionTitle(cutoff, 'nl', timeZone), en: editionTitle(cutoff, 'en', timeZone) },
    intro: { nl: edition.introNl || null, en: edition.introEn || null },
    subject: { nl: own(edition.subjectNl), en: own(edition.subjectEn) },
    preheader: { nl: own(edition.preheaderNl), en: own(edition.preheaderEn) },
  };
}
