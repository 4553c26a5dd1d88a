/**
 * Variants: an edition is rendered once per locale and theme selection that actually occurs among
 * its recipients. A reader's selection only matters where it meets the edition's themes, so it is
 * reduced to that intersection first: few variants, each rendered once, sent to many.
 *
 * Readers see the themes they follow first, then everything else under "also in this edition";
 * readers who follow no theme (or none that occurs this month) get everything, grouped by theme.
 */
import type { EditionItemView, EditionSection, EditionVariantModel } from '../../mail/edition-renderer';
import type { Locale } from '../../core/domain/locale';

export interface Variant {
  locale: Locale;
  /** Sorted theme slugs the reader follows that occur in this edition; empty = no preference. */
  themes: string[];
}

export function variantFor(locale: Locale, subscriberThemes: readonly string[] | null | undefined, editionThemes: ReadonlySet<string>): Variant {
  const themes = [...new Set((subscriberThemes ?? []).filter((slug) => editionThemes.has(slug)))].sort();
  return { locale, themes };
}

export function variantKey(variant: Variant): string {
  return `${variant.locale}|${variant.themes.join(',')}`;
}

export function parseVariantKey(key: string): Variant {
  const [locale, themes] = key.split('|');
  return { locale: locale === 'en' ? 'en' : 'nl', themes: themes ? themes.split(',') : [] };
}

/** One item of the edition with its content in each locale it is published in. */
export interface ResolvedItem {
  key: string;
  themes: string[];
  content: Partial<Record<Locale, Omit<EditionItemView, 'language'>>>;
}

export interface ThemeInfo {
  slug: string;
  name: Record<Locale, string>;
}

const OTHER_HEADING: Record<Locale, string> = { nl: 'Meer uit het netwerk', en: 'More from the network' };

export interface EditionText {
  title: Record<Locale, string>;
  intro: Record<Locale, string | null>;
  /** The editors' subject per language; null: "<title> – <organisation>". */
  subject?: Record<Locale, string | null>;
  /** The editors' preheader per language; null: the titles of the first items each reader sees. */
  preheader?: Record<Locale, string | null>;
}

/** Inbox apps show about this much of the preheader after the subject. */
export const PREHEADER_MAX = 140;

/**
 * A variant's preheader: the titles of the first items this reader sees (their own themes first),
 * so the inbox line matches the mail's top; cut on a word, never mid-word.
 */
export function variantPreheader(titles: readonly string[], max = PREHEADER_MAX): string {
  return cutOnWord(titles.slice(0, 3).join(' · '), max);
}

export function cutOnWord(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const room = clean.slice(0, max - 1);
  const space = room.lastIndexOf(' ');
  // A single word longer than the room is cut where it must be.
  const cut = (space > max / 3 ? room.slice(0, space) : room).replace(/[\s·,;:–-]+$/, '');
  return `${cut}…`;
}

/**
 * The model the renderer turns into one variant. Each item appears once: under the first theme it
 * has (the first followed theme, for readers who follow some), in edition order; an item that a
 * bundle of the same edition contains only inside that bundle's card.
 */
export function buildVariantModel(text: EditionText, editionItems: ResolvedItem[], themes: ThemeInfo[], variant: Variant): EditionVariantModel {
  const { locale } = variant;
  const view = (item: ResolvedItem): EditionItemView | null => {
    const own = item.content[locale];
    if (own) return { ...own, language: locale };
    const other: Locale = locale === 'nl' ? 'en' : 'nl';
    const fallback = item.content[other];
    return fallback ? { ...fallback, language: other } : null;
  };
  // An item that is part of a bundle in this edition appears inside the bundle's card, not again as its own.
  const inBundles = new Set(editionItems.flatMap((item) => view(item)?.bundleItems ?? []).map((entry) => entry.url));
  const items = editionItems.filter((item) => {
    const shown = view(item);
    return !shown || shown.bundleItems !== undefined || !inBundles.has(shown.url);
  });
  const followed = new Set(variant.themes);
  const sectionsFor = (slugs: ThemeInfo[], pick: (item: ResolvedItem) => string | null | undefined): EditionSection[] =>
    slugs
      .map((theme) => ({
        themeSlug: theme.slug,
        heading: theme.name[locale],
        items: items
          .filter((item) => pick(item) === theme.slug)
          .map(view)
          .filter(isItem),
      }))
      .filter((section) => section.items.length > 0);

  const firstFollowed = (item: ResolvedItem) => item.themes.find((slug) => followed.has(slug));
  const followedSections = sectionsFor(
    themes.filter((theme) => followed.has(theme.slug)),
    firstFollowed,
  );
  const rest = items.filter((item) => !firstFollowed(item));
  const known = new Set(themes.map((theme) => theme.slug));
  const firstTheme = (item: ResolvedItem) => (rest.includes(item) ? item.themes.find((slug) => known.has(slug)) : undefined);
  const sections = sectionsFor(themes, firstTheme);
  const unthemed = rest
    .filter((item) => !item.themes.some((slug) => known.has(slug)))
    .map(view)
    .filter(isItem);
  if (unthemed.length > 0) sections.push({ themeSlug: null, heading: OTHER_HEADING[locale], items: unthemed });

  const firstTitles = [...followedSections, ...sections].flatMap((section) => section.items.map((item) => item.title));
  return {
    locale,
    title: text.title[locale],
    subject: text.subject?.[locale] ?? null,
    intro: text.intro[locale],
    preheader: text.preheader?.[locale] ?? variantPreheader(firstTitles),
    followed: followedSections,
    sections,
  };
}

function isItem(item: EditionItemView | null): item is EditionItemView {
  return item !== null;
}
