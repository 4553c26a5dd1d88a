import type { Knex } from 'knex';
import Parser from 'rss-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForRecipient, type MailSink } from '../../scripts/mail-sink/server';
import { createCampaign } from '../../src/mailings/campaign/create';
import { createJsonLogger } from '../../src/core/infra/log';
import { assembleEdition } from '../../src/mailings/edition/assemble';
import { createMailingDeps } from '../../src/app/mailing-deps';
import type { MailingRef } from '../../src/mailings/engine/mailing';
import { BATCHES, DELIVERIES, VARIANTS } from '../../src/mailings/engine/schema';
import { testRedisPrefix } from '../support/redis';
import { oldViewToken } from '../support/old-view-token';
import { useCms } from '../support/harness';

/**
 * The readers' side of sent mailings on the running product (SQLite, PostgreSQL in CI): an edition
 * and a campaign planned and sent through the real engine to the stand-in, then the archive, the
 * web versions opened from the mails' "view in browser" links (every link in them followed) and
 * the RSS feeds read with a real feed parser.
 */
const PREFIX = testRedisPrefix('archive-feeds');
const READER_NAMES = ['Anna', 'Pieter', 'Grace'];
const READER_EMAILS = ['anna.jansen@example.org', 'pieter.devries@example.org', 'grace.okafor@example.org'];
/** The reading pages' URL patterns (the other reader-side session builds them, see notes/reader-contract.md). */
const READING_PAGE = /^\/(?:nieuws|inspiratie|themas|en\/news|en\/resources|en\/themes)\/|^\/(?:en)?$/;

const app = useCms({ name: 'archive-feeds', listen: true, seed: true, env: { REDIS_PREFIX: PREFIX } });
let sink: MailSink;
let db: Knex;
let readingPagesServed = false;
const quiet = createJsonLogger('test', () => undefined);
const sent: { edition?: { id: number; documentId: string }; campaign?: { id: number; documentId: string }; keptOut?: { id: number; documentId: string } } = {};

/** Plans and sends a mailing in-process, as the worker would, then dates it. */
async function sendNow(ref: MailingRef, sentAt: Date) {
  const deps = createMailingDeps(app.strapi, quiet);
  await deps.engine.schedule(ref, 'now');
  expect(await deps.engine.plan(ref)).toMatchObject({ outcome: 'planned' });
  const batches: Array<{ batch_no: number }> = await db(BATCHES).where({ mailing_kind: ref.kind, mailing_id: ref.id }).select('batch_no');
  for (const { batch_no } of batches) expect(await deps.engine.sendBatch(ref, Number(batch_no))).toBe('submitted');
  await deps.engine.finish(ref); // the last batch usually finished it already
  const table = ref.kind === 'edition' ? 'editions' : 'campaigns';
  expect((await db(table).where({ id: ref.id }).first('state')).state).toBe('sent');
  await db(table).where({ id: ref.id }).update({ sent_at: sentAt });
}

const get = (path: string, init?: RequestInit) => fetch(new URL(path, app.url), init);
const hrefs = (page: string) => [...page.matchAll(/href="([^"]*)"/g)].map((match) => match[1].replace(/&amp;/g, '&'));
const archiveLinks = (page: string) => [...page.matchAll(/<li><h2><a href="([^"]*)"/g)].map((match) => match[1].replace(/&amp;/g, '&'));

/** GET, following redirects; the final status. */
async function statusOf(url: string): Promise<number> {
  return (await fetch(url, { redirect: 'follow' })).status;
}

