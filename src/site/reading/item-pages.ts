/**
 * The page of one article and of one resource (a bundle lists its contents). Pure: the page's
 * model in, HTML out. An item shown at the other locale's URL (it has no version in the URL's
 * locale) keeps the page's chrome in the URL's locale, marks its content with `lang` and says so,
 * like the mails do; its canonical URL is its own page.
 */
import { html, type SafeHtml } from '../../core/web/html';
import { renderMarkdown, safeLinkTarget } from './markdown';
import type { ArticlePage, PageImage, ReadingContext, ResourcePage } from './model';
import { absoluteUrl, breadcrumb, itemHref, itemList, langAttribute, languageNote, renderReadingPage, themeLinks } from './page';
import { itemPath } from '../../core/links';
import { formatDate, kindLabel, openLabel, readingStrings } from './strings';

const isAbsolute = (url: string) => /^https?:\/\//i.test(url);

function imageUrl(context: ReadingContext, image: PageImage): string {
  return isAbsolute(image.url) ? image.url : absoluteUrl(context, image.url);
}

/** An item's image with its size (no layout shift while it loads) and its alt text; nothing without one. */
function figure(context: ReadingContext, image: PageImage | null | undefined): SafeHtml | string {
  if (!image) return '';
  const size = image.width && image.height ? html` width="${String(image.width)}" height="${String(image.height)}"` : '';
  return html`<figure class="cover"><img src="${imageUrl(context, image)}" alt="${image.alt ?? ''}"${size}></figure>
`;
}

export function renderArticlePage(context: ReadingContext, article: ArticlePage): string {
  const { locale } = context;
  // Inside the article everything is in the article's own locale; around it, the page's.
  const t = readingStrings(article.locale);
  const lang = langAttribute(locale, article.locale);
  const coverUrl = article.cover ? imageUrl(context, article.cover) : null;
  const versions = Object.fromEntries(Object.entries(article.slugs).map(([version, slug]) => [version, itemPath('article', version as never, slug as string)]));
  const body = html`${breadcrumb(locale, article.title)}${languageNote(locale, article.locale)}<article${lang}>
<h1>${article.title}</h1>
<p class="meta">${t.published} <time datetime="${article.date}">${formatDate(article.locale, article.date)}</time></p>
<p class="lede">${article.summary}</p>
${figure(context, article.cover)}<div class="article-body">
${renderMarkdown(article.body, { topHeadingLevel: 2 })}
</div>
${
  article.themes.length > 0
    ? html`<h2>${t.themes}</h2>
${themeLinks(article.locale, article.themes)}`
    : ''
}</article>
`;
  return renderReadingPage({
    context,
    title: article.title,
    description: article.summary,
    ogType: 'article',
    versions,
    canonicalPath: itemHref(article),
    image: coverUrl,
    body,
  });
}

export function renderResourcePage(context: ReadingContext, resource: ResourcePage): string {
  const { locale } = context;
  const t = readingStrings(resource.locale);
  const lang = langAttribute(locale, resource.locale);
  // The schema only takes http(s) links; checked again here, so no other scheme becomes a button.
  const stored = resource.url ?? (resource.fileUrl ? (isAbsolute(resource.fileUrl) ? resource.fileUrl : absoluteUrl(context, resource.fileUrl)) : null);
  const target = stored ? safeLinkTarget(stored) : null;
  const openText = resource.url ? openLabel(resource.locale, resource.kind) : t.openFile;
  const versions = Object.fromEntries(resource.locales.map((version) => [version, itemPath('resource', version, resource.slug)]));
  const body = html`${breadcrumb(locale, resource.title)}${languageNote(locale, resource.locale)}<article${lang}>
<h1>${resource.title}</h1>
<p class="meta">${kindLabel(resource.locale, resource.kind)} · <time datetime="${resource.date}">${formatDate(resource.locale, resource.date)}</time></p>
${figure(context, resource.image)}${
    resource.description
      ? html`<p class="lede">${resource.description}</p>
`
      : ''
  }${
    target
      ? html`<p><a class="button-link" href="${target}">${openText}</a></p>
`
      : ''
  }${
    resource.kind === 'bundle'
      ? html`<h2>${t.bundleContents}</h2>
${itemList(resource.locale, resource.items)}`
      : ''
  }${
    resource.bundles.length > 0
      ? html`<h2>${t.partOf}</h2>
${itemList(resource.locale, resource.bundles)}`
      : ''
  }${
    resource.themes.length > 0
      ? html`<h2>${t.themes}</h2>
${themeLinks(resource.locale, resource.themes)}`
      : ''
  }</article>
`;
  return renderReadingPage({
    context,
    title: resource.title,
    description: resource.description ?? `${kindLabel(resource.locale, resource.kind)} – ${resource.title}`,
    ogType: 'article',
    versions,
    canonicalPath: itemHref(resource),
    image: resource.image ? imageUrl(context, resource.image) : null,
    body,
  });
}
