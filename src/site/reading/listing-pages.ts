/**
 * The pages that list items: a theme page (its description, its published articles and
 * resources, newest first), the home page (latest news, the themes, the bundles, the newsletter),
 * and the 404 page in the language of the URL. Pure: models in, HTML out.
 */
import { html } from '../../core/web/html';
import { renderLayout } from '../page-layout';
import type { HomePage, ReadingContext, ThemePage } from './model';
import { breadcrumb, itemList, langAttribute, languageNote, renderReadingPage } from './page';
import { archivePath, homePath, itemPath, signupPath } from '../../core/links';
import { readingStrings } from './strings';

export function renderThemePage(context: ReadingContext, theme: ThemePage): string {
  const { locale } = context;
  const t = readingStrings(theme.locale);
  const versions = Object.fromEntries(theme.locales.map((version) => [version, itemPath('theme', version, theme.slug)]));
  const body = html`${breadcrumb(locale, theme.name)}${languageNote(locale, theme.locale)}<div${langAttribute(locale, theme.locale)}>
<h1>${theme.name}</h1>
${
  theme.description
    ? html`<p class="lede">${theme.description}</p>
`
    : ''
}<h2>${t.themeItems}</h2>
${
  theme.items.length > 0
    ? itemList(theme.locale, theme.items)
    : html`<p>${t.noThemeItems}</p>
`
}</div>
`;
  return renderReadingPage({
    context,
    title: theme.name,
    description: theme.description ?? theme.name,
    ogType: 'website',
    versions,
    canonicalPath: itemPath('theme', theme.locale, theme.slug),
    body,
  });
}

export function renderHomePage(context: ReadingContext, home: HomePage): string {
  const { locale } = context;
  const s = readingStrings(locale);
  const body = html`<h1>${s.home.title}</h1>
<p class="lede">${s.home.intro(context.networkName)}</p>
<h2>${s.home.latestNews}</h2>
${
  home.news.length > 0
    ? itemList(locale, home.news)
    : html`<p>${s.home.noNews}</p>
`
}${
    home.bundles.length > 0
      ? html`<h2>${s.home.bundles}</h2>
${itemList(locale, home.bundles)}`
      : ''
  }${
    home.themes.length > 0
      ? html`<h2>${s.home.themes}</h2>
<ul class="item-list">
${home.themes.map(
  (theme) => html`<li${langAttribute(locale, theme.locale)}><h3><a href="${itemPath('theme', theme.locale, theme.slug)}">${theme.name}</a></h3>
${
  theme.description
    ? html`<p>${theme.description}</p>
`
    : ''
}</li>
`,
)}</ul>
`
      : ''
  }<h2>${s.home.newsletter}</h2>
<ul>
<li><a href="${signupPath(locale)}">${s.home.signup}</a></li>
<li><a href="${archivePath(locale)}">${s.home.archive}</a></li>
</ul>
`;
  return renderReadingPage({
    context,
    title: s.home.title,
    description: s.home.intro(context.networkName),
    ogType: 'website',
    versions: { nl: homePath('nl'), en: homePath('en') },
    canonicalPath: homePath(locale),
    body,
  });
}

/** A page that does not exist: said in the URL's locale, not indexed, a way on to the home page. */
/** A page that is not there: a wrong address, or (`previewGone`) a preview link past its time. */
export function renderNotFoundPage(context: ReadingContext, reason: 'notFound' | 'previewGone' | 'linkBroken' = 'notFound'): string {
  const s = readingStrings(context.locale)[reason];
  const body = html`<h1>${s.title}</h1>
<p>${s.text}</p>
<p><a href="${homePath(context.locale)}">${s.next}</a></p>
`;
  return renderLayout({ locale: context.locale, title: s.title, networkName: context.networkName, privacyUrl: context.privacyUrl, body });
}
