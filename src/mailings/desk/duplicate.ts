import type { Core } from '@strapi/strapi';
import { CONTENT_TYPES } from '../../core/content-types';
import { asInternalWrite } from '../engine/internal-write';
import type { MailingRef } from '../engine/mailing';
import { MailingRefusal } from '../engine/refusal';
import { ITEMS_POPULATE } from '../edition/edition-items';

/** What a copy's title gets, in the product's language: editors see it in the list and rename it. */
const SUFFIX = { copy: ' (kopie)', remainder: ' (rest)' } as const;
const TITLE_MAX = 200;

type Linked = { documentId: string } | null | undefined;

/** What the copy is: a plain copy, or a remainder of the original mailing `remainderOf` (its first, whatever copy it starts from). */
export type CopyKind = { as: 'copy' } | { as: 'remainder'; remainderOf: number };

function copyTitle(title: unknown, kind: CopyKind): string {
  const suffix = SUFFIX[kind.as];
  const base = String(title ?? '').trim();
  return `${base.slice(0, TITLE_MAX - suffix.length)}${suffix}`;
}

/**
 * "Dupliceren": a new draft with the mailing's content and audience, whatever state the original is
 * in (a cancelled campaign is a dead end otherwise). Nothing of the original's sending comes along:
 * no send time, no counts, no notes; an edition copy keeps the original's period (its cut-off), so
 * the monthly assembly's window is unchanged by it. The copy is written as the product's own write:
 * it sets fields the editors' rules keep for the engine (an edition's period), and it is always a
 * fresh draft, which editors may create.
 */
export async function duplicateMailing(strapi: Core.Strapi, ref: MailingRef, kind: CopyKind = { as: 'copy' }): Promise<{ id: number; documentId: string }> {
  const created = ref.kind === 'campaign' ? await duplicateCampaign(strapi, ref.id, kind) : await duplicateEdition(strapi, ref.id, kind);
  return { id: created.id, documentId: created.documentId };
}

/** What editors wrote per language, the same fields on an edition and a campaign. */
const WORDS = ['subjectNl', 'subjectEn', 'preheaderNl', 'preheaderEn', 'introNl', 'introEn'] as const;
const editorsWords = (original: Record<string, unknown>) => Object.fromEntries(WORDS.map((field) => [field, original[field] ?? null]));

const remainderField = (kind: CopyKind) => ({ remainderOf: kind.as === 'remainder' ? kind.remainderOf : null });

async function duplicateCampaign(strapi: Core.Strapi, id: number, kind: CopyKind): Promise<{ id: number; documentId: string }> {
  const original = (await strapi.db.query(CONTENT_TYPES.campaign).findOne({
    where: { id },
    populate: {
      featuredItems: { populate: { resource: { select: ['documentId'] }, article: { select: ['documentId'] } } },
      audienceThemes: { select: ['documentId'] },
    },
  })) as (Record<string, unknown> & { featuredItems?: Array<{ resource?: Linked; article?: Linked }>; audienceThemes?: Array<{ documentId: string }> }) | null;
  if (!original) throw new MailingRefusal('missing', `no campaign ${id}`);
  const featuredItems = (original.featuredItems ?? [])
    .map((entry) => ({ resource: entry.resource?.documentId ?? null, article: entry.article?.documentId ?? null }))
    .filter((entry) => entry.resource || entry.article);
  const data = {
    title: copyTitle(original.title, kind),
    state: 'draft',
    ...editorsWords(original),
    featuredItems,
    audienceThemes: [...new Set((original.audienceThemes ?? []).map((theme) => theme.documentId))],
    audienceLocale: original.audienceLocale ?? null,
    trackEngagement: original.trackEngagement ?? false,
    ...remainderField(kind),
  };
  return (await asInternalWrite(() => strapi.documents(CONTENT_TYPES.campaign).create({ data } as never))) as unknown as { id: number; documentId: string };
}

async function duplicateEdition(strapi: Core.Strapi, id: number, kind: CopyKind): Promise<{ id: number; documentId: string }> {
  const original = (await strapi.db.query(CONTENT_TYPES.edition).findOne({ where: { id }, populate: ITEMS_POPULATE })) as
    (Record<string, unknown> & { items?: Array<{ label?: string | null; article?: Linked; resource?: Linked }> }) | null;
  if (!original) throw new MailingRefusal('missing', `no edition ${id}`);
  const items = (original.items ?? [])
    .map((entry) => ({ label: entry.label ?? null, article: entry.article?.documentId ?? null, resource: entry.resource?.documentId ?? null }))
    .filter((entry) => entry.article || entry.resource);
  const data = {
    title: copyTitle(original.title, kind),
    state: 'draft',
    periodStart: original.periodStart ?? null,
    cutoff: original.cutoff,
    ...editorsWords(original),
    items,
    trackEngagement: original.trackEngagement ?? false,
    ...remainderField(kind),
  };
  return (await asInternalWrite(() => strapi.documents(CONTENT_TYPES.edition).create({ data } as never))) as unknown as { id: number; documentId: string };
}
