/** The public archive of sent mailings: a pure render function, nl/en, like the subscription pages. */
import type { ArchiveEntry, ArchivePage } from './listing';
import { archivePath } from './listing';
import { feedHeadLinks } from './feed-links';
import { html, safeUrl } from '../../core/web/html';
import { renderLayout } from '../page-layout';
import type { PageContext } from '../subscription/subscription-pages';
import type { Locale } from '../../core/domain/locale';

const OTHER: Record<Locale, Locale> = { nl: 'en', en: 'nl' };

const STRINGS = {
  nl: {
    archiveTitle: 'Nieuwsbriefarchief',
    archiveIntro: 'Alle nieuwsbrieven en extra mailings die het netwerk verstuurde, de nieuwste eerst.',
    kinds: { edition: 'Nieuwsbrief', campaign: 'Extra mailing' },
    empty: 'Er is nog geen nieuwsbrief verstuurd.',
    outOfRange: (pages: number) => `Deze pagina bestaat niet: het archief heeft ${pages === 1 ? '1 pagina' : `${pages} pagina's`}.`,
    badPage: 'Dit paginanummer klopt niet.',
    firstPage: 'Naar de eerste pagina',
    pageOf: (page: number, pages: number) => `Pagina ${page} van ${pages}`,
    previous: 'Vorige pagina',
    next: 'Volgende pagina',
    pagination: 'Paginering',
    feeds: 'Volg de nieuwsbrieven met RSS',
    subscribe: 'Abonneer je op de nieuwsbrief',
  },
  en: {
    archiveTitle: 'Newsletter archive',
    archiveIntro: 'Every newsletter and extra mailing the network sent, newest first.',
    kinds: { edition: 'Newsletter', campaign: 'Extra mailing' },
    empty: 'No newsletter has been sent yet.',
    outOfRange: (pages: number) => `This page does not exist: the archive has ${pages === 1 ? '1 page' : `${pages} pages`}.`,
    badPage: 'This page number is not valid.',
    firstPage: 'Go to the first page',
    pageOf: (page: number, pages: number) => `Page ${page} of ${pages}`,
    previous: 'Previous page',
    next: 'Next page',
    pagination: 'Pagination',
    feeds: 'Follow the newsletters with RSS',
    subscribe: 'Subscribe to the newsletter',
  },
} as const;

export interface ArchivePageInput {
  /** The CMS's public URL, for canonical and feed links. */
  publicUrl: string;
  timeZone: string;
  /** A page of entries, a page past the end, or a page number that is not one. */
  result: ArchivePage<ArchiveEntry> | { kind: 'bad-page' };
}

export function renderArchivePage(ctx: PageContext, input: ArchivePageInput): string {
  const s = STRINGS[ctx.locale];
  const date = new Intl.DateTimeFormat(ctx.locale === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: input.timeZone });
  const result = input.result;
  const page = result.kind === 'page' ? result.page : 1;
  const self = `${input.publicUrl}${archivePath(ctx.locale, page)}`;
  // The two languages' archives list different mailings, so only their first pages are each other's translation.
  const alternates =
    page === 1
      ? [
          { rel: 'alternate', hreflang: ctx.locale, href: self },
          { rel: 'alternate', hreflang: OTHER[ctx.locale], href: `${input.publicUrl}${archivePath(OTHER[ctx.locale])}` },
        ]
      : [];
  const headLinks = [{ rel: 'canonical', href: self }, ...alternates, ...feedHeadLinks(ctx.locale, input.publicUrl)];
  const metaProperties = [
    { property: 'og:type', content: 'website' },
    { property: 'og:title', content: `${s.archiveTitle} – ${ctx.networkName}` },
    { property: 'og:url', content: self },
    { property: 'og:locale', content: ctx.locale === 'nl' ? 'nl_NL' : 'en_GB' },
  ];

  let content;
  if (result.kind === 'bad-page' || result.kind === 'out-of-range') {
    content = html`<p class="notice" role="status">${result.kind === 'bad-page' ? s.badPage : s.outOfRange(result.pages)}</p>
<p><a href="${archivePath(ctx.locale)}">${s.firstPage}</a></p>
`;
  } else if (result.total === 0) {
    content = html`<p>${s.empty}</p>
`;
  } else {
    const items = result.items.map(
      (entry) => html`<li><h2><a href="${safeUrl(entry.path)}">${entry.title}</a></h2>
<p class="hint">${s.kinds[entry.kind]} · <time datetime="${entry.sentAt.toISOString()}">${date.format(entry.sentAt)}</time></p>
${
  entry.summary &&
  html`<p>${entry.summary}</p>
`
}</li>
`,
    );
    const previous = result.page > 1 && html`<a href="${archivePath(ctx.locale, result.page - 1)}" rel="prev">${s.previous}</a>`;
    const next = result.page < result.pages && html`<a href="${archivePath(ctx.locale, result.page + 1)}" rel="next">${s.next}</a>`;
    content = html`<ol class="archive">
${items}</ol>
${
  result.pages > 1 &&
  html`<nav aria-label="${s.pagination}"><p>${s.pageOf(result.page, result.pages)}</p>
<p>${previous}${previous && next && ' · '}${next}</p></nav>
`
}`;
  }

  const body = html`<h1>${s.archiveTitle}</h1>
<p>${s.archiveIntro}</p>
${content}<p><a href="${`/newsletter?lang=${ctx.locale}`}">${s.subscribe}</a> · <a href="${feedHeadLinks(ctx.locale, '')[1].href}" type="application/rss+xml">${s.feeds}</a></p>
`;
  return renderLayout({
    locale: ctx.locale,
    title: result.kind === 'page' && result.page > 1 ? `${s.archiveTitle} (${s.pageOf(result.page, result.pages)})` : s.archiveTitle,
    networkName: ctx.networkName,
    privacyUrl: ctx.privacyUrl,
    body,
    // Only real pages belong in search engines; an error message does not.
    indexable: result.kind === 'page',
    languageSwitch: { href: archivePath(OTHER[ctx.locale]), locale: OTHER[ctx.locale] },
    headLinks,
    metaProperties,
  });
}
