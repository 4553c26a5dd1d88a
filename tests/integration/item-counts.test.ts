import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../src/core/infra/redis';
import { pendingCountsKey, storePendingOpenings } from '../../src/site/counts/pending';
import type { Knex } from 'knex';
import { REDIS_URL } from '../support/redis';
import { renderForRecipient } from '../../scripts/mail-sink/server';
import { createJsonLogger } from '../../src/core/infra/log';
import { createMailingDeps } from '../../src/app/mailing-deps';
import { networkDay } from '../../src/core/domain/time-zone';
import type { MailingRef } from '../../src/mailings/engine/mailing';
import { BATCHES } from '../../src/mailings/engine/schema';
import { createKnexSendingStore } from '../../src/mailings/engine/knex-store';
import { ITEM_COUNTS_TABLE, countOpenings } from '../../src/site/counts/store';
import { lastJson, mailingsCommand } from '../support/newsletter-cli';
import { useCms } from '../support/harness';
import { until } from '../support/until';

/**
 * Item counts end to end (src/site/counts/): the demo campaign is sent through the SendGrid
 * stand-in, an item link is taken out of a reader's mail and followed: it leads to the item's page
 * (which answers 200) and the count of that mailing x item x day grows by one, with nothing about
 * the reader stored. A forged link is a 404 page, never a redirect; the table holds no column about
 * a person; concurrent clicks are all counted; the status command lists the items' clicks. The CMS
 * hands openings to Redis; what the worker does with them (storePendingOpenings) is done here.
 */
const TZ = 'Europe/Amsterdam';
const app = useCms({ name: 'item-counts', listen: true, seed: true, env: { NEWSLETTER_TZ: TZ } });
const quiet = createJsonLogger('test', () => undefined);
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const click = (url: string, init: RequestInit = {}) => fetch(url, { redirect: 'manual', ...init, headers: { 'user-agent': BROWSER, ...init.headers } });

let ref: MailingRef;
let documentId: string;
let html: string;

/** The worker's part, done here: what the CMS left in Redis into the table (src/site/counts/pending.ts). */
let redis: Redis;
const counted = async (where: Record<string, unknown>) => {
  await storePendingOpenings(redis, app.redisPrefix, app.db);
  return Number((await app.db(ITEM_COUNTS_TABLE).where(where).sum({ n: 'openings' }).first())?.n ?? 0);
};

afterAll(async () => {
  await redis?.quit();
});

beforeAll(async () => {
  redis = createRedis(REDIS_URL, 'client');
  const campaign = (await app.db('campaigns').orderBy('id').first('id', 'document_id')) as { id: number; document_id: string };
  ref = { kind: 'campaign', id: campaign.id };
  documentId = campaign.document_id;
  // Sent in this process, batch by batch, as a worker would: the stand-in receives the mails.
  const deps = createMailingDeps(app.strapi, quiet);
  expect(deps.settings.itemCounts).toBe(true);
  await deps.engine.schedule(ref, 'now');
  expect((await deps.engine.plan(ref, { force: true })).outcome).toBe('planned');
  const batches = (await app.db(BATCHES).where({ mailing_kind: 'campaign', mailing_id: ref.id }).select('batch_no')) as Array<{ batch_no: number }>;
  for (const batch of batches) await deps.engine.sendBatch(ref, batch.batch_no);
  await deps.engine.finish(ref);
  const message = app.sink.messages()[0];
  const recipient = app.sink.recipients()[0];
  html = renderForRecipient(message, recipient.email)?.html ?? '';
  expect(html).not.toBe('');
});

