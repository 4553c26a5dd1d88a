import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { archiveEntries, archiveVariant, inArchive, paginate, parsePageNumber, type ArchiveMailingRow } from '../../src/site/archive/listing';
import { judgeMailingChange } from '../../src/mailings/engine/mailing-rules';
import { editionWebVersionPath, fillWebVersion, generalLinks } from '../../src/site/archive/web-version';
import { oldViewToken } from '../support/old-view-token';
import { verifyLinkToken } from '../../src/core/domain/tokens';
import { archiveFeed, articlesFeed } from '../../src/site/archive/feeds';
import { feedHeadLinks } from '../../src/site/archive/feed-links';
import { RSS_CONTENT_TYPE, escapeXml, renderRss } from '../../src/site/archive/rss';
import { renderArchivePage } from '../../src/site/archive/archive-pages';
import { renderManageSubscriptionPage } from '../../src/site/subscription/manage-subscription-page';

const row = (overrides: Partial<ArchiveMailingRow> = {}): ArchiveMailingRow => ({
  kind: 'edition',
  documentId: 'ed1',
  state: 'sent',
  submittedCount: 10,
  keepOutOfArchive: false,
  sentAt: new Date('2026-11-03T08:00:00Z'),
  summary: { nl: 'Intro', en: null },
  variants: [
    { key: 'nl|', subject: 'Nieuwsbrief november' },
    { key: 'nl|zorg', subject: 'Nieuwsbrief november' },
    { key: 'en|zorg', subject: 'Newsletter November' },
  ],
  ...overrides,
});

describe('which mailings the archive shows', () => {
  it('sent, or cancelled or failed after reaching someone; never kept out, unsent or still sending', () => {
    expect(inArchive(row())).toBe(true);
    expect(inArchive(row({ state: 'cancelled', submittedCount: 3 }))).toBe(true);
    expect(inArchive(row({ state: 'cancelled', submittedCount: 0 }))).toBe(false);
    expect(inArchive(row({ state: 'sending' }))).toBe(false);
    expect(inArchive(row({ keepOutOfArchive: true }))).toBe(false);
    expect(inArchive(row({ sentAt: null }))).toBe(false);
  });

  it('opens the variant for readers without a theme choice, else the one with fewest themes; a campaign its language', () => {
    expect(archiveVariant(row(), 'nl')?.key).toBe('nl|');
    expect(
      archiveVariant(
        row({
          variants: [
            { key: 'en|a,b', subject: 'x' },
            { key: 'en|c', subject: 'y' },
          ],
        }),
        'en',
      )?.key,
    ).toBe('en|c');
    expect(archiveVariant(row({ kind: 'campaign', variants: [{ key: 'nl', subject: 'Lancering' }] }), 'en')).toBeNull();
  });

  it('lists per language, newest first, with the web version of that language and no personal data', () => {
    const rows = [
      row(),
      row({ documentId: 'ed2', sentAt: new Date('2026-12-01T08:00:00Z') }),
      row({
        kind: 'campaign',
        documentId: 'c1',
        sentAt: new Date('2026-11-20T08:00:00Z'),
        summary: { nl: 'Preheader', en: 'Preheader en' },
        variants: [
          { key: 'nl', subject: 'Lancering' },
          { key: 'en', subject: 'Launch' },
        ],
      }),
      row({ documentId: 'kept', keepOutOfArchive: true, sentAt: new Date('2027-01-01T00:00:00Z') }),
    ];
    expect(archiveEntries(rows, 'nl').map((entry) => entry.path)).toEqual([
      editionWebVersionPath('ed2', 'nl|'),
      '/newsletter/campaigns/c1?lang=nl',
      '/newsletter/editions/ed1?variant=nl%7C',
    ]);
    const english = archiveEntries(rows, 'en');
    expect(english.map((entry) => [entry.title, entry.path])).toEqual([
      ['Newsletter November', '/newsletter/editions/ed2?variant=en%7Czorg'],
      ['Launch', '/newsletter/campaigns/c1?lang=en'],
      ['Newsletter November', '/newsletter/editions/ed1?variant=en%7Czorg'],
    ]);
  });
});