beforeAll(async () => {
  sink = app.sink;
  db = app.strapi.db.connection as unknown as Knex;
  readingPagesServed = (await get('/sitemap.xml')).status === 200;

  const assembled = await assembleEdition(createMailingDeps(app.strapi, quiet), { now: new Date(), periodKey: `archive:${Date.now()}` });
  sent.edition = { id: assembled.editionId, documentId: assembled.documentId };
  await sendNow({ kind: 'edition', id: assembled.editionId }, new Date('2026-11-03T08:00:00Z'));
  sent.campaign = await createCampaign(app.strapi, { title: 'Archief-campagne', features: ['inspiratiebundel-leercultuur'] });
  await sendNow({ kind: 'campaign', id: sent.campaign.id }, new Date('2026-11-20T08:00:00Z'));
  sent.keptOut = await createCampaign(app.strapi, { title: 'Niet in het archief', features: ['inspiratiebundel-leercultuur'] });
  await sendNow({ kind: 'campaign', id: sent.keptOut.id }, new Date('2026-11-25T08:00:00Z'));

  // Twelve older Dutch-only mailings, so that the Dutch archive has a second page.
  const html = (await db(VARIANTS).where({ mailing_kind: 'campaign', mailing_id: sent.campaign.id, variant_key: 'nl' }).first('html')).html as string;
  for (let i = 0; i < 12; i++) {
    const documentId = `archive-old-${String(i).padStart(2, '0')}`;
    const at = new Date(Date.UTC(2025, i, 10));
    await db('campaigns').insert({
      document_id: documentId,
      title: `Oud ${i}`,
      state: 'sent',
      submitted_count: 1,
      recipients_count: 1,
      sent_at: at,
      keep_out_of_archive: false,
      created_at: at,
      updated_at: at,
    });
    const { id } = await db('campaigns').where({ document_id: documentId }).first('id');
    await db(VARIANTS).insert({ mailing_kind: 'campaign', mailing_id: id, variant_key: 'nl', subject: `Oude mailing ${i}`, html, text: '' });
  }
}, 240_000);

describe('keeping a sent mailing out of the archive', () => {
  it('editors may flip only that switch on a sent mailing', async () => {
    const campaigns = app.strapi.documents('api::campaign.campaign');
    await expect(campaigns.update({ documentId: sent.keptOut!.documentId, data: { keepOutOfArchive: true, introNl: 'Te laat' } } as never)).rejects.toThrow(
      /can no longer be changed/,
    );
    // As the admin panel saves: the whole form as loaded, while SendGrid's events moved a count since.
    const form = (await campaigns.findOne({ documentId: sent.keptOut!.documentId } as never)) as unknown as Record<string, unknown>;
    await db('campaigns').where({ id: sent.keptOut!.id }).update({ delivered_count: 1 });
    await campaigns.update({ documentId: sent.keptOut!.documentId, data: { ...form, keepOutOfArchive: true } } as never);
    const stored = await db('campaigns').where({ id: sent.keptOut!.id }).first('state', 'intro_nl');
    expect(stored.state).toBe('sent');
    expect(stored.intro_nl).not.toBe('Te laat');
    expect(Boolean((await db('campaigns').where({ id: sent.keptOut!.id }).first('keep_out_of_archive')).keep_out_of_archive)).toBe(true);
  });
});