describe('a mail item link', () => {
  it("leads to the item's page and counts one click of that mailing's item, today", async () => {
    const links = [...new Set([...html.matchAll(/href="([^"]*\/r\/[^"]+)"/g)].map((match) => match[1]))];
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link.startsWith(`${app.url}/r/`)).toBe(true);
    const before = await counted({ mailing: `campaign:${ref.id}` });

    const response = await click(links[0]);
    expect(response.status).toBe(302);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    // Answered before the CMS's other middlewares (src/middlewares/item-link.ts): none of a page's headers.
    expect(response.headers.get('content-security-policy')).toBeNull();
    const location = response.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${app.url}/(inspiratie|nieuws|en/resources|en/news)/`));
    expect((await click(location)).status).toBe(200);

    await until('the click is counted', async () => (await counted({ mailing: `campaign:${ref.id}` })) === before + 1);
    const rows = await app.db(ITEM_COUNTS_TABLE).where({ mailing: `campaign:${ref.id}` });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ day: networkDay(new Date(), TZ), source: 'mail', openings: 1 });
    // The page the reader landed on counted one view of the same item.
    await until('the page view is counted', async () => (await counted({ source: 'page', item_document_id: rows[0].item_document_id })) === 1);

    // The web version shows the same links (it is the variant as it was sent).
    const web = await (await fetch(`${app.url}/newsletter/campaigns/${documentId}?lang=nl`)).text();
    expect(web).toContain(links[0].replace(/&/g, '&amp;'));

    const status = await mailingsCommand(app.strapi, ['status', '--campaign', String(ref.id), '--json']);
    expect(status.code, status.stderr).toBe(0);
    const { itemClicks } = lastJson(status.stdout);
    expect(itemClicks).toEqual([{ title: expect.any(String), url: location, clicks: 1 }]);
  });

  it('counts every one of many clicks at once, and none of a HEAD or a bot', async () => {
    const link = [...html.matchAll(/href="([^"]*\/r\/[^"]+)"/g)][0][1];
    const before = await counted({ mailing: `campaign:${ref.id}` });
    const answers = await Promise.all(Array.from({ length: 25 }, () => click(link)));
    expect(answers.every((answer) => answer.status === 302)).toBe(true);
    expect((await click(link, { method: 'HEAD' })).status).toBe(302);
    expect((await click(link, { headers: { 'user-agent': 'Googlebot/2.1' } })).status).toBe(302);
    await until('all clicks are counted', async () => (await counted({ mailing: `campaign:${ref.id}` })) >= before + 25);
    // The uncounted requests went first; anything counted by now beyond the 25 would be theirs.
    expect(await counted({ mailing: `campaign:${ref.id}` })).toBe(before + 25);
  });

  it('keeps the openings in Redis when the database refuses them, and writes them once it takes them', async () => {
    const link = [...html.matchAll(/href="([^"]*\/r\/[^"]+)"/g)][0][1];
    const before = await counted({ mailing: `campaign:${ref.id}` });
    for (let n = 0; n < 3; n++) expect((await click(link)).status).toBe(302);
    const away = { transaction: () => Promise.reject(new Error('database away')) } as unknown as Knex;
    await until('the clicks are handed to Redis', async () => (await redis.hlen(pendingCountsKey(app.redisPrefix))) > 0);
    await expect(storePendingOpenings(redis, app.redisPrefix, away)).rejects.toThrow('database away');
    expect(await counted({ mailing: `campaign:${ref.id}` })).toBe(before + 3);
  });

  it('loses no count when several writers add to the same row at once (the upsert is atomic)', async () => {
    const opening = { day: '2026-01-01', source: 'page' as const, mailing: null, item: { kind: 'article' as const, documentId: 'atomic1' } };
    await Promise.all(Array.from({ length: 12 }, () => countOpenings(app.db, [{ ...opening, times: 2 }])));
    expect(await counted({ item_document_id: 'atomic1' })).toBe(24);
    expect(await app.db(ITEM_COUNTS_TABLE).where({ item_document_id: 'atomic1' })).toHaveLength(1);
  });

  it('that was forged or garbled is a 404 page, never a redirect', async () => {
    const link = [...html.matchAll(/href="([^"]*\/r\/[^"]+)"/g)][0][1];
    for (const forged of [`${link.slice(0, -2)}xx`, link.replace(/\/r\/c/, '/r/e'), `${app.url}/r/https%3A%2F%2Fevil.example`, `${app.url}/r/x`]) {
      const response = await click(forged);
      expect(response.status, forged).toBe(404);
      expect(response.headers.get('location')).toBeNull();
      // Answered by the route, not the early redirect: a page with a page's headers.
      expect(response.headers.get('content-security-policy'), forged).toBeTruthy();
      expect(response.headers.get('cache-control'), forged).toBe('no-store');
      expect(await response.text()).toContain('Deze link klopt niet');
    }
    // Crawlers are asked to stay out: one following a link would add openings no reader made.
    expect(await (await fetch(`${app.url}/robots.txt`)).text()).toContain('Disallow: /r/');
  });
});

describe("the editors' view of the counts", () => {
  const PASSWORD = 'Counts-Passw0rd';
  async function adminToken(email: string, roleCode: string): Promise<string> {
    const role = await app.strapi.service('admin::role').findOne({ code: roleCode });
    await app.strapi.service('admin::user').create({ email, firstname: 'Test', lastname: 'Counts', password: PASSWORD, isActive: true, roles: [role.id] });
    const response = await fetch(`${app.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    return ((await response.json()) as { data: { token: string } }).data.token;
  }
  const get = (token: string, path: string) => fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it("per mailing (the sending panel) and per item across mailings and pages (Meest gelezen), for an Editor's statistics only", async () => {
    const editor = await adminToken('counts.editor@example.org', 'strapi-editor');
    const author = await adminToken('counts.author@example.org', 'strapi-author');
    const perMailing = await get(editor, `/desk/mailings/campaign/${documentId}/item-counts`);
    expect(perMailing.status).toBe(200);
    const { items } = ((await perMailing.json()) as { data: { items: Array<{ title: string; clicks: number }> } }).data;
    expect(items.length).toBeGreaterThan(0);
    expect(items[0].clicks).toBeGreaterThanOrEqual(26);
    expect(items.map((item) => item.clicks)).toEqual([...items.map((item) => item.clicks)].sort((a, b) => b - a));

    const mostRead = await get(editor, '/desk/statistics/most-read?days=30');
    expect(mostRead.status).toBe(200);
    const body = (await mostRead.json()) as { data: Array<{ title: string; clicks: number; views: number }>; meta: { counting: boolean } };
    expect(body.meta.counting).toBe(true);
    expect(body.data[0]).toMatchObject({ title: items[0].title, clicks: items[0].clicks, views: 1 });

    expect((await get(author, '/desk/statistics/most-read')).status).toBe(403);
    const wrong = await get(editor, '/desk/statistics/most-read?days=many');
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/number of days/);
    expect((await get(editor, '/desk/mailings/campaign/nosuchcampaign/item-counts')).status).toBe(404);
  });
});

