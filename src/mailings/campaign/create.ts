import type { Core } from '@strapi/strapi';
import { MailingRefusal } from '../engine/refusal';
import { toAudience } from './audience';
import { CAMPAIGN_UID } from './content';
import { CONTENT_TYPES } from '../../core/content-types';

/**
 * `newsletter campaign create`: a draft campaign from a title, featured items named by slug
 * (resources, bundles or articles; the order given is the order in the mail) and an audience.
 * Subjects, preheaders and intros default from the featured items (the lead: the first bundle, or
 * else the first item), in each language; editors refine them in the admin panel.
 */
export interface CreateCampaignInput {
  title: string;
  features: string[];
  themes?: string[];
  locale?: string | null;
}

type Found = {
  type: 'resource' | 'article';
  documentId: string;
  kind?: string;
  title: Partial<Record<'nl' | 'en', string>>;
  summary: Partial<Record<'nl' | 'en', string>>;
};

const UIDS = { resource: CONTENT_TYPES.resource, article: CONTENT_TYPES.article } as const;
const LOCALES = ['nl', 'en'] as const;

async function findItem(strapi: Core.Strapi, slug: string): Promise<Found | null> {
  for (const type of ['resource', 'article'] as const) {
    for (const locale of LOCALES) {
      const entry = (await strapi.documents(UIDS[type]).findFirst({ locale, filters: { slug } } as never)) as { documentId: string } | null;
      if (!entry) continue;
      const found: Found = { type, documentId: entry.documentId, title: {}, summary: {} };
      for (const each of LOCALES) {
        const version = (await strapi.documents(UIDS[type]).findOne({ documentId: entry.documentId, locale: each } as never)) as {
          title?: string;
          kind?: string;
          summary?: string | null;
          description?: string | null;
        } | null;
        if (!version?.title) continue;
        found.title[each] = version.title;
        found.kind ??= version.kind;
        const summary = version.summary ?? version.description;
        if (summary) found.summary[each] = summary;
      }
      return found;
    }
  }
  return null;
}

export async function createCampaign(strapi: Core.Strapi, input: CreateCampaignInput): Promise<{ id: number; documentId: string }> {
  const title = input.title.trim();
  if (!title) throw new MailingRefusal('invalid', 'a campaign needs a title (--title)');
  if (input.features.length === 0) throw new MailingRefusal('invalid', 'a campaign needs at least one featured item (--feature SLUG[,SLUG...])');
  let audience;
  try {
    audience = toAudience({ themes: input.themes ?? [], locale: input.locale ?? null });
  } catch (error) {
    throw new MailingRefusal('invalid', (error as Error).message);
  }

  const items: Found[] = [];
  for (const slug of input.features) {
    const item = await findItem(strapi, slug);
    if (!item) throw new MailingRefusal('invalid', `no resource, bundle or article with the slug "${slug}"`);
    items.push(item);
  }
  const themeIds: string[] = [];
  for (const slug of audience.themes) {
    const theme = (await strapi.documents(CONTENT_TYPES.theme).findFirst({ locale: 'nl', filters: { slug } } as never)) as { documentId: string } | null;
    if (!theme) throw new MailingRefusal('invalid', `no theme with the slug "${slug}"`);
    themeIds.push(theme.documentId);
  }

  const lead = items.find((item) => item.kind === 'bundle') ?? items[0];
  const text = (locale: 'nl' | 'en') => {
    const other = locale === 'nl' ? 'en' : 'nl';
    return {
      subject: (lead.title[locale] ?? lead.title[other] ?? title).slice(0, 150),
      intro: (lead.summary[locale] ?? lead.summary[other] ?? null)?.slice(0, 3000) ?? null,
    };
  };
  const nl = text('nl');
  const en = text('en');
  const created = (await strapi.documents(CAMPAIGN_UID).create({
    data: {
      title: title.slice(0, 200),
      state: 'draft',
      subjectNl: nl.subject,
      subjectEn: en.subject,
      introNl: nl.intro,
      introEn: en.intro,
      featuredItems: items.map((item) => ({ [item.type]: item.documentId })),
      audienceThemes: themeIds,
      audienceLocale: audience.locale,
    },
  } as never)) as unknown as { id: number; documentId: string };
  return { id: created.id, documentId: created.documentId };
}
