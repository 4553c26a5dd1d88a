/**
 * Reads a campaign and its featured items through Strapi's document service. Featured items are
 * read in their published versions only, in every language they are published in; a featured
 * entry whose item is published in no language (a draft, or unpublished since), or that points at
 * nothing, is not dropped silently but reported in `problems` (see refusals.ts), naming it.
 *
 * Storage: `featuredItems` is a repeatable component (`campaign.featured-item`) with one relation
 * to a resource (bundles are resources) and one to an article; editors fill one per entry and drag
 * entries to reorder them. The component keeps their order, and the relation keeps pointing at the
 * item's draft while it is unpublished, which is how an unpublished item can still be named here.
 */
import type { Core } from '@strapi/strapi';
import { articleView, mailImage, resourceView, type ItemLinks, type PublishedArticle, type PublishedResource } from '../content';
import type { UploadedImage } from '../../core/domain/image-format';
import { CAMPAIGN_LOCALES, toAudience } from './audience';
import type { CampaignContent, CampaignText, FeaturedItem, FeaturedView } from './model';
import { refusal, type CampaignRefusal } from './refusals';
import { isCampaignState } from './state';
import { CONTENT_TYPES } from '../../core/content-types';
import type { Locale } from '../../core/domain/locale';

export const CAMPAIGN_UID = CONTENT_TYPES.campaign;
const RESOURCE_UID = CONTENT_TYPES.resource;
const ARTICLE_UID = CONTENT_TYPES.article;

/** Where the items link (counted through the redirect when the campaign is being sent, see countedLinks). */
export type CampaignLinks = ItemLinks;
export type CampaignRef = { id: number } | { documentId: string };

interface LinkedEntry {
  documentId: string;
  title?: string | null;
}

interface CampaignRecord {
  id: number;
  documentId: string;
  title: string;
  state: string;
  sendAt: string | null;
  subjectNl: string | null;
  subjectEn: string | null;
  preheaderNl: string | null;
  preheaderEn: string | null;
  introNl: string | null;
  introEn: string | null;
  hero?: UploadedImage | null;
  heroAltNl?: string | null;
  heroAltEn?: string | null;
  audienceLocale: string | null;
  audienceThemes?: Array<{ slug: string }> | null;
  featuredItems?: Array<{ resource?: LinkedEntry | null; article?: LinkedEntry | null }> | null;
}

const POPULATE = {
  hero: true,
  audienceThemes: { fields: ['slug'] },
  featuredItems: { populate: { resource: { fields: ['documentId', 'title'] }, article: { fields: ['documentId', 'title'] } } },
};

/** The campaign with its published featured items; null when there is no such campaign. */
export async function loadCampaign(strapi: Core.Strapi, ref: CampaignRef, links: CampaignLinks): Promise<CampaignContent | null> {
  const documentId = 'documentId' in ref ? ref.documentId : await documentIdOf(strapi, ref.id);
  if (!documentId) return null;
  const record = (await strapi.documents(CAMPAIGN_UID).findOne({ documentId, populate: POPULATE } as never)) as unknown as CampaignRecord | null;
  if (!record) return null;
  if (!isCampaignState(record.state)) throw new Error(`Campaign ${record.id} has an unknown state "${record.state}"`);

  const featured: FeaturedItem[] = [];
  const problems: CampaignRefusal[] = [];
  for (const [index, entry] of (record.featuredItems ?? []).entries()) {
    const position = index + 1;
    if (entry.resource && entry.article) {
      problems.push(refusal.featuredItemAmbiguous(position));
      continue;
    }
    const type = entry.resource ? 'resource' : entry.article ? 'article' : null;
    const linked = entry.resource ?? entry.article;
    if (!type || !linked) {
      problems.push(refusal.featuredItemEmpty(position));
      continue;
    }
    const content = type === 'resource' ? await publishedResource(strapi, linked.documentId, links) : await publishedArticle(strapi, linked.documentId, links);
    if (Object.keys(content).length === 0) {
      problems.push(refusal.featuredItemDraft(position, type, linked.title || linked.documentId));
      continue;
    }
    featured.push({ key: `${type}:${linked.documentId}`, position, content });
  }

  const text = (locale: Locale): CampaignText => {
    const suffix = locale === 'nl' ? 'Nl' : 'En';
    return {
      subject: record[`subject${suffix}`] || null,
      preheader: record[`preheader${suffix}`] || null,
      intro: record[`intro${suffix}`] || null,
      heroAlt: record[`heroAlt${suffix}`] || null,
    };
  };
  return {
    id: record.id,
    documentId: record.documentId,
    title: record.title,
    state: record.state,
    sendAt: record.sendAt ? new Date(record.sendAt) : null,
    audience: toAudience({ themes: (record.audienceThemes ?? []).map((theme) => theme.slug), locale: record.audienceLocale }),
    text: { nl: text('nl'), en: text('en') },
    hero: record.hero?.url ? mailImage(record.hero, null, links) : null,
    featured,
    problems,
  };
}

async function documentIdOf(strapi: Core.Strapi, id: number): Promise<string | null> {
  const row = (await strapi.db.query(CAMPAIGN_UID).findOne({ where: { id }, select: ['documentId'] })) as { documentId: string } | null;
  return row?.documentId ?? null;
}

async function publishedResource(strapi: Core.Strapi, documentId: string, links: CampaignLinks): Promise<Partial<Record<Locale, FeaturedView>>> {
  const content: Partial<Record<Locale, FeaturedView>> = {};
  for (const locale of CAMPAIGN_LOCALES) {
    // Populated from the published version, so the bundle lists only its published contents.
    const resource = (await strapi.documents(RESOURCE_UID).findOne({
      documentId,
      locale,
      status: 'published',
      populate: { file: true, image: true, items: { populate: ['file'] } },
    } as never)) as unknown as PublishedResource | null;
    if (!resource) continue;
    content[locale] = resourceView(resource, locale, links);
  }
  return content;
}

async function publishedArticle(strapi: Core.Strapi, documentId: string, links: CampaignLinks): Promise<Partial<Record<Locale, FeaturedView>>> {
  const content: Partial<Record<Locale, FeaturedView>> = {};
  for (const locale of CAMPAIGN_LOCALES) {
    const article = (await strapi
      .documents(ARTICLE_UID)
      .findOne({ documentId, locale, status: 'published', populate: ['cover'] } as never)) as unknown as PublishedArticle | null;
    if (!article) continue;
    content[locale] = articleView(article, locale, links);
  }
  return content;
}
