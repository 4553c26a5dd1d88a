import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/core/domain/locale';
import { renderArticlePage, renderResourcePage } from '../../src/site/reading/item-pages';
import { renderHomePage, renderNotFoundPage, renderThemePage } from '../../src/site/reading/listing-pages';
import { renderInline, renderMarkdown, safeLinkTarget } from '../../src/site/reading/markdown';
import type { ArticlePage, ReadingContext, ResourcePage, ResourceSummary } from '../../src/site/reading/model';
import { itemPath, localeOfPath, readSlug } from '../../src/core/links';
import { renderSitemap } from '../../src/site/reading/sitemap';

const XSS = '"><script>alert(1)</script>';
const BASE = 'https://cms.example.org';
const ctx = (locale: Locale): ReadingContext => ({
  locale,
  networkName: 'Zorgnetwerk & Co',
  privacyUrl: `${BASE}/newsletter/privacy?lang=${locale}`,
  publicUrl: BASE,
});

const article = (overrides: Partial<ArticlePage> = {}): ArticlePage => ({
  type: 'article',
  documentId: 'a1',
  slug: 'lerend-netwerk',
  locale: 'nl',
  title: 'Lerend netwerk afgerond',
  summary: 'Zes maanden Actieleren.',
  date: '2024-04-24',
  body: '## Zes maanden\n\nTekst.',
  themes: [{ slug: 'verandermanagement', name: 'Verandermanagement', locale: 'nl' }],
  cover: null,
  slugs: { nl: 'lerend-netwerk', en: 'learning-network' },
  ...overrides,
});

const part = (slug: string, overrides: Partial<ResourceSummary> = {}): ResourceSummary => ({
  type: 'resource',
  documentId: slug,
  slug,
  locale: 'nl',
  title: `Titel ${slug}`,
  description: null,
  kind: 'tool',
  date: '2024-10-01',
  ...overrides,
});

const bundle = (overrides: Partial<ResourcePage> = {}): ResourcePage => ({
  ...part('inspiratiebundel', { kind: 'bundle', title: 'Inspiratiebundel', description: 'Alles bij elkaar.' }),
  url: null,
  fileUrl: null,
  themes: [],
  items: [part('checklist'), part('handboek', { kind: 'book' })],
  bundles: [],
  locales: ['nl', 'en'],
  ...overrides,
});

const head = (page: string) => page.slice(0, page.indexOf('</head>'));

describe('article page', () => {
  it('has the title, date, summary, body with headings below the h1, themes linked, lang, canonical and alternates', () => {
    const page = renderArticlePage(ctx('nl'), article());
    expect(page).toContain('<html lang="nl">');
    expect(page).toContain('<h1>Lerend netwerk afgerond</h1>');
    expect(page).toContain('<time datetime="2024-04-24">24 april 2024</time>');
    expect(page).toContain('<h2>Zes maanden</h2>');
    expect(page).toContain('<a href="/themas/verandermanagement">Verandermanagement</a>');
    expect(head(page)).toContain(`<link rel="canonical" href="${BASE}/nieuws/lerend-netwerk">`);
    expect(head(page)).toContain(`<link rel="alternate" href="${BASE}/nieuws/lerend-netwerk" hreflang="nl">`);
    expect(head(page)).toContain(`<link rel="alternate" href="${BASE}/en/news/learning-network" hreflang="en">`);
    expect(head(page)).toContain(`<link rel="alternate" href="${BASE}/nieuws/lerend-netwerk" hreflang="x-default">`);
    expect(head(page)).toContain(`<link rel="alternate" href="${BASE}/feeds/articles.xml?lang=nl" type="application/rss+xml" title="Nieuws (RSS)">`);
    expect(head(page)).toContain('<meta property="og:type" content="article">');
    expect(head(page)).toContain('<meta property="og:locale" content="nl_NL">');
    expect(head(page)).toContain('<meta property="og:locale:alternate" content="en_GB">');
    expect(head(page)).not.toContain('noindex');
    expect(page).toContain('<a href="/en/news/learning-network" lang="en" hreflang="en">Read in English</a>');
  });

  it('escapes every text of the content, in the page and in its head', () => {
    const page = renderArticlePage(
      ctx('en'),
      article({
        locale: 'en',
        title: XSS,
        summary: XSS,
        body: XSS,
        coverAlt: undefined,
        cover: { url: '/uploads/a.jpg', alt: XSS },
        themes: [{ slug: 'x', name: XSS, locale: 'en' }],
      } as never),
    );
    expect(page).not.toContain('<script>');
    expect(page).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain(`<img src="${BASE}/uploads/a.jpg" alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">`);
    expect(head(page)).toContain(`<meta property="og:image" content="${BASE}/uploads/a.jpg">`);
  });

  it("shown at the other locale's URL: page chrome in the URL's locale, content with lang, a note, canonical to its own page", () => {
    const page = renderArticlePage(ctx('nl'), article({ locale: 'en', slug: 'visit', title: 'A visit', slugs: { en: 'visit' } }));
    expect(page).toContain('<html lang="nl">');
    expect(page).toContain('<p class="language-note">Alleen in het Engels</p>');
    expect(page).toContain('<article lang="en">');
    expect(page).toContain('Published on <time datetime="2024-04-24">24 April 2024</time>');
    expect(head(page)).toContain(`<link rel="canonical" href="${BASE}/en/news/visit">`);
    expect(head(page)).not.toContain('hreflang="nl"');
    expect(page).not.toContain('Lees in het Nederlands');
  });
});

