/**
 * Variants: an edition is rendered once per locale and theme selection that actually occurs among
 * its recipients. A reader's selection only matters where it meets the edition's themes, so it is
 * reduced to that intersection first: few variants, each rendered once, sent to many.
 *
 * Readers see the themes they follow first, then everything else under "also in this edition";
 * readers who follow no theme (or none that occurs this month) get everything, grouped by theme.
 */
import type { Locale } from '../domain/subscription-request';
import type { EditionItemView, EditionSection, EditionVariantModel } from '../mail/edition-renderer';

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
  preheader: Record<Locale, string>;
}

/**
 * The model the renderer turns into one variant. Each item appears once: under the first theme it
 * has (the first followed theme, for readers who follow some), in edition order.
 */
export function buildVariantModel(text: EditionText, items: ResolvedItem[], themes: ThemeInfo[], variant: Variant): EditionVariantModel {
  const { locale } = variant;
  const view = (item: ResolvedItem): EditionItemView | null => {
    const own = item.content[locale];
    if (own) return { ...own, language: locale };
    const other: Locale = locale === 'nl' ? 'en' : 'nl';
    const fallback = item.content[other];
    return fallback ? { ...fallback, language: other } : null;
  };
  const followed = new Set(variant.themes);
  const sectionsFor = (slugs: ThemeInfo[], pick: (item: ResolvedItem) => string | null | undefined): EditionSection[] =>
    slugs
      .map((theme) => ({ themeSlug: theme.slug, heading: theme.name[locale], items: items.filter((item) => pick(item) === theme.slug).map(view).filter(isItem) }))
      .filter((section) => section.items.length > 0);

  const firstFollowed = (item: ResolvedItem) => item.themes.find((slug) => followed.has(slug));
  const followedSections = sectionsFor(themes.filter((theme) => followed.has(theme.slug)), firstFollowed);
  const rest = items.filter((item) => !firstFollowed(item));
  const known = new Set(themes.map((theme) => theme.slug));
  const firstTheme = (item: ResolvedItem) => (rest.includes(item) ? item.themes.find((slug) => known.has(slug)) : undefined);
  const sections = sectionsFor(themes, firstTheme);
  const unthemed = rest.filter((item) => !item.themes.some((slug) => known.has(slug))).map(view).filter(isItem);
  if (unthemed.length > 0) sections.push({ themeSlug: null, heading: OTHER_HEADING[locale], items: unthemed });

  return { locale, title: text.title[locale], intro: text.intro[locale], preheader: text.preheader[locale], followed: followedSections, sections };
}

function isItem(item: EditionItemView | null): item is EditionItemView {
  return item !== null;
}