describe('the public archive', () => {
  it('lists sent mailings newest first in each language, 12 a page; kept-out ones are absent', async () => {
    const first = await get('/newsletter/archive?lang=nl');
    expect(first.status).toBe(200);
    const page1 = await first.text();
    const links = archiveLinks(page1);
    expect(links).toHaveLength(12);
    expect(links[0]).toBe(`/newsletter/campaigns/${sent.campaign!.documentId}?lang=nl`);
    expect(links[1]).toMatch(new RegExp(`^/newsletter/editions/${sent.edition!.documentId}\\?variant=nl%7C`));
    expect(links[2]).toBe('/newsletter/campaigns/archive-old-11?lang=nl');
    expect(page1).toContain('rel="next"');
    expect(page1).toContain('type="application/rss+xml"');
    const page2 = await (await get('/newsletter/archive?lang=nl&page=2')).text();
    expect(archiveLinks(page2)).toEqual(['/newsletter/campaigns/archive-old-01?lang=nl', '/newsletter/campaigns/archive-old-00?lang=nl']);
    expect(page2).toContain('rel="prev"');
    for (const page of [page1, page2]) expect(page).not.toContain(sent.keptOut!.documentId);

    const english = archiveLinks(await (await get('/newsletter/archive?lang=en')).text());
    expect(english).toHaveLength(2);
    expect(english[0]).toBe(`/newsletter/campaigns/${sent.campaign!.documentId}?lang=en`);
    expect(english[1]).toMatch(new RegExp(`^/newsletter/editions/${sent.edition!.documentId}\\?variant=en%7C`));
  });

  it('answers a page past the end with 404 and a message, a bad page number with 400, never 500', async () => {
    const beyond = await get('/newsletter/archive?lang=en&page=2');
    expect(beyond.status).toBe(404);
    expect(await beyond.text()).toContain('the archive has 1 page');
    for (const bad of ['0', '-3', 'abc', '1.5', '99999999999']) expect((await get(`/newsletter/archive?lang=nl&page=${bad}`)).status).toBe(400);
    expect((await get('/newsletter/archive?lang=nl&page=1&page=2')).status).toBe(400);
    expect((await get('/newsletter/archive?lang=xx')).status).toBe(200);
  });

  it('each entry opens its web version (200) with no personal data and working general links', async () => {
    for (const lang of ['nl', 'en']) {
      for (const link of archiveLinks(await (await get(`/newsletter/archive?lang=${lang}`)).text()).slice(0, 3)) {
        const response = await get(link);
        expect(response.status, link).toBe(200);
        const page = await response.text();
        expect(page).not.toMatch(/%[a-z_]+%/);
        expect(page).not.toContain('token=');
        for (const text of [...READER_NAMES, ...READER_EMAILS]) expect(page).not.toContain(text);
        expect(page).toContain(lang === 'nl' ? 'Hallo,' : 'Hello,');
        for (const href of hrefs(page).filter((href) => href.includes('/newsletter/'))) expect(await statusOf(new URL(href, app.url).href), href).toBe(200);
      }
    }
  });
});

