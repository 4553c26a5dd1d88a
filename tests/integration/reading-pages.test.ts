import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { articles as demoArticles, resources as demoResources, themes as demoThemes } from '../../database/seed/demo-content';
import { readMailSettings } from '../../src/settings/mail';
import { readMailingConfig } from '../../src/settings/mailings';
import { publishedCandidates, resolveItems } from '../../src/mailings/edition/edition-content';
import { useCms } from '../support/harness';
import { adminSessionTokenFor } from '../support/admin-session';
import { previewUrl } from '../../src/site/reading/preview';
import { PREVIEW_TOKEN_SECONDS } from '../../src/core/domain/preview-token';
import { cmsServices } from '../../src/app/cms';

// xml2js comes with the rss-parser dev dependency: a real XML parser for the sitemap.
const xml2js = createRequire(__filename)('xml2js') as { parseStringPromise(xml: string): Promise<any> };

const app = useCms({ name: 'reading-pages', listen: true, seed: true });

const [mainArticle] = demoArticles;
const draftArticle = demoArticles.find((article) => !article.published)!;
const bundle = demoResources.find((resource) => resource.kind === 'bundle')!;
/** Written only in English: the Dutch pages show it in English with a note, as the mails do. */
const englishOnly = {
  slug: 'visit-from-a-partner-network',
  title: 'A visit from a partner network',
  summary: 'Colleagues from Leeds came to see how we learn together.',
  body: 'They stayed for **two days**.\n\n<script>alert(1)</script>',
};

async function get(path: string): Promise<{ status: number; text: string; response: Response }> {
  const response = await fetch(`${app.url}${path}`, { redirect: 'manual' });
  return { status: response.status, text: await response.text(), response };
}

const h1 = (text: string) => /<h1>([\s\S]*?)<\/h1>/.exec(text)?.[1];
const htmlLang = (text: string) => /<html lang="([^"]+)"/.exec(text)?.[1];
const links = (text: string, rel: string) =>
  [...text.matchAll(new RegExp(`<link rel="${rel}" href="([^"]+)"(?: hreflang="([^"]+)")?(?: type="([^"]+)")?`, 'g'))].map((m) => ({
    href: m[1],
    hreflang: m[2],
    type: m[3],
  }));
const meta = (text: string, property: string) => new RegExp(`<meta property="${property}" content="([^"]*)">`).exec(text)?.[1];

beforeAll(async () => {
  await app.strapi
    .documents('api::article.article')
    .create({ locale: 'en', status: 'published', data: { ...englishOnly, publicationDate: '2024-07-01' } } as never);
});

describe('the home page', () => {
  it.each([
    ['/', 'nl', 'Nieuws en inspiratie'],
    ['/en', 'en', 'News and resources'],
  ] as const)('%s: latest news, themes, the bundle, sign-up and archive in %s', async (path, locale, title) => {
    const { status, text } = await get(path);
    expect(status).toBe(200);
    expect(htmlLang(text)).toBe(locale);
    expect(h1(text)).toBe(title);
    const articlePath = locale === 'nl' ? '/nieuws/' : '/en/news/';
    for (const article of demoArticles.filter((a) => a.published)) expect(text).toContain(`href="${articlePath}${article.slug[locale]}"`);
    expect(text).not.toContain(draftArticle.title[locale]);
    for (const theme of demoThemes) expect(text).toContain(`href="${locale === 'nl' ? '/themas/' : '/en/themes/'}${theme.slug}"`);
    expect(text).toContain(`href="${locale === 'nl' ? '/inspiratie/' : '/en/resources/'}${bundle.slug}"`);
    expect(text).toContain(`href="/newsletter?lang=${locale}"`);
    expect(text).toContain(`href="/newsletter/archive?lang=${locale}"`);
    expect(
      links(text, 'alternate')
        .filter((link) => link.type === 'application/rss+xml')
        .map((link) => link.href),
    ).toEqual([`${app.url}/feeds/articles.xml?lang=${locale}`, `${app.url}/feeds/archive.xml?lang=${locale}`]);
  });

  it('the Dutch home lists the English-only article in English, marked, linked to its English page', async () => {
    const { text } = await get('/');
    expect(text).toContain(`<h3 lang="en"><a href="/en/news/${englishOnly.slug}">${englishOnly.title}</a></h3>`);
    expect(text).toContain('Alleen in het Engels');
  });

  it('answers HEAD, and ignores a query string it has no use for', async () => {
    expect((await fetch(`${app.url}/en`, { method: 'HEAD' })).status).toBe(200);
    expect((await get('/?filters[$eq][$eq]=x&lang[]=en')).status).toBe(200);
    expect((await get(`/nieuws/${mainArticle.slug.nl}?utm_source=nieuwsbrief`)).status).toBe(200);
  });

  it('is no longer a redirect to the admin login, and /admin still is the admin panel', async () => {
    expect((await get('/')).response.headers.get('location')).toBeNull();
    const admin = await get('/admin');
    expect(admin.status).toBe(200);
    expect(admin.text).not.toContain('Nieuws en inspiratie');
    expect((await get('/admin/init')).status).toBe(200);
  });
});