describe('paging', () => {
  it('reads ?page= strictly: absent is 1, anything but a whole number from 1 is refused', () => {
    expect(parsePageNumber(undefined)).toBe(1);
    expect(parsePageNumber('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'abc', '1e3', '9999999', ['1', '2']]) expect(parsePageNumber(bad)).toBeNull();
  });

  it('slices 12 a page; an empty archive is one page, past the end is out of range', () => {
    const items = Array.from({ length: 25 }, (_, i) => i);
    expect(paginate(items, 1)).toMatchObject({ kind: 'page', items: items.slice(0, 12), pages: 3, total: 25 });
    expect(paginate(items, 3)).toMatchObject({ kind: 'page', items: [24] });
    expect(paginate(items, 4)).toEqual({ kind: 'out-of-range', page: 4, pages: 3, total: 25 });
    expect(paginate([], 1)).toMatchObject({ kind: 'page', items: [], pages: 1, total: 0 });
  });

  it('the page says what it has: entries with prev/next, an empty archive, a page that does not exist', () => {
    const ctx = { locale: 'nl' as const, networkName: 'Zorgnetwerk Rotterdam', privacyUrl: '/newsletter/privacy', baseUrl: '' };
    const entries = archiveEntries(
      Array.from({ length: 13 }, (_, i) => row({ documentId: `e${i}`, sentAt: new Date(Date.UTC(2026, 0, i + 1)) })),
      'nl',
    );
    const second = renderArchivePage(ctx, { publicUrl: 'https://cms.example.org', timeZone: 'Europe/Amsterdam', result: paginate(entries, 2) });
    expect(second).toContain('rel="prev"');
    expect(second).not.toContain('rel="next"');
    expect(second).toContain('Pagina 2 van 2');
    expect(second).toContain('<link rel="canonical" href="https://cms.example.org/newsletter/archive?lang=nl&amp;page=2">');
    expect(second).not.toContain('<link rel="alternate" href="https://cms.example.org/newsletter/archive?lang=en');
    expect(second).toContain('<a href="/newsletter/archive?lang=en" lang="en" hreflang="en">');
    const first = renderArchivePage(ctx, { publicUrl: 'https://cms.example.org', timeZone: 'Europe/Amsterdam', result: paginate(entries, 1) });
    expect(first).toContain('<link rel="alternate" href="https://cms.example.org/newsletter/archive?lang=en" hreflang="en">');
    expect(first).toContain('rel="next"');
    expect(second).toContain('type="application/rss+xml"');
    expect(second).not.toContain('noindex');
    expect(renderArchivePage(ctx, { publicUrl: '', timeZone: 'UTC', result: paginate([], 1) })).toContain('Er is nog geen nieuwsbrief verstuurd.');
    const missing = renderArchivePage({ ...ctx, locale: 'en' }, { publicUrl: '', timeZone: 'UTC', result: paginate(entries, 5) });
    expect(missing).toContain('the archive has 2 pages');
    expect(missing).toContain('noindex');
  });
});

describe('a web version', () => {
  const variantHtml =
    '<html><head><title>x</title></head><body><p>%greeting%</p><a href="%view_url%">web</a><a href="%unsubscribe_url%">af</a><a href="%preferences_url%">voorkeuren</a></body></html>';
  const self = editionWebVersionPath('ed1', 'nl|zorg');

  it('without a token: a neutral greeting, its own URL, pages that work for anyone; indexable', () => {
    const page = fillWebVersion(variantHtml, { locale: 'nl', links: generalLinks('https://cms.example.org', 'nl', self), indexable: true });
    expect(page).not.toMatch(/%[a-z_]+%/);
    expect(page).toContain('<p>Hallo,</p>');
    expect(page).toContain('href="https://cms.example.org/newsletter/editions/ed1?variant=nl%7Czorg"');
    expect(page).toContain('href="https://cms.example.org/newsletter/manage?lang=nl#unsubscribe"');
    expect(page).toContain('href="https://cms.example.org/newsletter/manage?lang=nl#preferences"');
    expect(page).toContain('<meta name="referrer" content="no-referrer">');
    expect(page).not.toContain('noindex');
  });

  it('is the same for everyone in English too: the manage page in English, no personal link; not indexable when asked', () => {
    const page = fillWebVersion(variantHtml, { locale: 'en', links: generalLinks('', 'en', self), indexable: false });
    const hrefs = [...page.matchAll(/href="([^"]+)"/g)].map((match) => match[1].replace(/&amp;/g, '&'));
    expect(hrefs).toEqual([self, '/newsletter/manage?lang=en#unsubscribe', '/newsletter/manage?lang=en#preferences']);
    expect(page).not.toContain('token=');
    expect(page).toContain('<meta name="robots" content="noindex">');
    expect(page).toContain('<p>Hello,</p>');
  });

  it("an old mail's view token opens no preferences or unsubscribe page: it is no token of any purpose any more", () => {
    const viewToken = oldViewToken('k'.repeat(22), 's');
    expect(verifyLinkToken(viewToken, 'preferences', 's')).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyLinkToken(viewToken, 'unsubscribe', 's')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('the general "manage your subscription" page has the anchors the links point to', () => {
    const page = renderManageSubscriptionPage({ locale: 'nl', networkName: 'N', privacyUrl: '/p', baseUrl: '' });
    expect(page).toContain('id="unsubscribe"');
    expect(page).toContain('id="preferences"');
    expect(page).toContain('href="/newsletter?lang=nl"');
  });
});

describe('the keep-out switch on a sent mailing', () => {
  const stored = { state: 'sent', title: 'Editie', introNl: 'Hoi', keepOutOfArchive: false, sentAt: '2026-11-03T08:00:00.000Z', submittedCount: 5 };
  // As an Editor saves it in the admin panel (the rules: src/mailings/engine/mailing-rules.ts).
  const archiveSwitchOnly = (data: Record<string, unknown>, current: Record<string, unknown>) => {
    const verdict = judgeMailingChange({ kind: 'edition', action: 'update', stored: current, data, role: { admin: true, send: true, cancel: true }, now: 0 });
    return verdict.allowed ? verdict.data : null;
  };
  it('a save that only flips the switch goes through as the switch alone; any other change does not', () => {
    expect(archiveSwitchOnly({ ...stored, keepOutOfArchive: true, items: [{ id: 1 }] }, stored)).toEqual({ keepOutOfArchive: true });
    expect(archiveSwitchOnly({ keepOutOfArchive: true, sentAt: '2026-11-03T08:00:00Z' }, stored)).toEqual({ keepOutOfArchive: true });
    expect(archiveSwitchOnly({ keepOutOfArchive: true, introNl: 'Anders' }, stored)).toBeNull();
    // The form's copy of what the engine and SendGrid's events write may be stale: that is no change.
    expect(archiveSwitchOnly({ ...stored, keepOutOfArchive: true, submittedCount: 4, notes: 'x', updatedAt: '2020-01-01T00:00:00Z' }, stored)).toEqual({
      keepOutOfArchive: true,
    });
    expect(archiveSwitchOnly({ keepOutOfArchive: false }, stored)).toBeNull();
    expect(archiveSwitchOnly({ introNl: 'Hoi' }, stored)).toBeNull();
  });
});

describe('feeds', () => {
  const settings = { publicUrl: 'https://cms.example.org', siteUrl: 'https://zorgnetwerk.example', networkName: 'Zorgnetwerk <Rotterdam> & co' };

  it('RSS 2.0 with atom:link rel=self, escaped, parsed by a real feed parser', async () => {
    const articles = Array.from({ length: 25 }, (_, i) => ({
      title: `Nieuws ${i} & "meer" <b>`,
      slug: `nieuws-${i}`,
      summary: 'Kort\u0001 verhaal',
      publishedAt: new Date(Date.UTC(2026, 10, 25 - i, 9)),
    }));
    const xml = renderRss(articlesFeed(articles, 'nl', settings));
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml).toContain('<atom:link href="https://cms.example.org/feeds/articles.xml?lang=nl" rel="self" type="application/rss+xml"/>');
    expect(xml).not.toContain('\u0001');
    const feed = await new Parser().parseString(xml);
    expect(feed.title).toBe('Zorgnetwerk <Rotterdam> & co: nieuws');
    expect(feed.items).toHaveLength(20);
    expect(feed.items[0]).toMatchObject({
      title: 'Nieuws 0 & "meer" <b>',
      link: 'https://zorgnetwerk.example/nieuws/nieuws-0',
      guid: 'https://zorgnetwerk.example/nieuws/nieuws-0',
      content: 'Kort verhaal',
    });
    expect(new Date(feed.items[0].pubDate!).toISOString()).toBe('2026-11-25T09:00:00.000Z');
    const english = await new Parser().parseString(renderRss(articlesFeed(articles.slice(0, 1), 'en', settings)));
    expect(english.items[0].link).toBe('https://zorgnetwerk.example/en/news/nieuws-0');
    expect(english.link).toBe('https://zorgnetwerk.example/en');
  });

  it('an item description shows its summary as typed in a reader that renders it as HTML', async () => {
    const summary = `Zorg <b>dichtbij</b> & "samen" met 'ons' &amp; jou`;
    const articles = [{ title: 'Nieuws', slug: 'nieuws', summary, publishedAt: new Date(Date.UTC(2026, 10, 25, 9)) }];
    const xml = renderRss(articlesFeed(articles, 'nl', settings));
    expect(xml).not.toContain('<b>');
    const [item] = (await new Parser().parseString(xml)).items;
    // What the reader receives as the description's HTML, and the text it shows for that HTML.
    expect(item.content).toBe(`Zorg &lt;b&gt;dichtbij&lt;/b&gt; &amp; &quot;samen&quot; met &#39;ons&#39; &amp;amp; jou`);
    expect(item.contentSnippet).toBe(summary);
  });

  it('stays well-formed and reads as typed with CDATA ends, escaped-looking text and characters XML cannot carry', async () => {
    const typed = `A ]]> B ]]> C ]]]]> & &amp; <b> "q" 'a'`;
    const articles = [{ title: `${typed}\u0001`, slug: 'nieuws', summary: typed, publishedAt: new Date(Date.UTC(2026, 10, 25, 9)) }];
    const feed = await new Parser().parseString(renderRss(articlesFeed(articles, 'nl', { ...settings, networkName: `Net &amp; ]]> co\u0008` })));
    expect(feed.title).toBe('Net &amp; ]]> co: nieuws');
    expect(feed.items[0].title).toBe(typed);
    expect(feed.items[0].contentSnippet).toBe(typed);
    const empty = await new Parser().parseString(renderRss(articlesFeed([], 'en', settings)));
    expect(empty.items).toHaveLength(0);
  });

  it("the archive feed links each mailing's web version on the CMS", async () => {
    const entries = archiveEntries([row()], 'nl');
    const feed = await new Parser().parseString(renderRss(archiveFeed(entries, 'nl', settings)));
    expect(feed.items.map((item) => item.link)).toEqual(['https://cms.example.org/newsletter/editions/ed1?variant=nl%7C']);
    expect(feed.link).toBe('https://cms.example.org/newsletter/archive?lang=nl');
    expect(RSS_CONTENT_TYPE).toBe('application/rss+xml; charset=utf-8');
    expect(escapeXml(`a&b<c>"d"'e`)).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&apos;e');
  });

  it("autodiscovery links for both feeds in the page's language", () => {
    expect(feedHeadLinks('en', 'https://cms.example.org')).toEqual([
      { rel: 'alternate', type: 'application/rss+xml', href: 'https://cms.example.org/feeds/articles.xml?lang=en', title: 'News (RSS)' },
      { rel: 'alternate', type: 'application/rss+xml', href: 'https://cms.example.org/feeds/archive.xml?lang=en', title: 'Newsletters (RSS)' },
    ]);
  });
});