describe('"view in browser" from the mails', () => {
  it("opens exactly the variant that reader got, the same page for everyone: no reader's own links, the manage page in their language; every link on it answers 200", async () => {
    const mails = sink.messages().flatMap((message) => READER_EMAILS.map((email) => renderForRecipient(message, email)).filter((mail) => mail !== null));
    expect(mails.length).toBeGreaterThanOrEqual(6);
    const awaiting = new Set<string>();
    const external = new Set<string>();
    for (const mail of mails) {
      const viewLink = hrefs(mail.html!).find((href) => /\/newsletter\/(editions|campaigns)\//.test(href))!;
      const view = new URL(viewLink);
      // The variant key in the link is the one this reader's batch carried.
      const subscriber = await db('subscribers').where({ email: mail.recipient.email }).first('id');
      const campaignId = mail.customArgs.campaign_id;
      const ref = campaignId
        ? { kind: 'campaign', id: (await db('campaigns').where({ document_id: campaignId }).first('id')).id }
        : { kind: 'edition', id: sent.edition!.id };
      const delivery = await db(DELIVERIES).where({ mailing_kind: ref.kind, mailing_id: ref.id, subscriber_id: subscriber.id }).first('batch_no');
      const batch = await db(BATCHES).where({ mailing_kind: ref.kind, mailing_id: ref.id, batch_no: delivery.batch_no }).first('variant_key');
      expect(view.searchParams.get(ref.kind === 'campaign' ? 'lang' : 'variant')).toBe(batch.variant_key);

      // The link names no reader: the variant's public page, the same for everyone who got it.
      expect(view.searchParams.has('token'), viewLink).toBe(false);
      const response = await fetch(view);
      expect(response.status, viewLink).toBe(200);
      expect(response.headers.get('x-robots-tag')).toBe(campaignId === sent.keptOut!.documentId ? 'noindex' : null);
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      const page = await response.text();
      expect(page).toContain('<meta name="referrer" content="no-referrer">');
      const links = hrefs(page);
      // The mail keeps the reader's own unsubscribe and preferences links; the page has none of them, only the manage page.
      const personal = hrefs(mail.html!).filter((href) => /\/newsletter\/(unsubscribe|preferences)\?token=/.test(href));
      expect(personal.length).toBeGreaterThan(0);
      for (const href of personal) expect(links).not.toContain(href);
      expect(links.filter((href) => /\/newsletter\/(unsubscribe|preferences)\b/.test(href))).toEqual([]);
      expect(page).not.toContain('token=');
      const locale = batch.variant_key.startsWith('en') ? 'en' : 'nl';
      expect(links).toContain(`${app.url}/newsletter/manage?lang=${locale}#unsubscribe`);
      expect(links).toContain(`${app.url}/newsletter/manage?lang=${locale}#preferences`);
      expect(links).toContain(view.href);
      for (const text of [...READER_NAMES, ...READER_EMAILS]) expect(page).not.toContain(text);

      for (const href of new Set(links)) {
        if (href.startsWith('mailto:') || href.startsWith('#')) continue;
        const target = new URL(href, view);
        if (target.origin !== new URL(app.url).origin) {
          external.add(target.origin);
          continue;
        }
        if (!readingPagesServed && READING_PAGE.test(target.pathname)) {
          awaiting.add(target.pathname);
          continue;
        }
        expect(await statusOf(target.href), href).toBe(200);
      }
    }
    if (awaiting.size > 0)
      console.warn(
        `archive-feeds: ${awaiting.size} reading-page links not checked (the reading pages are not on this branch yet): ${[...awaiting].join(', ')}`,
      );
    // The demo resources link to example.org; no test reaches the internet.
    expect([...external].every((origin) => origin === 'https://example.org')).toBe(true);
  });

  it('a kept-out mailing still opens for its own readers, but is not indexable', async () => {
    const mail = sink
      .messages()
      .map((message) => renderForRecipient(message, READER_EMAILS[1]))
      .find((found) => found?.customArgs.campaign_id === sent.keptOut!.documentId)!;
    const viewLink = hrefs(mail.html!).find((href) => href.includes('/newsletter/campaigns/'))!;
    const response = await fetch(viewLink);
    expect(response.status).toBe(200);
    const anonymous = await get(`/newsletter/campaigns/${sent.keptOut!.documentId}?lang=nl`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get('x-robots-tag')).toBe('noindex');
  });

  it("any token in the address (an old mail's view token, an expired, tampered or forged one) opens the same public page, never an error", async () => {
    const path = `/newsletter/campaigns/${sent.campaign!.documentId}?lang=nl`;
    const plain = await (await get(path)).text();
    const { link_key: linkKey } = await db('subscribers').where({ email: READER_EMAILS[0] }).first('link_key');
    const secret = process.env.TOKEN_SECRET!;
    const old = oldViewToken(linkKey, secret);
    const tokens = {
      'old-format view token of a reader': old,
      'expired view token': oldViewToken(linkKey, secret, Math.floor(Date.now() / 1000) - 86_400),
      'tampered view token': `${old.slice(0, -2)}xx`,
      forged: 'v.aaaaaaaaaaaaaaaaaaaaaa.0.forged',
      'an unsubscribe token': new URL(
        hrefs(
          sink
            .messages()
            .map((message) => renderForRecipient(message, READER_EMAILS[0]))
            .find((mail) => mail?.html)!.html!,
        ).find((href) => href.includes('/newsletter/unsubscribe?token='))!,
      ).searchParams.get('token')!,
      garbage: '%ZZ'.repeat(50),
    };
    for (const [name, token] of Object.entries(tokens)) {
      const response = await get(`${path}&token=${token.startsWith('%') ? token : encodeURIComponent(token)}`);
      expect(response.status, name).toBe(200);
      expect(response.headers.get('x-robots-tag'), name).toBe('noindex');
      // The same page, only kept out of search engines (the address is a duplicate of the public one).
      const page = await response.text();
      expect(page, name).toContain('<meta name="robots" content="noindex">');
      expect(page.replace('<meta name="robots" content="noindex">', ''), name).toBe(plain);
    }
    expect(plain).toContain('/newsletter/manage?lang=nl#unsubscribe');
    expect(plain).not.toMatch(/\/newsletter\/(unsubscribe|preferences)\?/);
    expect((await get('/newsletter/manage?lang=nl')).status).toBe(200);
    // The token opened nothing else: the reader is still subscribed.
    expect((await db('subscribers').where({ email: READER_EMAILS[0] }).first('state')).state).toBe('active');
  });

  it("an old mail's view token on a mailing that is not public (a draft) gets the clear 404 page, not an error", async () => {
    const draft = await createCampaign(app.strapi, { title: 'Nog niet verstuurd', features: ['inspiratiebundel-leercultuur'] });
    const { link_key: linkKey } = await db('subscribers').where({ email: READER_EMAILS[0] }).first('link_key');
    const response = await get(
      `/newsletter/campaigns/${draft.documentId}?lang=nl&token=${encodeURIComponent(oldViewToken(linkKey, process.env.TOKEN_SECRET!))}`,
    );
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).not.toContain(linkKey);
  });
});