describe('article pages', () => {
  it.each(['nl', 'en'] as const)('%s: title, date, summary, body, themes, canonical, hreflang, Open Graph', async (locale) => {
    const path = `${locale === 'nl' ? '/nieuws' : '/en/news'}/${mainArticle.slug[locale]}`;
    const { status, text, response } = await get(path);
    expect(status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(htmlLang(text)).toBe(locale);
    expect(h1(text)).toBe(mainArticle.title[locale]);
    expect(text).toContain('datetime="2024-04-24"');
    expect(text).toContain(locale === 'nl' ? '24 april 2024' : '24 April 2024');
    expect(text).toContain(mainArticle.summary[locale]);
    expect(text).toContain(`<h2>${locale === 'nl' ? 'Zes maanden Actieleren' : 'Six months of action learning'}</h2>`);
    expect(text).toMatch(/<ul><li>(Meten van leercultuur|Measuring learning culture)<\/li>/);
    for (const theme of mainArticle.themes) expect(text).toContain(`href="${locale === 'nl' ? '/themas/' : '/en/themes/'}${theme}"`);
    expect(links(text, 'canonical')).toEqual([{ href: `${app.url}${path}`, hreflang: undefined, type: undefined }]);
    const alternates = links(text, 'alternate').filter((link) => link.hreflang);
    expect(alternates).toEqual([
      { href: `${app.url}/nieuws/${mainArticle.slug.nl}`, hreflang: 'nl', type: undefined },
      { href: `${app.url}/en/news/${mainArticle.slug.en}`, hreflang: 'en', type: undefined },
      { href: `${app.url}/nieuws/${mainArticle.slug.nl}`, hreflang: 'x-default', type: undefined },
    ]);
    expect(meta(text, 'og:title')).toBe(mainArticle.title[locale]);
    expect(meta(text, 'og:type')).toBe('article');
    expect(meta(text, 'og:url')).toBe(`${app.url}${path}`);
    expect(meta(text, 'og:locale')).toBe(locale === 'nl' ? 'nl_NL' : 'en_GB');
    expect(meta(text, 'og:description')).toBeTruthy();
    expect(text).not.toContain('name="robots"');
  });

  it("the other language's slug redirects to the article's own slug in this language", async () => {
    const { status, response } = await get(`/nieuws/${mainArticle.slug.en}`);
    expect(status).toBe(301);
    expect(response.headers.get('location')).toBe(`/nieuws/${mainArticle.slug.nl}`);
  });

  it('an English-only article: its own page, and at the Dutch URL in English with lang and a note, canonical to its page', async () => {
    const own = await get(`/en/news/${englishOnly.slug}`);
    expect(own.status).toBe(200);
    expect(own.text).not.toContain('Only available');
    expect(own.text).toContain('<strong>two days</strong>');
    expect(own.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(own.text).not.toContain('<script>');
    const shown = await get(`/nieuws/${englishOnly.slug}`);
    expect(shown.status).toBe(200);
    expect(htmlLang(shown.text)).toBe('nl');
    expect(shown.text).toContain('<p class="language-note">Alleen in het Engels</p>');
    expect(shown.text).toContain('<article lang="en">');
    expect(links(shown.text, 'canonical')[0].href).toBe(`${app.url}/en/news/${englishOnly.slug}`);
  });

  it.each(['nl', 'en'] as const)('the draft article is a 404 in %s', async (locale) => {
    expect((await get(`${locale === 'nl' ? '/nieuws' : '/en/news'}/${draftArticle.slug[locale]}`)).status).toBe(404);
  });
});

describe('resource and bundle pages', () => {
  it.each(['nl', 'en'] as const)('%s: a resource with its kind, description, link and the bundle it is part of', async (locale) => {
    const resource = demoResources.find((r) => r.slug === 'handboek-actieleren')!;
    const { status, text } = await get(`${locale === 'nl' ? '/inspiratie' : '/en/resources'}/${resource.slug}`);
    expect(status).toBe(200);
    expect(htmlLang(text)).toBe(locale);
    expect(h1(text)).toBe(resource.title[locale]);
    expect(text).toContain(locale === 'nl' ? 'boek' : 'book');
    expect(text).toContain(resource.description[locale]);
    expect(text).toContain(`<a class="button-link" href="${resource.url}">${locale === 'nl' ? 'Bekijk het boek' : 'View the book'}</a>`);
    expect(text).toContain(`href="${locale === 'nl' ? '/inspiratie' : '/en/resources'}/${bundle.slug}"`);
  });

  it.each(['nl', 'en'] as const)('%s: the bundle lists its contents, each linking to its own page', async (locale) => {
    const { status, text } = await get(`${locale === 'nl' ? '/inspiratie' : '/en/resources'}/${bundle.slug}`);
    expect(status).toBe(200);
    expect(h1(text)).toBe(bundle.title[locale]);
    expect(text).toContain(locale === 'nl' ? '<h2>In deze bundel</h2>' : '<h2>In this bundle</h2>');
    for (const slug of bundle.items!) {
      const path = `${locale === 'nl' ? '/inspiratie' : '/en/resources'}/${slug}`;
      expect(text).toContain(`href="${path}"`);
      expect((await get(path)).status).toBe(200);
    }
  });
});

describe('theme pages', () => {
  it.each(['nl', 'en'] as const)('%s: description and published items, newest first, no draft', async (locale) => {
    const theme = demoThemes.find((t) => t.slug === 'verandermanagement')!;
    const { status, text } = await get(`${locale === 'nl' ? '/themas' : '/en/themes'}/${theme.slug}`);
    expect(status).toBe(200);
    expect(h1(text)).toBe(theme.name[locale]);
    expect(text).toContain(theme.description[locale]);
    expect(text).not.toContain(draftArticle.title[locale]);
    const titles = [...text.matchAll(/<h3><a href="[^"]+">([^<]+)<\/a><\/h3>/g)].map((m) => m[1]);
    const expected = [
      ...demoArticles.filter((a) => a.published && a.themes.includes(theme.slug)).map((a) => ({ title: a.title[locale], date: a.publicationDate })),
      ...demoResources.filter((r) => r.themes.includes(theme.slug)).map((r) => ({ title: r.title[locale], date: r.publicationDate })),
    ]
      .sort((a, b) => b.date.localeCompare(a.date) || a.title.localeCompare(b.title))
      .map((item) => item.title);
    expect(titles).toEqual(expected);
  });
});

describe('pages that do not exist', () => {
  it.each([
    ['/nieuws/bestaat-niet', 'nl'],
    ['/en/news/does-not-exist', 'en'],
    ['/inspiratie/geen-bron', 'nl'],
    ['/en/resources/no-such-thing', 'en'],
    ['/themas/geen-thema', 'nl'],
    ['/en/themes/no-theme', 'en'],
    ['/nieuws', 'nl'],
    ['/en/news', 'en'],
    ['/nieuws/a/b', 'nl'],
    [`/nieuws/${'a'.repeat(5000)}`, 'nl'],
    ['/en/news/%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'en'],
    ['/inspiratie/%2e%2e%2f%2e%2e%2fetc', 'nl'],
    ['/themas/caf%C3%A9', 'nl'],
    ["/nieuws/'%20OR%201=1--", 'nl'],
    ['/en/themes/%00', 'en'],
  ] as const)('%s is a 404 page (or a 400), never a 500', async (path, locale) => {
    const { status, text } = await get(path);
    expect([400, 404]).toContain(status);
    if (status === 404) {
      expect(htmlLang(text)).toBe(locale);
      expect(h1(text)).toBe(locale === 'nl' ? 'Pagina niet gevonden' : 'Page not found');
      expect(text).toContain('name="robots" content="noindex"');
      expect(text).not.toContain('<script>');
    }
  });

  it('a malformed percent-encoding is a 400', async () => {
    expect((await get('/nieuws/%E0%A4%A')).status).toBe(400);
  });
});

describe('the sitemap', () => {
  it('is valid sitemap XML with hreflang alternates, and every URL in it answers 200', async () => {
    const { status, text, response } = await get('/sitemap.xml');
    expect(status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/xml');
    const parsed = await xml2js.parseStringPromise(text);
    expect(parsed.urlset.$).toMatchObject({ xmlns: 'http://www.sitemaps.org/schemas/sitemap/0.9', 'xmlns:xhtml': 'http://www.w3.org/1999/xhtml' });
    const urls = parsed.urlset.url as Array<{ loc: string[]; 'xhtml:link'?: Array<{ $: { rel: string; hreflang: string; href: string } }> }>;
    const locs = urls.map((url) => url.loc[0]);
    // Home in 2 locales, 3 published articles in 2 + the English-only one, 6 resources and 4 themes in 2, the archive in 2 (nothing sent yet).
    expect(locs).toHaveLength(2 + 3 * 2 + 1 + 6 * 2 + 4 * 2 + 2);
    expect(locs).toContain(`${app.url}/nieuws/${mainArticle.slug.nl}`);
    expect(locs).not.toContain(`${app.url}/nieuws/${draftArticle.slug.nl}`);
    const main = urls.find((url) => url.loc[0] === `${app.url}/en/news/${mainArticle.slug.en}`)!;
    expect(main['xhtml:link']!.map((link) => [link.$.hreflang, link.$.href])).toEqual([
      ['nl', `${app.url}/nieuws/${mainArticle.slug.nl}`],
      ['en', `${app.url}/en/news/${mainArticle.slug.en}`],
      ['x-default', `${app.url}/nieuws/${mainArticle.slug.nl}`],
    ]);
    for (const loc of locs) expect([loc, (await fetch(loc, { redirect: 'manual' })).status]).toEqual([loc, 200]);
  });
});

describe('robots.txt', () => {
  it("points crawlers at the sitemap and keeps them out of the admin, the APIs and readers' own links", async () => {
    const { status, text, response } = await get('/robots.txt');
    expect(status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const lines = text.split('\n');
    expect(lines[0]).toBe('User-agent: *');
    expect(lines).toContain(`Sitemap: ${app.url}/sitemap.xml`);
    for (const path of ['/admin', '/api/', '/newsletter/preferences', '/newsletter/unsubscribe']) expect(lines).toContain(`Disallow: ${path}`);
    // The reading pages and the archive stay open to crawlers.
    expect(
      lines
        .filter((line) => line.startsWith('Disallow:'))
        .some((line) => ['/', '/nieuws', '/en', '/newsletter/archive'].some((open) => line === `Disallow: ${open}`)),
    ).toBe(false);
  });
});

describe("the mails' links with the default configuration", () => {
  it('every item URL content.ts builds for the demo content answers 200, and so does the "Website" link', async () => {
    const links = { siteUrl: readMailingConfig().siteUrl, publicUrl: readMailSettings().publicUrl };
    expect(links.siteUrl).toBe(app.url);
    const candidates = await publishedCandidates(app.strapi, { after: null, until: new Date() });
    const refs = [...new Map(candidates.map((c) => [`${c.type}:${c.documentId}`, { type: c.type, documentId: c.documentId }])).values()];
    const items = await resolveItems(app.strapi, refs, links);
    const urls = new Set<string>();
    for (const item of items) {
      for (const view of Object.values(item.content)) {
        if (!view) continue;
        urls.add(view.url);
        for (const part of (view as { bundleItems?: Array<{ url: string }> }).bundleItems ?? []) urls.add(part.url);
      }
    }
    // The demo resources other than the bundle link to example.org: those are not ours to serve.
    const ours = [...urls].filter((url) => url.startsWith(app.url));
    expect(ours.length).toBe(3 * 2 + 1 + 2);
    for (const url of [...ours, readMailSettings().organisation.websiteUrl])
      expect([url, (await fetch(url, { redirect: 'manual' })).status]).toEqual([url, 200]);
  });
});

describe("the admin's Preview of articles, resources and themes", () => {
  let token = '';

  beforeAll(async () => {
    token = await adminSessionTokenFor(app, 'preview.editor@example.org', 'strapi-editor');
  });

  /** What the content manager asks when an edit view opens: the address its Preview shows. */
  async function previewAddress(uid: string, documentId: string, locale: string, status: string): Promise<{ status: number; url: string | null }> {
    const query = new URLSearchParams({ documentId, locale, status });
    const response = await fetch(`${app.url}/content-manager/preview/url/${uid}?${query}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, url: response.status === 200 ? ((await response.json()) as { data: { url: string } }).data.url : null };
  }

  async function documentIdOf(uid: string, filters: object): Promise<string> {
    return ((await app.strapi.documents(uid as never).findFirst({ filters, locale: 'nl' } as never)) as { documentId: string }).documentId;
  }

  it("shows an unpublished article's draft on its reading page, framed only by our own admin, before anyone else can read it", async () => {
    const documentId = await documentIdOf('api::article.article', { slug: draftArticle.slug.nl });
    const { status, url } = await previewAddress('api::article.article', documentId, 'nl', 'draft');
    expect(status).toBe(200);
    expect(url!.startsWith(`${app.url}/preview/`)).toBe(true);
    const page = await fetch(url!);
    const text = await page.text();
    expect(page.status).toBe(200);
    expect(h1(text)).toBe(draftArticle.title.nl);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-robots-tag')).toContain('noindex');
    // Still not public.
    expect((await get(`/nieuws/${draftArticle.slug.nl}`)).status).toBe(404);
  });

  it('shows a change to a published resource before it is published, and the published version next to it', async () => {
    const documentId = await documentIdOf('api::resource.resource', { slug: bundle.slug });
    await app.strapi.documents('api::resource.resource').update({ documentId, locale: 'en', data: { title: 'Bundle, reworded in the draft' } } as never);
    const draft = await fetch((await previewAddress('api::resource.resource', documentId, 'en', 'draft')).url!);
    expect(h1(await draft.text())).toBe('Bundle, reworded in the draft');
    const published = await fetch((await previewAddress('api::resource.resource', documentId, 'en', 'published')).url!);
    expect(h1(await published.text())).toBe(bundle.title.en);
    expect(h1((await get(`/en/resources/${bundle.slug}`)).text)).toBe(bundle.title.en);
  });

  it('previews a theme; mailings and subscribers get no Preview box (no address)', async () => {
    const theme = demoThemes[0];
    const documentId = await documentIdOf('api::theme.theme', { slug: theme.slug });
    const page = await fetch((await previewAddress('api::theme.theme', documentId, 'nl', 'draft')).url!);
    expect(h1(await page.text())).toBe(theme.name.nl);
    const campaign = (await app.strapi.documents('api::campaign.campaign').findFirst({} as never)) as { documentId: string };
    expect((await previewAddress('api::campaign.campaign', campaign.documentId, 'nl', 'draft')).status).toBe(204);
  });

  it('refuses a link that was changed, names another document, or has expired, with a page that says so', async () => {
    const documentId = await documentIdOf('api::article.article', { slug: draftArticle.slug.nl });
    const { url } = await previewAddress('api::article.article', documentId, 'nl', 'draft');
    const [kind, id, locale, version, expiry, signature] = url!.slice(`${app.url}/preview/`.length).split('.');
    const other = await documentIdOf('api::article.article', { slug: mainArticle.slug.nl });
    for (const forged of [
      [kind, other, locale, version, expiry, signature],
      [kind, id, locale, 'p', expiry, signature],
      [kind, id, locale, version, (Number.parseInt(expiry, 36) + 3600).toString(36), signature],
    ]) {
      const answer = await get(`/preview/${forged.join('.')}`);
      expect(answer.status).toBe(404);
      expect(answer.text).not.toContain(draftArticle.title.nl);
    }
    expect((await get('/preview/nonsense')).status).toBe(404);
    // A link the CMS made, opened after its time.
    const past = new Date(Date.now() - (PREVIEW_TOKEN_SECONDS + 60) * 1000);
    const old = previewUrl(
      'api::article.article',
      { documentId, locale: 'nl', status: 'draft' },
      { publicUrl: app.url, tokenSecret: cmsServices(app.strapi).tokenSecret },
      past,
    )!;
    const expired = await fetch(old);
    const text = await expired.text();
    expect(expired.status).toBe(410);
    expect(h1(text)).toBe('Voorbeeldlink verlopen');
    expect(text).not.toContain(draftArticle.title.nl);
  });
});
