import { describe, expect, it } from 'vitest';
import { readItemLink, signItemLink, type ItemLinkClaims } from '../../src/core/domain/item-link';
import { countsAsOpening, isObviousBot, type Opening } from '../../src/core/domain/item-counts';
import { networkDay } from '../../src/core/domain/time-zone';
import { mailingKey } from '../../src/mailings/engine/mailing';
import { signLinkToken } from '../../src/core/domain/tokens';
import { signPreviewToken } from '../../src/core/domain/preview-token';
import { readItemCountSettings } from '../../src/settings/item-counts';
import { answerItemLink, type RedirectDeps } from '../../src/site/counts/redirect';
import { articleView, countedLinks, resourceView } from '../../src/mailings/content';
import { createCountBuffer } from '../../src/site/counts/buffer';
import { renderPrivacyPage } from '../../src/site/subscription/privacy-page';

const SECRET = 'item-link-test-secret-0123456789abcdef';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const claims: ItemLinkClaims = {
  mailing: { kind: 'edition', id: 12 },
  item: { kind: 'article', documentId: 'k3j2h4g5f6d7s8a9p0o1i2u3', locale: 'nl', slug: 'zorg.in-de-wijk' },
};

describe('counted item links', () => {
  it('name the mailing and the item, never a reader, and read back what they were signed with', () => {
    const token = signItemLink(claims, SECRET);
    expect(token).not.toMatch(/[/?#&]/);
    expect(readItemLink(token, SECRET)).toEqual({ ok: true, ...claims });
    expect(readItemLink(signItemLink({ ...claims, mailing: { kind: 'campaign', id: 3 } }, SECRET), SECRET)).toMatchObject({
      mailing: { kind: 'campaign', id: 3 },
    });
  });

  it('refuse any changed part, another secret, and the other tokens of the product', () => {
    const token = signItemLink(claims, SECRET);
    const parts = token.split('.');
    for (const index of parts.keys()) {
      const changed = [...parts];
      changed[index] =
        index === 0 ? 'e13' : index === 1 ? 'r' : index === 3 ? 'en' : `${changed[index].slice(0, -1)}${changed[index].endsWith('a') ? 'b' : 'a'}`;
      expect(readItemLink(changed.join('.'), SECRET).ok, `part ${index}`).toBe(false);
    }
    expect(readItemLink(token, 'another-secret-0123456789abcdef')).toEqual({ ok: false, reason: 'invalid' });
    expect(readItemLink(signLinkToken({ purpose: 'unsubscribe', linkKey: 'abcdefghijklmnop' }, SECRET), SECRET).ok).toBe(false);
    const preview = signPreviewToken({ kind: 'article', documentId: 'abc', locale: 'nl', version: 'published', expiresAt: 2e9 }, SECRET);
    expect(readItemLink(preview, SECRET).ok).toBe(false);
    for (const garbage of [undefined, 42, '', 'x', 'https://evil.example', `${token}/..`, 'a'.repeat(500)])
      expect(readItemLink(garbage, SECRET).ok).toBe(false);
  });

  it('refuse to sign what could not be read back', () => {
    expect(() => signItemLink({ ...claims, item: { ...claims.item, slug: 'a/b' } }, SECRET)).toThrow(/slug/);
    expect(() => signItemLink({ ...claims, mailing: { kind: 'edition', id: 0 } }, SECRET)).toThrow(/mailing/);
  });
});

describe('the rules of a count', () => {
  it("a day is the network's calendar day", () => {
    expect(networkDay(new Date('2026-12-07T23:30:00Z'), 'Europe/Amsterdam')).toBe('2026-12-08');
    expect(networkDay(new Date('2026-12-07T22:59:59Z'), 'Europe/Amsterdam')).toBe('2026-12-07');
    expect(mailingKey({ kind: 'campaign', id: 3 })).toBe('campaign:3');
  });

  it('only a GET by something that is not obviously a bot is an opening', () => {
    expect(countsAsOpening('GET', BROWSER)).toBe(true);
    expect(countsAsOpening('HEAD', BROWSER)).toBe(false);
    for (const bot of ['Googlebot/2.1', 'Mozilla/5.0 (compatible; bingbot/2.0)', 'facebookexternalhit/1.1', 'curl/8.5', '', undefined, 'WhatsApp/2.23']) {
      expect(isObviousBot(bot), String(bot)).toBe(true);
    }
  });

  it('MAIL_LINK_COUNTS is on unless switched off, and nothing else', () => {
    expect(readItemCountSettings({})).toEqual({ enabled: true });
    expect(readItemCountSettings({ MAIL_LINK_COUNTS: 'ON' })).toEqual({ enabled: true });
    expect(readItemCountSettings({ MAIL_LINK_COUNTS: ' off ' })).toEqual({ enabled: false });
    expect(() => readItemCountSettings({ MAIL_LINK_COUNTS: 'no' })).toThrow(/MAIL_LINK_COUNTS must be "on" or "off"/);
  });
});

describe('the privacy statement', () => {
  const facts = { networkName: 'N', postalAddress: 'P', pendingMaxAgeDays: 30, unsubscribedRetentionDays: 30 };
  it('says exactly what is counted, that it is no person, and that it can be switched off; and says so when it is off', () => {
    const on = renderPrivacyPage('nl', { ...facts, itemCounts: true }, '/p');
    expect(on).toContain('We tellen hoe vaak elk bericht wordt geopend, per bericht en per dag');
    expect(on).toContain('geen IP-adres, geen cookie');
    expect(on).toContain('De organisatie kan dit tellen uitzetten');
    expect(renderPrivacyPage('en', { ...facts, itemCounts: true }, '/p')).toContain('The organisation can switch this counting off');
    expect(renderPrivacyPage('en', { ...facts, itemCounts: false }, '/p')).toContain('We do not count how often items are opened');
  });
});

describe('item links in a mail', () => {
  const links = { siteUrl: 'https://site.example', publicUrl: 'https://cms.example' };
  const article = { documentId: 'abc123', title: 'T', summary: 'S', slug: 'wijkzorg' };

  it('point at the page directly without counting (previews, test sends, MAIL_LINK_COUNTS=off)', () => {
    expect(articleView(article, 'nl', links).url).toBe('https://site.example/nieuws/wijkzorg');
  });

  it('go through the redirect for reading pages when counted, and stay direct for a resource read elsewhere', () => {
    const counted = countedLinks(links, { kind: 'campaign', id: 4 }, SECRET);
    const url = articleView(article, 'en', counted).url;
    expect(url).toMatch(/^https:\/\/cms\.example\/r\/c4\.a\.abc123\.en\.wijkzorg\.[A-Za-z0-9_-]{22}$/);
    const bundle = resourceView(
      {
        documentId: 'bundle1',
        title: 'B',
        slug: 'bundel',
        kind: 'bundle',
        items: [
          { documentId: 'part1', title: 'P1', slug: 'gids', kind: 'guide' },
          { documentId: 'part2', title: 'P2', slug: 'extern', kind: 'link', url: 'https://elsewhere.example/x' },
        ],
      },
      'nl',
      counted,
    );
    expect(bundle.url).toMatch(/\/r\/c4\.r\.bundle1\.nl\.bundel\./);
    expect(bundle.bundleItems?.[0].url).toMatch(/\/r\/c4\.r\.part1\.nl\.gids\./);
    expect(bundle.bundleItems?.[1].url).toBe('https://elsewhere.example/x');
  });
});

describe('the counting redirect', () => {
  const token = signItemLink(claims, SECRET);
  const deps = (overrides: Partial<RedirectDeps> = {}): RedirectDeps & { counted: Opening[] } => {
    const counted: Opening[] = [];
    return {
      counted,
      tokenSecret: SECRET,
      siteUrl: 'https://site.example',
      timeZone: 'Europe/Amsterdam',
      counting: true,
      currentPage: async () => ({ title: 'T', locale: 'nl', slug: 'nieuwe-slug' }),
      count: async (opening) => void counted.push(opening),
      countFailed: () => undefined,
      now: () => new Date('2026-12-07T10:00:00Z'),
      ...overrides,
    };
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it("leads to the item's page as it is now and counts one opening of that mailing's item, nothing about the reader", async () => {
    const d = deps();
    expect(await answerItemLink({ token, method: 'GET', userAgent: BROWSER }, d)).toEqual({ status: 302, location: 'https://site.example/nieuws/nieuwe-slug' });
    await settle();
    expect(d.counted).toEqual([{ day: '2026-12-07', source: 'mail', mailing: 'edition:12', item: { kind: 'article', documentId: claims.item.documentId } }]);
  });

  it('redirects uncounted for HEAD, bots and with counting off', async () => {
    for (const [request, counting] of [
      [{ token, method: 'HEAD', userAgent: BROWSER }, true],
      [{ token, method: 'GET', userAgent: 'Googlebot/2.1' }, true],
      [{ token, method: 'GET', userAgent: BROWSER }, false],
    ] as const) {
      const d = deps({ counting });
      expect((await answerItemLink(request, d)).status).toBe(302);
      await settle();
      expect(d.counted).toEqual([]);
    }
  });

  it('still redirects when counting and the lookup fail (the database away): to the slug the link was signed with', async () => {
    const failures: unknown[] = [];
    const d = deps({
      count: async () => Promise.reject(new Error('database away')),
      currentPage: async () => Promise.reject(new Error('database away')),
      countFailed: (error) => failures.push(error),
    });
    expect(await answerItemLink({ token, method: 'GET', userAgent: BROWSER }, d)).toEqual({
      status: 302,
      location: 'https://site.example/nieuws/zorg.in-de-wijk',
    });
    await settle();
    expect(failures).toHaveLength(1);
  });

  it('leads to the home page of an item published in no language any more, and never anywhere for a link that is not ours', async () => {
    expect(await answerItemLink({ token, method: 'GET', userAgent: BROWSER }, deps({ currentPage: async () => null }))).toEqual({
      status: 302,
      location: 'https://site.example/',
    });
    const d = deps();
    expect(await answerItemLink({ token: `${token.slice(0, -1)}x`, method: 'GET', userAgent: BROWSER }, d)).toEqual({ status: 404, locale: 'nl' });
    await settle();
    expect(d.counted).toEqual([]);
  });
});

describe('the count buffer', () => {
  const opening = (documentId: string): Opening => ({ day: '2026-12-07', source: 'mail', mailing: 'edition:1', item: { kind: 'article', documentId } });

  it('writes each row once with how often it was opened, and drops (reporting) a batch the database refused', async () => {
    const written: Array<Array<Opening & { times: number }>> = [];
    const failures: unknown[] = [];
    let refuse = false;
    const buffer = createCountBuffer(
      async (openings) => {
        if (refuse) throw new Error('database away');
        written.push([...openings]);
      },
      (error) => failures.push(error),
      60_000,
    );
    for (const id of ['a', 'b', 'a', 'a']) buffer.add(opening(id));
    await buffer.flush();
    expect(written).toEqual([
      [
        { ...opening('a'), times: 3 },
        { ...opening('b'), times: 1 },
      ],
    ]);
    refuse = true;
    buffer.add(opening('c'));
    await buffer.flush();
    expect(failures).toHaveLength(1);
    refuse = false;
    buffer.add(opening('d'));
    await buffer.close();
    expect(written[1]).toEqual([{ ...opening('d'), times: 1 }]);
  });
});