describe('the sitemap', () => {
  it('lists the archive and each archived web version (both languages as alternates), not the kept-out one', async () => {
    const sitemap = await (await get('/sitemap.xml')).text();
    expect(sitemap).toContain(`<loc>${app.url}/newsletter/archive?lang=en</loc>`);
    const campaign = `${app.url}/newsletter/campaigns/${sent.campaign!.documentId}?lang=`;
    expect(sitemap).toContain(`<loc>${campaign}nl</loc>`);
    expect(sitemap).toContain(`<xhtml:link rel="alternate" hreflang="en" href="${campaign}en"/>`);
    expect(sitemap).not.toContain(sent.keptOut!.documentId);
    expect(sitemap).not.toContain('token=');
  });
});

describe('feeds', () => {
  const parser = new Parser();

  it("the archive feed: RSS 2.0 per language with the archive's entries, each opening (200)", async () => {
    const response = await get('/feeds/archive.xml?lang=nl');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const feed = await parser.parseString(await response.text());
    expect(feed.items).toHaveLength(14);
    expect(feed.items[0].link).toBe(`${app.url}/newsletter/campaigns/${sent.campaign!.documentId}?lang=nl`);
    expect(feed.items.map((item) => item.link).join(' ')).not.toContain(sent.keptOut!.documentId);
    for (const item of feed.items.slice(0, 3)) expect(await statusOf(item.link!), item.link).toBe(200);
    const english = await parser.parseString(await (await get('/feeds/archive.xml?lang=en')).text());
    expect(english.items).toHaveLength(2);
    expect(english.language).toBe('en');
  });

  it('the articles feed: the published articles in each language, linked as mails link them', async () => {
    for (const lang of ['nl', 'en'] as const) {
      const response = await get(`/feeds/articles.xml?lang=${lang}`);
      expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
      const feed = await parser.parseString(await response.text());
      const published = await app.strapi.documents('api::article.article').findMany({ locale: lang, status: 'published' } as never);
      expect(feed.items).toHaveLength(published.length);
      for (const item of feed.items) {
        expect(item.link).toMatch(new RegExp(`^${app.url}${lang === 'nl' ? '/nieuws/' : '/en/news/'}[a-z0-9-]+$`));
        expect(item.pubDate).toBeTruthy();
        if (readingPagesServed) expect(await statusOf(item.link!), item.link).toBe(200);
      }
    }
    if (!readingPagesServed) console.warn('archive-feeds: article feed links not followed (the reading pages are not on this branch yet)');
  });
});
