/** Everything a reader sees on the reading pages (home, news, resources, themes), per locale. */
import type { Locale } from '../../core/domain/locale';

import type { ResourceKind } from '../../core/resource-kinds';

export interface ReadingStrings {
  /** For `og:locale`: Open Graph wants a language with a territory. */
  ogLocale: string;
  home: {
    title: string;
    intro: (network: string) => string;
    latestNews: string;
    themes: string;
    bundles: string;
    newsletter: string;
    signup: string;
    archive: string;
    noNews: string;
  };
  breadcrumb: string;
  homeLink: string;
  published: string;
  themes: string;
  /** Said of an item shown in the other locale because it has no version in this one (as in the mails). */
  onlyIn: Record<Locale, string>;
  news: string;
  resource: string;
  kind: Record<ResourceKind, string>;
  open: Record<ResourceKind, string>;
  openFile: string;
  bundleContents: string;
  partOf: string;
  themeItems: string;
  noThemeItems: string;
  coverAlt: string;
  feeds: { articles: string; archive: string };
  notFound: { title: string; text: string; next: string };
  previewGone: { title: string; text: string; next: string };
  linkBroken: { title: string; text: string; next: string };
}

const nl: ReadingStrings = {
  ogLocale: 'nl_NL',
  home: {
    title: 'Nieuws en inspiratie',
    intro: (network) => `Het nieuws, de thema's en de inspiratie van ${network}.`,
    latestNews: 'Laatste nieuws',
    themes: "Thema's",
    bundles: 'Inspiratiebundels',
    newsletter: 'Nieuwsbrief',
    signup: 'Meld je aan voor de nieuwsbrief',
    archive: 'Eerdere nieuwsbrieven in het archief',
    noNews: 'Er is nog geen nieuws.',
  },
  breadcrumb: 'Kruimelpad',
  homeLink: 'Voorpagina',
  published: 'Gepubliceerd op',
  themes: "Thema's",
  onlyIn: { nl: 'Alleen in het Nederlands', en: 'Alleen in het Engels' },
  news: 'Nieuws',
  resource: 'Inspiratie',
  kind: { article: 'artikel', book: 'boek', tool: 'tool', video: 'video', report: 'rapport', bundle: 'inspiratiebundel' },
  open: {
    article: 'Lees het artikel',
    book: 'Bekijk het boek',
    tool: 'Bekijk de tool',
    video: 'Bekijk de video',
    report: 'Lees het rapport',
    bundle: 'Bekijk de bundel',
  },
  openFile: 'Open het bestand',
  bundleContents: 'In deze bundel',
  partOf: 'Onderdeel van',
  themeItems: 'Nieuws en inspiratie over dit thema',
  noThemeItems: 'Over dit thema is nog niets gepubliceerd.',
  coverAlt: 'Afbeelding bij het bericht',
  feeds: { articles: 'Nieuws (RSS)', archive: 'Nieuwsbrieven (RSS)' },
  notFound: {
    title: 'Pagina niet gevonden',
    text: 'Deze pagina bestaat niet (meer). Misschien is het bericht verplaatst of nog niet gepubliceerd.',
    next: 'Naar de voorpagina',
  },
  previewGone: {
    title: 'Voorbeeldlink verlopen',
    text: 'Deze voorbeeldlink werkt niet meer. Open het voorbeeld opnieuw vanuit het beheer.',
    next: 'Naar de voorpagina',
  },
  linkBroken: {
    title: 'Deze link klopt niet',
    text: 'Deze link uit een nieuwsbrief is onvolledig of veranderd, dus we weten niet waar hij heen moet. Probeer de link opnieuw uit de mail te kopiëren, of zoek het bericht op de voorpagina.',
    next: 'Naar de voorpagina',
  },
};

const en: ReadingStrings = {
  ogLocale: 'en_GB',
  home: {
    title: 'News and resources',
    intro: (network) => `The news, themes and resources of ${network}.`,
    latestNews: 'Latest news',
    themes: 'Themes',
    bundles: 'Inspiration bundles',
    newsletter: 'Newsletter',
    signup: 'Sign up for the newsletter',
    archive: 'Past newsletters in the archive',
    noNews: 'There is no news yet.',
  },
  breadcrumb: 'Breadcrumb',
  homeLink: 'Home',
  published: 'Published on',
  themes: 'Themes',
  onlyIn: { nl: 'Only available in Dutch', en: 'Only available in English' },
  news: 'News',
  resource: 'Resource',
  kind: { article: 'article', book: 'book', tool: 'tool', video: 'video', report: 'report', bundle: 'bundle' },
  open: {
    article: 'Read the article',
    book: 'View the book',
    tool: 'Open the tool',
    video: 'Watch the video',
    report: 'Read the report',
    bundle: 'View the bundle',
  },
  openFile: 'Open the file',
  bundleContents: 'In this bundle',
  partOf: 'Part of',
  themeItems: 'News and resources on this theme',
  noThemeItems: 'Nothing has been published on this theme yet.',
  coverAlt: 'Image for the article',
  feeds: { articles: 'News (RSS)', archive: 'Newsletters (RSS)' },
  notFound: {
    title: 'Page not found',
    text: 'This page does not exist (any more). Perhaps the item has moved or has not been published yet.',
    next: 'Go to the home page',
  },
  previewGone: {
    title: 'Preview link expired',
    text: 'This preview link no longer works. Open the preview again from the admin panel.',
    next: 'Go to the home page',
  },
  linkBroken: {
    title: 'This link is not right',
    text: 'This link from a newsletter is incomplete or has been changed, so we do not know where it leads. Try copying the link from the mail again, or look for the item on the home page.',
    next: 'Go to the home page',
  },
};

const STRINGS: Record<Locale, ReadingStrings> = { nl, en };

export function readingStrings(locale: Locale): ReadingStrings {
  return STRINGS[locale];
}

/** A resource kind the schema may gain later still gets a label: the general word. */
export function kindLabel(locale: Locale, kind: string): string {
  return (STRINGS[locale].kind as Record<string, string>)[kind] ?? (locale === 'nl' ? 'bron' : 'resource');
}

export function openLabel(locale: Locale, kind: string): string {
  return (STRINGS[locale].open as Record<string, string>)[kind] ?? (locale === 'nl' ? 'Bekijken' : 'View');
}

/** A publication date (`YYYY-MM-DD` or an ISO time) as readers write it; the calendar date, no time zone shift. */
export function formatDate(locale: Locale, date: string): string {
  const day = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) return date;
  return new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(day);
}