describe('resource and bundle pages', () => {
  it('a bundle lists its contents, each linking to its own resource page', () => {
    const page = renderResourcePage(ctx('nl'), bundle());
    expect(page).toContain('<h1>Inspiratiebundel</h1>');
    expect(page).toContain('<h2>In deze bundel</h2>');
    expect(page).toContain('<a href="/inspiratie/checklist">Titel checklist</a>');
    expect(page).toContain('<a href="/inspiratie/handboek">Titel handboek</a>');
    expect(page).toContain('boek · <time');
    expect(head(page)).toContain(`<link rel="alternate" href="${BASE}/en/resources/inspiratiebundel" hreflang="en">`);
  });

  it("shows a resource's image with its size and alt text, and offers it to link previews", () => {
    const page = renderResourcePage(ctx('nl'), bundle({ image: { url: '/uploads/medium_bundel.jpg', width: 640, height: 427, alt: 'Mensen rond een tafel' } }));
    expect(page).toContain(`<figure class="cover"><img src="${BASE}/uploads/medium_bundel.jpg" alt="Mensen rond een tafel" width="640" height="427"></figure>`);
    expect(head(page)).toContain(`${BASE}/uploads/medium_bundel.jpg`);
    expect(renderResourcePage(ctx('nl'), bundle())).not.toContain('<figure');
  });

  it('a resource opens its link; a file is opened from the CMS; a javascript: URL never becomes a link', () => {
    const tool = bundle({
      kind: 'tool',
      url: 'https://example.org/tool',
      items: [],
      bundles: [part('inspiratiebundel', { kind: 'bundle', title: 'De bundel' })],
    });
    const page = renderResourcePage(ctx('en'), { ...tool, locale: 'en' });
    expect(page).toContain('<a class="button-link" href="https://example.org/tool">Open the tool</a>');
    expect(page).toContain('<h2>Part of</h2>');
    expect(page).not.toContain('In this bundle');
    expect(renderResourcePage(ctx('nl'), bundle({ kind: 'report', fileUrl: '/uploads/r.pdf', items: [] }))).toContain(
      `href="${BASE}/uploads/r.pdf">Open het bestand</a>`,
    );
    expect(renderResourcePage(ctx('nl'), bundle({ kind: 'tool', url: 'javascript:alert(1)', items: [] }))).not.toContain('javascript:');
  });
});

describe('theme, home and 404 pages', () => {
  it('a theme page lists its items; one in the other locale has lang and a note', () => {
    const page = renderThemePage(ctx('nl'), {
      slug: 'verandermanagement',
      locale: 'nl',
      name: 'Verandermanagement',
      description: 'Veranderen <samen>',
      locales: ['nl', 'en'],
      items: [article({ locale: 'en', slug: 'visit', title: 'A visit' }), part('video', { kind: 'video' })],
    });
    expect(page).toContain('<h1>Verandermanagement</h1>');
    expect(page).toContain('Veranderen &lt;samen&gt;');
    expect(page).toContain('<h3 lang="en"><a href="/en/news/visit">A visit</a></h3>');
    expect(page).toContain('Alleen in het Engels');
    expect(page).toContain('<a href="/inspiratie/video">Titel video</a>');
    expect(head(page)).toContain(`<link rel="canonical" href="${BASE}/themas/verandermanagement">`);
  });

  it.each(['nl', 'en'] as const)('the %s home page links the archive and the sign-up form in its locale', (locale) => {
    const page = renderHomePage(ctx(locale), { news: [], themes: [], bundles: [] });
    expect(page).toContain(`<html lang="${locale}">`);
    expect(page).toContain(`href="/newsletter?lang=${locale}"`);
    expect(page).toContain(`href="/newsletter/archive?lang=${locale}"`);
    expect(page).toContain('Zorgnetwerk &amp; Co');
    expect(head(page)).toContain(`<link rel="canonical" href="${BASE}${locale === 'nl' ? '/' : '/en'}">`);
    expect(head(page)).toContain(`<link rel="alternate" href="${BASE}/" hreflang="x-default">`);
  });

  it.each([
    ['nl', 'Pagina niet gevonden', 'Naar de voorpagina', 'href="/"'],
    ['en', 'Page not found', 'Go to the home page', 'href="/en"'],
  ] as const)('the 404 page in %s', (locale, title, next, home) => {
    const page = renderNotFoundPage(ctx(locale));
    expect(page).toContain(`<html lang="${locale}">`);
    expect(page).toContain(`<h1>${title}</h1>`);
    expect(page).toContain(`<a ${home}>${next}</a>`);
    expect(page).toContain('<meta name="robots" content="noindex">');
    expect(page).not.toContain('rel="canonical"');
  });
});