describe('MAIL_LINK_COUNTS', () => {
  it('off: the send renders direct links to the pages; on: through the redirect', async () => {
    const record = (await createKnexSendingStore(app.db).mailing(ref))!;
    const rendered = async () => {
      const prepared = await createMailingDeps(app.strapi, quiet).producer('campaign').prepare(record);
      if (!('render' in prepared)) throw new Error('the campaign has nothing to send');
      return (await prepared.render('nl')).html;
    };
    expect(await rendered()).toContain(`${app.url}/r/`);
    process.env.MAIL_LINK_COUNTS = 'off';
    try {
      const direct = await rendered();
      expect(direct).not.toContain('/r/');
      expect(direct).toMatch(new RegExp(`href="${app.url}/inspiratie/[a-z0-9-]+"`));
    } finally {
      delete process.env.MAIL_LINK_COUNTS;
    }
  });
});

describe('the item counts table', () => {
  it('has no column about a reader', async () => {
    const columns = Object.keys(await app.db(ITEM_COUNTS_TABLE).columnInfo());
    expect(columns.sort()).toEqual(['day', 'id', 'item_document_id', 'item_kind', 'mailing', 'openings', 'source']);
    for (const column of columns) expect(column).not.toMatch(/subscriber|reader|person|user|email|address|ip|agent|cookie|token|link_key|session/i);
  });
});
