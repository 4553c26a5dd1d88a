import type { Locale } from '../../core/domain/locale';
/**
 * What goes in an edition: pure rules, unit-tested, no Strapi.
 *
 * - An item belongs to the edition whose window contains its publication time: after the previous
 *   edition's cut-off, up to and including this cut-off (not a calendar month). An item's
 *   publication time is the earliest `publishedAt` of its published locales.
 * - An item that went out in an earlier edition never goes out again, also not when it was
 *   unpublished and republished (which gives it a new `publishedAt`).
 * - Only published versions count; drafts never appear.
 * - An item without a translation still goes to readers of the other language, in the language it
 *   has, marked as such (see variants.ts): news about the network matters more than its language.
 */

export type ItemType = 'article' | 'resource';

export interface ContentCandidate {
  type: ItemType;
  documentId: string;
  locale: Locale;
  /** When this locale's published version was published (ISO). */
  publishedAt: string;
  title: string;
}

export interface EditionItemRef {
  type: ItemType;
  documentId: string;
  /** The locales the item is published in. */
  locales: Locale[];
  publishedAt: string;
  title: Partial<Record<Locale, string>>;
}

export interface AssemblyWindow {
  /** The previous edition's cut-off; null for the very first edition. */
  after: Date | null;
  until: Date;
}

export const itemKey = (item: { type: ItemType; documentId: string }) => `${item.type}:${item.documentId}`;

export function selectEditionItems(candidates: ContentCandidate[], window: AssemblyWindow, alreadySent: ReadonlySet<string>): EditionItemRef[] {
  const byItem = new Map<string, EditionItemRef>();
  for (const candidate of candidates) {
    const key = itemKey(candidate);
    const existing = byItem.get(key);
    if (!existing) {
      byItem.set(key, {
        type: candidate.type,
        documentId: candidate.documentId,
        locales: [candidate.locale],
        publishedAt: candidate.publishedAt,
        title: { [candidate.locale]: candidate.title },
      });
      continue;
    }
    if (!existing.locales.includes(candidate.locale)) existing.locales.push(candidate.locale);
    existing.title[candidate.locale] = candidate.title;
    if (Date.parse(candidate.publishedAt) < Date.parse(existing.publishedAt)) existing.publishedAt = candidate.publishedAt;
  }

  const after = window.after?.getTime() ?? Number.NEGATIVE_INFINITY;
  const until = window.until.getTime();
  return [...byItem.values()]
    .filter((item) => {
      const time = Date.parse(item.publishedAt);
      return time > after && time <= until && !alreadySent.has(itemKey(item));
    })
    .map((item) => ({ ...item, locales: [...item.locales].sort() as Locale[] }))
    .sort((a, b) => (a.type === b.type ? Date.parse(b.publishedAt) - Date.parse(a.publishedAt) : a.type === 'article' ? -1 : 1));
}

/** The edition's title per locale, from its cut-off month. */
export function editionTitle(cutoff: Date, locale: Locale, timeZone = 'Europe/Amsterdam'): string {
  const month = new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', { month: 'long', year: 'numeric', timeZone }).format(cutoff);
  return locale === 'nl' ? `Nieuwsbrief ${month}` : `Newsletter ${month}`;
}
