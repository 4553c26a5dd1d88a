/**
 * The frame every reading page shares: the layout of the hosted pages (src/core/web/html.ts) with the
 * head a public page needs (canonical URL, hreflang alternates, Open Graph, feed autodiscovery), a
 * breadcrumb, and the pieces that list items.
 */
import type { Locale } from '../../core/domain/locale';
import { html, type SafeHtml } from '../../core/web/html';
import { renderLayout, type LayoutOptions } from '../page-layout';
import type { ItemSummary, ReadingContext, ThemeLink } from './model';
import { homePath, itemPath } from '../../core/links';
import { formatDate, kindLabel, readingStrings } from './strings';
import { feedHeadLinks } from '../archive/feed-links';

export interface ReadingPageOptions {
  context: ReadingContext;
  title: string;
  description: string;
  ogType: 'website' | 'article';
  /** This page's path per locale it is published in: hreflang alternates and the language switch. */
  versions: Partial<Record<Locale, string>>;
  /** The one URL search engines should index; for an item shown in the other locale, its own page. */
  canonicalPath: string;
  body: SafeHtml;
  /** Absolute URL of an image for link previews. */
  image?: string | null;
}

const other = (locale: Locale): Locale => (locale === 'nl' ? 'en' : 'nl');

export function absoluteUrl(context: Pick<ReadingContext, 'publicUrl'>, path: string): string {
  return `${context.publicUrl}${path}`;
}

/** The feeds' autodiscovery links come from the archive-and-feeds side (src/site/archive/feed-links.ts), one list for every page. */
export { feedHeadLinks };

export function pageHead(
  options: Pick<ReadingPageOptions, 'context' | 'title' | 'description' | 'ogType' | 'versions' | 'canonicalPath' | 'image'>,
): Pick<LayoutOptions, 'headLinks' | 'metaProperties'> {
  const { context, versions } = options;
  const canonical = absoluteUrl(context, options.canonicalPath);
  const alternates = (['nl', 'en'] as const).filter((locale) => versions[locale] !== undefined);
  const defaultVersion = versions.nl ?? versions.en;
  const headLinks: NonNullable<LayoutOptions['headLinks']> = [
    { rel: 'canonical', href: canonical },
    ...alternates.map((locale) => ({ rel: 'alternate', hreflang: locale, href: absoluteUrl(context, versions[locale] as string) })),
    ...(defaultVersion !== undefined ? [{ rel: 'alternate', hreflang: 'x-default', href: absoluteUrl(context, defaultVersion) }] : []),
    ...feedHeadLinks(context.locale, context.publicUrl),
  ];
  const s = readingStrings(context.locale);
  const metaProperties = [
    { property: 'og:site_name', content: context.networkName },
    { property: 'og:title', content: options.title },
    { property: 'og:description', content: options.description },
    { property: 'og:type', content: options.ogType },
    { property: 'og:url', content: canonical },
    { property: 'og:locale', content: s.ogLocale },
    ...(versions[other(context.locale)] !== undefined ? [{ property: 'og:locale:alternate', content: readingStrings(other(context.locale)).ogLocale }] : []),
    ...(options.image ? [{ property: 'og:image', content: options.image }] : []),
  ];
  return { headLinks, metaProperties };
}

export function renderReadingPage(options: ReadingPageOptions): string {
  const { context } = options;
  const switchTo = other(context.locale);
  const switchPath = options.versions[switchTo];
  return renderLayout({
    locale: context.locale,
    title: options.title,
    networkName: context.networkName,
    privacyUrl: context.privacyUrl,
    body: options.body,
    indexable: true,
    ...(switchPath !== undefined ? { languageSwitch: { href: switchPath, locale: switchTo } } : {}),
    ...pageHead(options),
  });
}

/** Home, then the current page (not a link). */
export function breadcrumb(locale: Locale, current: string): SafeHtml {
  const s = readingStrings(locale);
  return html`<nav aria-label="${s.breadcrumb}"><ol class="crumbs"><li><a href="${homePath(locale)}">${s.homeLink}</a></li><li aria-current="page">${current}</li></ol></nav>
`;
}

/** Said of an item shown in the other locale, in the page's locale (the mails' "Alleen in het Engels"). */
export function languageNote(pageLocale: Locale, itemLocale: Locale): SafeHtml | '' {
  return itemLocale === pageLocale
    ? ''
    : html`<p class="language-note">${readingStrings(pageLocale).onlyIn[itemLocale]}</p>
`;
}

/** `lang` on content written in another locale than the page's. */
export function langAttribute(pageLocale: Locale, itemLocale: Locale): SafeHtml | '' {
  return itemLocale === pageLocale ? '' : html` lang="${itemLocale}"`;
}

/** An item's own page, in the locale its text is written in (the URL the mails use for it). */
export function itemHref(item: ItemSummary): string {
  return itemPath(item.type, item.locale, item.slug);
}

export function itemList(pageLocale: Locale, items: ItemSummary[], headingLevel: 2 | 3 = 3): SafeHtml {
  const s = readingStrings(pageLocale);
  const level = `h${headingLevel}`;
  return html`<ul class="item-list">
${items.map((item) => {
  const label = item.type === 'article' ? s.news : kindLabel(pageLocale, item.kind);
  const text = item.type === 'article' ? item.summary : item.description;
  return html`<li>
<${level}${langAttribute(pageLocale, item.locale)}><a href="${itemHref(item)}">${item.title}</a></${level}>
<p class="meta">${label} · <time datetime="${item.date}">${formatDate(pageLocale, item.date)}</time></p>
${languageNote(pageLocale, item.locale)}${
    text
      ? html`<p${langAttribute(pageLocale, item.locale)}>${text}</p>
`
      : ''
  }</li>
`;
})}</ul>
`;
}

export function themeLinks(pageLocale: Locale, themes: ThemeLink[]): SafeHtml {
  return html`<ul class="tags">${themes.map((theme) => html`<li><a href="${itemPath('theme', theme.locale, theme.slug)}"${langAttribute(pageLocale, theme.locale)}>${theme.name}</a></li>`)}</ul>
`;
}