describe('Markdown bodies', () => {
  it('renders what the editor writes: headings, lists, quotes, code, emphasis, links', () => {
    const out = renderMarkdown(
      '# Kop\n\nEen **vet** en *schuin* woord, `code` en [een link](https://example.org/a?b=1&c=2).\n\n- een\n- twee\n  vervolg\n\n1. eerste\n2. tweede\n\n> geciteerd\n\n```\n<b>code</b>\n```\n\n---',
    ).value;
    expect(out).toContain('<h2>Kop</h2>');
    expect(out).toContain('<strong>vet</strong>');
    expect(out).toContain('<em>schuin</em>');
    expect(out).toContain('<code>code</code>');
    expect(out).toContain('<a href="https://example.org/a?b=1&amp;c=2">een link</a>');
    expect(out).toContain('<ul><li>een</li><li>twee\nvervolg</li></ul>');
    expect(out).toContain('<ol><li>eerste</li><li>tweede</li></ol>');
    expect(out).toContain('<blockquote><p>geciteerd</p></blockquote>');
    expect(out).toContain('<pre><code>&lt;b&gt;code&lt;/b&gt;</code></pre>');
    expect(out).toContain('<hr>');
  });

  it('keeps headings in order below the page heading', () => {
    expect(renderMarkdown('### Diep\n\n#### Dieper').value).toBe('<h2>Diep</h2>\n<h3>Dieper</h3>');
  });

  it('shows HTML as text and drops unsafe link targets', () => {
    const out = renderMarkdown(
      `<img src=x onerror=alert(1)> ${XSS}\n\n[klik](javascript:alert(1)) [script](javascript:void) [data](data:text/html,x) ![foto](https://tracker.example/p.gif) ![logo](/uploads/logo.png)`,
    ).value;
    expect(out).not.toMatch(/<(?:script|img src=x)/);
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).not.toContain('href="javascript:');
    expect(out).toContain(' script ');
    expect(out).not.toContain('href="data:');
    expect(out).toContain('<a href="https://tracker.example/p.gif">foto</a>');
    expect(out).toContain('<img src="/uploads/logo.png" alt="logo">');
    expect(renderInline('[x](https://a.example/" onmouseover="y)')).not.toContain('" onmouseover');
    expect(safeLinkTarget('//evil.example/')).toBeNull();
    expect(safeLinkTarget('/\\evil.example/')).toBeNull();
    expect(renderMarkdown('[a](/\\evil.example) <javascript:alert(1)> [b][r]\n\n[r]: data:text/html,x').value).toBe(
      '<p><a href="/%5Cevil.example">a</a> javascript:alert(1) b</p>',
    );
    expect(safeLinkTarget('mailto:redactie@example.org')).toBe('mailto:redactie@example.org');
  });
});

describe('paths and sitemap', () => {
  it('reads only slugs that can be stored', () => {
    expect(readSlug('lerend-netwerk-2024')).toBe('lerend-netwerk-2024');
    for (const bad of ['', 'a/b', '../etc', 'café', "a'b", 'a b', '<x>', 'a'.repeat(241), undefined, 42]) expect(readSlug(bad)).toBeNull();
    expect(itemPath('resource', 'en', 'handboek')).toBe('/en/resources/handboek');
    expect(localeOfPath('/en/news/x')).toBe('en');
    expect(localeOfPath('/en')).toBe('en');
    expect(localeOfPath('/english')).toBe('nl');
  });

  it('lists every version with its hreflang alternates, escaped', () => {
    const xml = renderSitemap([
      { versions: { nl: `${BASE}/nieuws/a`, en: `${BASE}/en/news/b&c` }, lastModified: '2024-05-01T10:00:00.000Z' },
      { versions: { en: `${BASE}/en/news/only` }, lastModified: null },
    ]);
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9" xmlns:xhtml="http:\/\/www.w3.org\/1999\/xhtml">/,
    );
    expect(xml.match(/<url>/g)).toHaveLength(3);
    expect(xml).toContain(`<loc>${BASE}/en/news/b&amp;c</loc>\n    <lastmod>2024-05-01</lastmod>`);
    expect(xml).toContain(`<xhtml:link rel="alternate" hreflang="nl" href="${BASE}/nieuws/a"/>`);
    expect(xml).toContain(`<xhtml:link rel="alternate" hreflang="x-default" href="${BASE}/nieuws/a"/>`);
    expect(xml).toContain(`<url>\n    <loc>${BASE}/en/news/only</loc>\n  </url>`);
  });
});
