import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { CONTENT_TYPES } from '../core/content-types';

/**
 * An image in a mail or on a page needs words for readers who cannot see it (screen readers, mail
 * clients that block images): a resource's image and a campaign's image at the top are refused
 * without alt text, on every write through the document service (the content manager, the REST
 * API), and the field is named so the form marks it. A campaign's English alt text is asked for
 * once it has an English subject: a campaign for Dutch readers only needs none.
 */
const RULES: Record<string, { image: string; alts: (data: Record<string, unknown>) => string[] }> = {
  [CONTENT_TYPES.resource]: { image: 'image', alts: () => ['imageAlt'] },
  [CONTENT_TYPES.campaign]: { image: 'hero', alts: (data) => (filled(data.subjectEn) ? ['heroAltNl', 'heroAltEn'] : ['heroAltNl']) },
};

export const MISSING_ALT_MESSAGE =
  'An image needs an alt text that describes it for readers who cannot see it. / Een afbeelding heeft een alt-tekst nodig die hem beschrijft voor wie hem niet ziet.';

export function registerImageAltRules(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    const rule = RULES[context.uid];
    if (!rule || (context.action !== 'create' && context.action !== 'update')) return next();
    const params = context.params as { data?: Record<string, unknown>; documentId?: string; locale?: string };
    const data = params.data ?? {};
    const stored =
      context.action === 'update' && params.documentId ? await storedVersion(strapi, context.uid, params.documentId, params.locale, rule.image) : null;
    const merged = { ...(stored ?? {}), ...data };
    if (!hasImage(merged[rule.image])) return next();
    const missing = rule.alts(merged).filter((field) => !filled(merged[field]));
    if (missing.length > 0) {
      throw new errors.ValidationError(MISSING_ALT_MESSAGE, {
        errors: missing.map((field) => ({ path: [field], message: MISSING_ALT_MESSAGE, name: 'ValidationError' })),
      });
    }
    return next();
  });
}

async function storedVersion(
  strapi: Core.Strapi,
  uid: string,
  documentId: string,
  locale: string | undefined,
  image: string,
): Promise<Record<string, unknown> | null> {
  // Resources have drafts and languages: the form saves the draft of one language.
  const where: Record<string, unknown> = uid === CONTENT_TYPES.resource ? { documentId, publishedAt: null, ...(locale ? { locale } : {}) } : { documentId };
  return (await strapi.db.query(uid as never).findOne({ where, populate: { [image]: { select: ['id'] } } })) as Record<string, unknown> | null;
}

/** A media value as the document service gets it: an id, `{ id }`, a list of those, or null to remove it. */
function hasImage(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== null && value !== undefined && value !== '' && value !== 0;
}

function filled(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}
