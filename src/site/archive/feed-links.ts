import type { Locale } from '../../core/domain/locale';

/** The feeds' addresses and their autodiscovery links, for every page that offers them (archive, reading pages). */
export type FeedName = 'articles' | 'archive';

export function feedPath(feed: FeedName, locale: Locale): string {
  return `/feeds/${feed}.xml?lang=${locale}`;
}

const TITLES: Record<Locale, Record<FeedName, string>> = {
  nl: { articles: 'Nieuws (RSS)', archive: 'Nieuwsbrieven (RSS)' },
  en: { articles: 'News (RSS)', archive: 'Newsletters (RSS)' },
};

export function feedTitle(feed: FeedName, locale: Locale): string {
  return TITLES[locale][feed];
}

/** `<link rel="alternate" type="application/rss+xml">` entries for renderLayout's headLinks: both feeds in the page's language. */
export function feedHeadLinks(locale: Locale, publicUrl: string): Array<{ rel: string; href: string; type: string; title: string }> {
  return (['articles', 'archive'] as const).map((feed) => ({
    rel: 'alternate',
    type: 'application/rss+xml',
    href: `${publicUrl}${feedPath(feed, locale)}`,
    title: feedTitle(feed, locale),
  }));
}
