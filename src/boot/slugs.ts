import type { Core } from '@strapi/strapi';
import { CONTENT_TYPES } from '../core/content-types';

const ARTICLE = CONTENT_TYPES.article;

/**
 * An article's slug follows its title, per language. Strapi 5's uid input only proposes a slug when
 * the form opens (from an empty title that is the type's name, `article`) and never again; and an
 * editor who fills the English version from the Dutch one gets the Dutch slug. So the slug is not
 * required in the form, and here, for every write of a language version:
 * - no slug: it is made from that version's title (unique within the language);
 * - the slug of another language version of the same article while the titles differ (copied from
 *   that language): it is made from this version's title.
 * A slug an editor typed is kept.
 */
export function registerSlugRules(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    if (context.uid !== ARTICLE || (context.action !== 'create' && context.action !== 'update')) return next();
    const params = context.params as { data?: Record<string, unknown>; documentId?: string; locale?: string };
    const data = params.data;
    if (!data) return next();
    const locale = params.locale ?? (await defaultLocale(strapi));
    const current = params.documentId
      ? ((await strapi.db.query(ARTICLE).findOne({ where: { documentId: params.documentId, locale, publishedAt: null }, select: ['title', 'slug'] })) as {
          title: string;
          slug: string | null;
        } | null)
      : null;
    await keepSharedPublicationDate(strapi, params.documentId, data);
    const title = typeof data.title === 'string' ? data.title : current?.title;
    if (!title?.trim()) return next();
    const slug = 'slug' in data ? data.slug : current?.slug;
    if (typeof slug !== 'string' || slug.trim() === '' || (await copiedFromOtherLanguage(strapi, params.documentId, locale, slug, title))) {
      data.slug = await strapi.plugin('content-manager').service('uid').generateUIDField({ contentTypeUID: ARTICLE, field: 'slug', data: { title }, locale });
    }
    return next();
  });
}

/**
 * The publication date is shared by the languages (not localized), but Strapi's form for a new
 * language version shows it empty and would save it empty for every language. An empty date keeps
 * the article's date; a new article without one is dated today.
 */
async function keepSharedPublicationDate(strapi: Core.Strapi, documentId: string | undefined, data: Record<string, unknown>): Promise<void> {
  if (data.publicationDate) return;
  const other = documentId
    ? ((await strapi.db.query(ARTICLE).findOne({ where: { documentId, publicationDate: { $notNull: true } }, select: ['publicationDate'] })) as {
        publicationDate: string;
      } | null)
    : null;
  if (other) data.publicationDate = other.publicationDate;
  else if (!documentId || 'publicationDate' in data) data.publicationDate = new Date().toISOString().slice(0, 10);
}

async function copiedFromOtherLanguage(strapi: Core.Strapi, documentId: string | undefined, locale: string, slug: string, title: string): Promise<boolean> {
  if (!documentId) return false;
  const others = (await strapi.db.query(ARTICLE).findMany({ where: { documentId, locale: { $ne: locale }, slug }, select: ['title'] })) as Array<{
    title: string;
  }>;
  return others.some((other) => other.title !== title);
}

async function defaultLocale(strapi: Core.Strapi): Promise<string> {
  return ((await strapi.plugin('i18n').service('locales').getDefaultLocale()) as string | undefined) ?? 'nl';
}
