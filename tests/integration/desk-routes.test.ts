import type { Knex } from 'knex';
import { beforeAll, describe, expect, it } from 'vitest';
import { campaigns as demoCampaigns } from '../../database/seed/demo-content';
import type { MailSink } from '../../scripts/mail-sink/server';
import { CAMPAIGN_UID } from '../../src/mailings/campaign/content';
import { createCampaign } from '../../src/mailings/campaign/create';
import { createJsonLogger } from '../../src/core/infra/log';
import { RateLimiter } from '../../src/core/infra/rate-limiter';
import { createRedis } from '../../src/core/infra/redis';
import { assembleEdition } from '../../src/mailings/edition/assemble';
import { ITEMS_POPULATE } from '../../src/mailings/edition/edition-items';
import { createMailingDeps } from '../../src/app/mailing-deps';
import { jobIds, sendingQueue } from '../../src/mailings/engine/queue';
import { VARIANTS } from '../../src/mailings/engine/schema';
import { mailsTo, waitForMail } from '../support/mail';
import { deleteRedisPrefix, REDIS_URL, testRedisPrefix } from '../support/redis';
import { useCms } from '../support/harness';
import { until } from '../support/until';
import { adminSessionToken } from '../support/admin-session';

/**
 * The desk's admin routes (src/plugins/desk/server): who may call them (401 without an admin,
 * 403 without the route's own action, whatever else the role may do), what bad input gets (400
 * with a message), and what each does to the mailing, the queue and the stand-in. The worker is
 * not running here: "send now" is seen as its planning job in the queue (the browser test sends).
 */
const PREFIX = testRedisPrefix('desk-routes');

const app = useCms({ name: 'desk-routes', listen: true, seed: true, env: { REDIS_PREFIX: PREFIX } });
let sink: MailSink;
let db: Knex;
let campaignId: string;
const tokens: Record<'super' | 'none' | 'author' | 'contentOnly' | 'editor', string> = { super: '', none: '', author: '', contentOnly: '', editor: '' };

interface ErrorBody {
  error: { status: number; message: string; details: Record<string, unknown> };
}

const adminToken = (email: string, role: { id: number }) => adminSessionToken(app, email, role.id);

const permission = (action: string, subject: string | null = null) => ({ action, subject, properties: {}, conditions: [] });

async function roleWith(name: string, permissions: ReturnType<typeof permission>[]) {
  const roles = app.strapi.service('admin::role');
  const role = await roles.create({ name: `${name} ${Date.now()}`, description: 'desk route test' });
  if (permissions.length > 0) await roles.addPermissions(role.id, permissions);
  return role as { id: number };
}

const url = (path: string, kind = 'campaign', documentId = campaignId) => `${app.url}/desk/mailings/${kind}/${documentId}/${path}`;
const call = (token: string | null, path: string, body?: unknown, kind?: string, documentId?: string) =>
  fetch(url(path, kind, documentId), {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const json = async <T>(response: Response) => (await response.json()) as T;

const ROUTES: Array<[path: string, body?: unknown]> = [
  ['preview'],
  ['progress'],
  ['audience'],
  ['test-send', { addresses: ['a@example.org'] }],
  ['schedule', { sendAt: '2099-01-01T09:00:00+01:00' }],
  ['send-now', {}],
  ['cancel', {}],
  ['duplicate', {}],
  ['send-remainder', {}],
];

beforeAll(async () => {
  sink = app.sink;
  db = app.strapi.db.connection as unknown as Knex;
  campaignId = (await app.strapi.documents(CAMPAIGN_UID).findFirst({ filters: { title: demoCampaigns[0].title } } as never))!.documentId;
  const roles = app.strapi.service('admin::role');
  tokens.super = await adminToken('desk.super@example.org', await roles.findOne({ code: 'strapi-super-admin' }));
  tokens.none = await adminToken('desk.none@example.org', await roleWith('No rights', []));
  tokens.author = await adminToken(
    'desk.author@example.org',
    await roleWith('Desk author', [permission('plugin::desk.preview'), permission('plugin::desk.send-test')]),
  );
  // The built-in Editor: the desk's send permission, so test sends to any address.
  tokens.editor = await adminToken('desk.editor@example.org', await roles.findOne({ code: 'strapi-editor' }));
  // Every content-manager right on campaigns, none of the desk's: the desk's actions are its own.
  tokens.contentOnly = await adminToken(
    'desk.content@example.org',
    await roleWith(
      'Campaign content',
      ['create', 'read', 'update', 'delete', 'publish'].map((action) => permission(`plugin::content-manager.explorer.${action}`, CAMPAIGN_UID)),
    ),
  );
});

describe('who may call the desk', () => {
  it('answers 401 without an admin session, and is not on the content API', async () => {
    for (const [path, body] of ROUTES) expect((await call(null, path, body)).status, path).toBe(401);
    expect((await fetch(`${app.url}/api/desk/mailings/campaign/${campaignId}/preview`)).status).toBe(404);
  });

  it('answers 403 to roles without the route action, also with every content-manager right', async () => {
    for (const token of [tokens.none, tokens.contentOnly]) {
      for (const [path, body] of ROUTES) expect((await call(token, path, body)).status, path).toBe(403);
    }
  });

  it('lets a role with preview and send-test preview and test, and refuses it audience, schedule, send now and cancel (403)', async () => {
    expect((await call(tokens.author, 'preview')).status).toBe(200);
    expect((await call(tokens.author, 'progress')).status).toBe(200);
    expect((await call(tokens.author, 'test-send', { addresses: ['author.test@example.org'], locale: 'nl' })).status).toBe(200);
    for (const [path, body] of ROUTES.slice(2).filter(([path]) => path !== 'test-send')) expect((await call(tokens.author, path, body)).status, path).toBe(403);
    expect(await db('campaigns').where({ document_id: campaignId }).first('state')).toEqual({ state: 'draft' });
  });
});

describe('bad input', () => {
  it('answers 400 with a message for a bad kind, document id, address list, locale or send time, 404 for an unknown mailing', async () => {
    const cases: Array<[Response, RegExp]> = [
      [await call(tokens.super, 'preview', undefined, 'newsletter'), /kind must be/],
      [await call(tokens.super, 'preview', undefined, 'campaign', 'x'.repeat(65)), /documentId must be/],
      [await call(tokens.super, 'test-send', { addresses: ['not-an-address', 'ok@example.org'] }), /Not a valid email address: not-an-address/],
      [await call(tokens.super, 'test-send', { addresses: [] }), /at least one/],
      [
        await call(tokens.super, 'test-send', {
          addresses: ['1@example.org', '2@example.org', '3@example.org', '4@example.org', '5@example.org', '6@example.org'],
        }),
        /At most 5/,
      ],
      [await call(tokens.super, 'test-send', { addresses: 42 }), /list of email addresses/],
      [await call(tokens.super, 'test-send', { addresses: ['a@example.org'], locale: 'de' }), /locale must be/],
      [await call(tokens.super, 'schedule', { sendAt: 'tomorrow' }), /ISO date and time/],
      [await call(tokens.super, 'schedule', { sendAt: '2027-02-31T09:00:00+01:00' }), /not a date and time that exists/],
      [await call(tokens.super, 'schedule', {}), /ISO date and time/],
    ];
    for (const [response, message] of cases) {
      expect(response.status, String(message)).toBe(400);
      expect((await json<ErrorBody>(response)).error.message).toMatch(message);
    }
    const unknown = await call(tokens.super, 'preview', undefined, 'edition', 'unknown0000000000000000000');
    expect(unknown.status).toBe(404);
    expect((await json<ErrorBody>(unknown)).error.message).toBe('No edition with document id "unknown0000000000000000000"');
    expect(sink.messages()).toHaveLength(1); // only the author's test above
  });
});

describe('what the desk does', () => {
  it('previews every language with subject, preheader, text and a sample greeting, sending nothing', async () => {
    sink.reset();
    const response = await call(tokens.super, 'preview');
    expect(response.status).toBe(200);
    const { data } = await json<{
      data: { variants: Array<{ locale: string; subject: string; preheader: string; html: string; text: string; greeting: string }> };
    }>(response);
    expect(data.variants.map((variant) => [variant.locale, variant.subject, variant.preheader])).toEqual([
      ['nl', demoCampaigns[0].subject.nl, demoCampaigns[0].preheader.nl],
      ['en', demoCampaigns[0].subject.en, demoCampaigns[0].preheader.en],
    ]);
    expect(data.variants[0].greeting).toBe('Hallo Sanne,');
    expect(data.variants[0].html).toContain('Hallo Sanne,');
    expect(data.variants[1].text).toContain('Hi Sam,');
    expect(data.variants[0].html).not.toContain('%greeting%');
    expect(sink.messages()).toHaveLength(0);
  });

  it('previews an edition per language and per theme selection that occurs among its readers', async () => {
    const assembled = await assembleEdition(
      createMailingDeps(
        app.strapi,
        createJsonLogger('test', () => undefined),
      ),
      { now: new Date(), periodKey: `desk:${Date.now()}` },
    );
    const response = await call(tokens.super, 'preview', undefined, 'edition', assembled.documentId);
    expect(response.status).toBe(200);
    const { data } = await json<{
      data: {
        variants: Array<{
          key: string;
          locale: string;
          themes: string[];
          themeNames: Array<{ nl: string; en: string }>;
          subject: string;
          greeting: string;
          html: string;
        }>;
      };
    }>(response);
    // Anna (nl, two themes), Pieter (nl, none) and Grace (en, one theme): three variants, Dutch first, all themes before a selection.
    expect(data.variants.map((variant) => [variant.locale, variant.themes.length > 0])).toEqual([
      ['nl', false],
      ['nl', true],
      ['en', true],
    ]);
    // Tabs name the themes as editors know them, in both languages.
    const named = async (locale: 'nl' | 'en') =>
      (await app.strapi.documents('api::theme.theme').findMany({ locale, status: 'published', fields: ['slug', 'name'] } as never)) as unknown as Array<{
        slug: string;
        name: string;
      }>;
    const [dutch, english] = await Promise.all([named('nl'), named('en')]);
    for (const variant of data.variants) {
      const expected = variant.themes.map((slug) => ({
        nl: dutch.find((theme) => theme.slug === slug)?.name,
        en: english.find((theme) => theme.slug === slug)?.name,
      }));
      expect(variant.themeNames).toEqual(expected);
    }
    expect(data.variants.find((variant) => variant.key === 'nl|')).toBeDefined();
    for (const variant of data.variants) {
      expect(variant.subject.length).toBeGreaterThan(0);
      expect(variant.html).toContain(variant.greeting);
    }
    expect(sink.messages()).toHaveLength(0);
  });

  it('sends a test to several addresses with [TEST] in the subject and writes no delivery', async () => {
    sink.reset();
    const response = await call(tokens.super, 'test-send', { addresses: 'proef1@example.org, Proef2@Example.org', locale: 'en' });
    expect(response.status).toBe(200);
    expect((await json<{ data: { sent: number } }>(response)).data.sent).toBe(2);
    const [mail] = await waitForMail(sink, 'proef2@example.org');
    expect(mail.subject).toBe(`[TEST] ${demoCampaigns[0].subject.en}`);
    expect(mailsTo(sink, 'proef1@example.org')).toHaveLength(1);
    expect(Number((await db('newsletter_deliveries').count({ n: '*' }))[0].n)).toBe(0);
  });

  it('counts the audience: the active readers only', async () => {
    const response = await call(tokens.super, 'audience');
    expect(await json(response)).toEqual({ data: { recipients: 3, refusal: null } });
  });

  it('refuses a send time in the past with the engine message (422), schedules, cancels, and refuses a second cancel (409)', async () => {
    const past = await call(tokens.super, 'schedule', { sendAt: '2020-01-01T09:00:00+01:00' });
    expect(past.status).toBe(422);
    expect((await json<ErrorBody>(past)).error.message).toMatch(/in the past/);
    const scheduled = await call(tokens.super, 'schedule', { sendAt: '2099-01-12T09:00:00+01:00' });
    expect(scheduled.status).toBe(200);
    const progress = await json<{ data: { state: string; sendAt: string; final: boolean } }>(await call(tokens.super, 'progress'));
    expect(progress.data).toMatchObject({ state: 'scheduled', sendAt: '2099-01-12T08:00:00.000Z', final: false });
    const cancelled = await call(tokens.super, 'cancel', {});
    expect(await json(cancelled)).toEqual({ data: { outcome: 'cancelled' } });
    const again = await call(tokens.super, 'cancel', {});
    expect(again.status).toBe(409);
    expect((await json<ErrorBody>(again)).error.message).toMatch(/cancelled; there is nothing left to cancel/);
    expect((await call(tokens.super, 'send-now', {})).status).toBe(409);
  });

  it('refuses to send a campaign that features a draft, naming it (422), and queues a sendable one at once', async () => {
    const draft = await app.strapi
      .documents('api::article.article')
      .findFirst({ filters: { slug: 'nieuw-lerend-netwerk-najaar' }, locale: 'nl', status: 'draft' } as never);
    const withDraft = await app.strapi.documents(CAMPAIGN_UID).create({
      data: {
        title: 'Met concept',
        subjectNl: 'Concept',
        subjectEn: 'Draft',
        featuredItems: [{ article: draft!.documentId }],
        audienceThemes: [],
        audienceLocale: null,
      },
    } as never);
    const audience = await json<{ data: { recipients: number; refusal: string } }>(
      await call(tokens.super, 'audience', undefined, 'campaign', withDraft.documentId),
    );
    expect(audience.data.refusal).toMatch(/concept|draft/i);
    const refused = await call(tokens.super, 'send-now', {}, 'campaign', withDraft.documentId);
    expect(refused.status).toBe(422);
    expect((await json<ErrorBody>(refused)).error.message).toMatch(/concept|draft/i);

    const created = await createCampaign(app.strapi, { title: 'Handboek', features: ['handboek-actieleren'], themes: [], locale: null });
    const sent = await call(tokens.super, 'send-now', {}, 'campaign', created.documentId);
    expect(sent.status).toBe(200);
    expect((await json<{ data: { state: string } }>(sent)).data.state).toBe('scheduled');
    const redis = createRedis(REDIS_URL, 'client');
    const queue = sendingQueue(redis, PREFIX);
    try {
      const job = await queue.getJob(jobIds.plan({ kind: 'campaign', id: created.id }));
      expect(job?.data).toEqual({ mailing: { kind: 'campaign', id: created.id }, force: true });
    } finally {
      await queue.close();
      await redis.quit();
    }
  });
});

describe('whole mailings: duplicate, send to those who did not get it, assemble an edition', () => {
  const post = (token: string, path: string) =>
    fetch(`${app.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
  const get = (token: string, path: string) => fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('duplicates a campaign as a new draft with the same content and audience, also a cancelled one; an Author may not (403)', async () => {
    const original = await createCampaign(app.strapi, {
      title: 'Om te kopiëren',
      features: ['handboek-actieleren', 'inspiratiebundel-leercultuur'],
      themes: ['verandermanagement'],
      locale: 'nl',
    });
    await db('campaigns').where({ id: original.id }).update({ preheader_nl: 'Voorregel', state: 'cancelled', notes: 'Geannuleerd', submitted_count: 3 });
    expect((await call(tokens.author, 'duplicate', {}, 'campaign', original.documentId)).status).toBe(403);
    const response = await call(tokens.editor, 'duplicate', {}, 'campaign', original.documentId);
    expect(response.status).toBe(200);
    const { documentId } = (await json<{ data: { documentId: string; state: string } }>(response)).data;
    expect(documentId).not.toBe(original.documentId);
    const populate = { featuredItems: { populate: { resource: true, article: true } }, audienceThemes: true };
    const [before, copy] = await Promise.all(
      [original.documentId, documentId].map((id) => app.strapi.documents(CAMPAIGN_UID).findOne({ documentId: id, populate } as never) as Promise<any>),
    );
    expect(copy).toMatchObject({
      title: 'Om te kopiëren (kopie)',
      state: 'draft',
      sendAt: null,
      notes: null,
      submittedCount: 0,
      subjectNl: before.subjectNl,
      subjectEn: before.subjectEn,
      preheaderNl: 'Voorregel',
      introNl: before.introNl,
      audienceLocale: 'nl',
      remainderOf: null,
    });
    const items = (campaign: any) => campaign.featuredItems.map((item: any) => item.resource?.documentId ?? item.article?.documentId);
    expect(items(copy)).toEqual(items(before));
    expect(copy.audienceThemes.map((theme: any) => theme.documentId)).toEqual(before.audienceThemes.map((theme: any) => theme.documentId));
    expect((await call(tokens.editor, 'duplicate', {}, 'campaign', 'nonexistent0000000000000')).status).toBe(404);
  });

  it('sends a cancelled campaign to whoever did not get it: every active reader of the audience exactly once, then refuses a second time (422), nothing left behind', async () => {
    const deps = createMailingDeps(
      app.strapi,
      createJsonLogger('test', () => undefined),
    );
    deps.settings.batchSize = 2;
    const original = await createCampaign(app.strapi, { title: 'Half verstuurd', features: ['handboek-actieleren'], themes: [], locale: null });
    const ref = { kind: 'campaign' as const, id: original.id };
    expect((await call(tokens.editor, 'send-remainder', {}, 'campaign', original.documentId)).status).toBe(409);
    sink.reset();
    await deps.engine.schedule(ref, 'now');
    const plan = await deps.engine.plan(ref);
    if (plan.outcome !== 'planned') throw new Error(`not planned: ${plan.outcome}`);
    expect(await deps.engine.sendBatch(ref, plan.batches[0])).toBe('submitted');
    await deps.engine.cancel(ref);
    for (const batchNo of plan.batches.slice(1)) await deps.engine.sendBatch(ref, batchNo);
    expect(await db('campaigns').where({ id: original.id }).first('state')).toEqual({ state: 'cancelled' });
    const firstRound = sink.recipients().map((mail) => mail.email);
    expect(firstRound.length).toBe(2);

    expect((await call(tokens.author, 'send-remainder', {}, 'campaign', original.documentId)).status).toBe(403);
    const response = await call(tokens.editor, 'send-remainder', {}, 'campaign', original.documentId);
    expect(response.status).toBe(200);
    const { documentId, state } = (await json<{ data: { documentId: string; state: string } }>(response)).data;
    expect(state).toBe('scheduled');
    const remainder = await db('campaigns').where({ document_id: documentId }).first('id', 'title', 'remainder_of');
    expect(remainder).toMatchObject({ title: 'Half verstuurd (rest)', remainder_of: original.id });
    const rest = { kind: 'campaign' as const, id: remainder.id };
    const restPlan = await deps.engine.plan(rest, { force: true });
    if (restPlan.outcome !== 'planned') throw new Error(`remainder not planned: ${restPlan.outcome}`);
    for (const batchNo of restPlan.batches) expect(await deps.engine.sendBatch(rest, batchNo)).toBe('submitted');

    const active: string[] = (await db('subscribers').where({ state: 'active' }).select('email')).map((row: { email: string }) => row.email);
    const received = sink.recipients().map((mail) => mail.email);
    expect([...received].sort()).toEqual([...active].sort());
    expect(new Set(received).size).toBe(received.length);

    const campaignsBefore = await db('campaigns').count({ n: '*' }).first();
    const again = await call(tokens.editor, 'send-remainder', {}, 'campaign', original.documentId);
    expect(again.status).toBe(422);
    expect((await json<ErrorBody>(again)).error.message).toMatch(/Everyone in the audience has received this mailing already/);
    expect(await db('campaigns').count({ n: '*' }).first()).toEqual(campaignsBefore);
  });

  it('assembles the next edition as a draft with what was published since the last one; with nothing new it refuses (422) and makes nothing', async () => {
    // Something new since the editions earlier tests made.
    const fresh = await app.strapi.documents('api::article.article').create({
      locale: 'nl',
      data: { title: 'Nieuw voor de editie', slug: 'nieuw-voor-de-editie', summary: 's', body: 'b', publicationDate: '2026-12-01' },
    } as never);
    await app.strapi.documents('api::article.article').publish({ documentId: fresh.documentId, locale: 'nl' } as never);
    expect((await get(tokens.author, '/desk/editions/next')).status).toBe(403);
    expect((await post(tokens.author, '/desk/editions/assemble')).status).toBe(403);
    const next = await json<{ data: { after: string | null; until: string; items: Array<{ type: string; documentId: string; title: string }> } }>(
      await get(tokens.editor, '/desk/editions/next'),
    );
    expect(next.data.items.map((item) => item.title)).toContain('Nieuw voor de editie');
    expect(next.data.items.every((item) => item.title && item.documentId && ['article', 'resource'].includes(item.type))).toBe(true);
    const editionsBefore = Number((await db('editions').count({ n: '*' }).first())!.n);
    const response = await post(tokens.editor, '/desk/editions/assemble');
    expect(response.status).toBe(200);
    const { documentId, items } = (await json<{ data: { documentId: string; items: number } }>(response)).data;
    expect(items).toBe(next.data.items.length);
    const edition = await db('editions').where({ document_id: documentId }).first('id', 'state', 'scheduled_at', 'cutoff');
    expect(edition).toMatchObject({ state: 'draft', scheduled_at: null });
    expect(edition.cutoff).toBeTruthy();

    const empty = await json<{ data: { items: unknown[]; after: string } }>(await get(tokens.editor, '/desk/editions/next'));
    expect(empty.data.items).toEqual([]);
    expect(empty.data.after).not.toBeNull();
    const refused = await post(tokens.editor, '/desk/editions/assemble');
    expect(refused.status).toBe(422);
    expect((await json<ErrorBody>(refused)).error.message).toMatch(/Nothing new has been published since the last edition/);
    expect(Number((await db('editions').count({ n: '*' }).first())!.n)).toBe(editionsBefore + 1);

    // The assembled edition duplicates too: same items, same period, a draft.
    const copied = await call(tokens.editor, 'duplicate', {}, 'edition', documentId);
    expect(copied.status).toBe(200);
    const copy = await db('editions')
      .where({ document_id: (await json<{ data: { documentId: string } }>(copied)).data.documentId })
      .first('id', 'state', 'cutoff');
    expect(copy.state).toBe('draft');
    expect(String(copy.cutoff)).toBe(String(edition.cutoff));
    const entries = async (id: number) =>
      ((await app.strapi.db.query('api::edition.edition').findOne({ where: { id }, populate: ITEMS_POPULATE })) as any).items.map(
        (entry: any) => entry.article?.documentId ?? entry.resource?.documentId,
      );
    expect(await entries(copy.id)).toEqual(await entries(edition.id));
  });
});

describe('the item picker', () => {
  const get = (token: string | null, path: string) => fetch(`${app.url}/desk/items/${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('finds published articles and resources by title in one language, newest first, never a draft', async () => {
    const draft = (await app.strapi.documents('api::article.article').create({
      locale: 'nl',
      data: { title: 'Handboek in concept', summary: 'Nog niet.', body: 'Nog niet.' },
    } as never)) as unknown as { documentId: string };
    const found = await json<{
      data: { items: Array<{ type: string; kind: string | null; documentId: string; title: string; locale: string; date: string | null }> };
    }>(await get(tokens.author, 'search?q=handboek&locale=nl'));
    expect(found.data.items.map((item) => item.title)).toEqual(['Handboek Actieleren in de zorg']);
    expect(found.data.items[0]).toMatchObject({ type: 'resource', locale: 'nl', date: expect.any(String) });
    expect(found.data.items.map((item) => item.documentId)).not.toContain(draft.documentId);
    const english = await json<{ data: { items: Array<{ title: string; locale: string }> } }>(await get(tokens.author, 'search?q=HANDBOOK&locale=en'));
    expect(english.data.items).toEqual([expect.objectContaining({ title: 'Handbook of action learning in care', locale: 'en' })]);
    // Without words: the newest published, articles and resources together, newest first.
    const newest = await json<{ data: { items: Array<{ type: string; date: string }> } }>(await get(tokens.author, 'search?locale=nl'));
    expect(new Set(newest.data.items.map((item) => item.type))).toEqual(new Set(['article', 'resource']));
    const dates = newest.data.items.map((item) => item.date);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it("shows a campaign's entries by title, type and whether they are published", async () => {
    const entries = await db('campaigns_cmps')
      .join('campaigns', 'campaigns.id', 'campaigns_cmps.entity_id')
      .where({ 'campaigns.document_id': campaignId, 'campaigns_cmps.field': 'featuredItems' })
      .orderBy('campaigns_cmps.order')
      .select('campaigns_cmps.cmp_id as id');
    const ids = entries.map((entry: { id: number }) => entry.id);
    const picked = await json<{ data: { entries: Array<{ entryId: number; type: string; kind: string | null; title: string; published: boolean }> } }>(
      await get(tokens.author, `picked?kind=campaign&ids=${ids.join(',')}&locale=nl`),
    );
    expect(picked.data.entries.map((entry) => entry.entryId).sort()).toEqual([...ids].sort());
    expect(picked.data.entries.find((entry) => entry.kind === 'bundle')).toMatchObject({
      type: 'resource',
      title: 'Inspiratiebundel Leercultuur',
      published: true,
    });
  });

  it('answers 400 for bad input, 401 without a session, 403 without the preview action', async () => {
    for (const [path, message] of [
      [`search?q=${'x'.repeat(201)}`, /at most 200 characters/],
      ['search?locale=de', /locale must be/],
      ['search?q=a&q=b', /q must be one text/],
      ['picked?kind=newsletter&ids=1', /kind must be/],
      ['picked?kind=edition&ids=1;DROP', /ids must be/],
      [`picked?kind=edition&ids=${Array.from({ length: 201 }, (_, n) => n + 1).join(',')}`, /at most 200 ids/],
    ] as const) {
      const response = await get(tokens.author, path);
      expect(response.status, path).toBe(400);
      expect((await json<ErrorBody>(response)).error.message, path).toMatch(message);
    }
    expect((await get(null, 'search?q=a')).status).toBe(401);
    expect((await get(tokens.none, 'search?q=a')).status).toBe(403);
    expect((await get(tokens.contentOnly, 'picked?kind=campaign&ids=1')).status).toBe(403);
  });
});

describe('unschedule', () => {
  it('needs a session (401) and the send action (403, also with every content-manager right); takes a scheduled campaign back to draft once (then 409); 404 for an unknown one', async () => {
    const created = await createCampaign(app.strapi, { title: 'Intrekken', features: ['handboek-actieleren'], themes: [], locale: null });
    const unschedule = (token: string | null, documentId = created.documentId) => call(token, 'unschedule', {}, 'campaign', documentId);
    expect((await call(tokens.super, 'schedule', { sendAt: '2099-03-01T09:00:00+01:00' }, 'campaign', created.documentId)).status).toBe(200);
    expect((await unschedule(null)).status).toBe(401);
    for (const token of [tokens.none, tokens.contentOnly, tokens.author]) expect((await unschedule(token)).status).toBe(403);
    expect(await db('campaigns').where({ id: created.id }).first('state')).toEqual({ state: 'scheduled' });

    const done = await unschedule(tokens.super);
    expect(await json(done)).toEqual({ data: { state: 'draft' } });
    expect(await db('campaigns').where({ id: created.id }).first('state', 'send_at')).toEqual({ state: 'draft', send_at: null });
    const again = await unschedule(tokens.super);
    expect(again.status).toBe(409);
    expect((await json<ErrorBody>(again)).error.message).toMatch(/is draft; only a scheduled campaign can be unscheduled/);
    expect((await unschedule(tokens.super, 'no-such-campaign')).status).toBe(404);
  });
});

describe('the welcome mail at the desk', () => {
  const welcome = (token: string | null, path: 'preview' | 'test-send', body?: unknown) =>
    fetch(`${app.url}/desk/welcome-mail/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  type Previews = { data: { variants: Array<{ key: string; subject: string; preheader: string; html: string; text: string; greeting: string }> } };
  let editorToken = '';
  let edition = { id: 0, documentId: 'welcome0sent0edition0001' };

  beforeAll(async () => {
    // Its own Editor account: the budget the other test sends of this file spend stays theirs.
    editorToken = await adminToken('welcome.editor@example.org', await app.strapi.service('admin::role').findOne({ code: 'strapi-editor' }));
    // An edition that went out in Dutch (as the engine leaves it: finished, submitted, its variant stored).
    const at = new Date('2026-11-28T09:00:00.000Z');
    await db('editions').insert({
      document_id: edition.documentId,
      title: 'Nieuwsbrief november 2026',
      state: 'sent',
      cutoff: at,
      submitted_count: 3,
      recipients_count: 3,
      sent_at: at,
      keep_out_of_archive: false,
      created_at: at,
      updated_at: at,
    });
    edition = { ...edition, id: (await db('editions').where({ document_id: edition.documentId }).first('id')).id };
    await db(VARIANTS).insert({
      mailing_kind: 'edition',
      mailing_id: edition.id,
      variant_key: 'nl|',
      subject: 'Leercultuur in november',
      html: '<!doctype html><html lang="nl"><body><p>Leercultuur in november</p></body></html>',
      text: 'Leercultuur in november',
    });
  });

  it('needs a session (401) and the preview or send-test action (403, also with every content-manager right)', async () => {
    expect((await welcome(null, 'preview')).status).toBe(401);
    expect((await welcome(null, 'test-send', { addresses: ['a@example.org'] })).status).toBe(401);
    for (const token of [tokens.none, tokens.contentOnly]) {
      expect((await welcome(token, 'preview')).status).toBe(403);
      expect((await welcome(token, 'test-send', { addresses: ['a@example.org'] })).status).toBe(403);
    }
    expect((await welcome(tokens.author, 'preview')).status).toBe(200);
  });

  it('previews each language with a text, Dutch first, linking the latest edition sent and the newest bundle; both links open a page', async () => {
    sink.reset();
    const response = await welcome(tokens.author, 'preview');
    expect(response.status).toBe(200);
    const { variants } = (await json<Previews>(response)).data;
    expect(variants.map((variant) => variant.key)).toEqual(['nl', 'en']);
    const [nl, en] = variants;
    expect(nl.subject).toBe('Welkom bij de nieuwsbrief van het netwerk');
    expect(nl.preheader).toMatch(/^Fijn dat je erbij bent\./);
    expect(nl.greeting).toBe('Hallo Sanne,');
    expect(nl.html).toContain('Leercultuur in november');
    const editionLink = /href="([^"]*\/newsletter\/editions\/[^"]+)"/.exec(nl.html)![1].replace(/&amp;/g, '&');
    expect(editionLink).toContain(edition.documentId);
    expect((await fetch(editionLink)).status).toBe(200);
    const bundleLink = /href="([^"]*\/inspiratie\/inspiratiebundel-leercultuur)"/.exec(nl.html)![1];
    expect((await fetch(bundleLink)).status).toBe(200);
    // No edition went out in English: that part is left out, the bundle is there in English.
    expect(en.subject).toBe("Welcome to the network's newsletter");
    expect(en.html).not.toContain('The latest newsletter');
    expect(en.html).toContain('/en/resources/inspiratiebundel-leercultuur');
    expect(sink.messages()).toHaveLength(0);
  });

  it('sends a test in one language with [TEST] before the subject; refuses bad input (400) and a language without text (409, in both languages)', async () => {
    sink.reset();
    const sent = await welcome(editorToken, 'test-send', { addresses: ['welkom.proef@example.org'], locale: 'en' });
    expect(sent.status).toBe(200);
    const [mail] = await waitForMail(sink, 'welkom.proef@example.org');
    expect(mail.subject).toBe("[TEST] Welcome to the network's newsletter");
    expect(mail.html).toContain('/en/resources/inspiratiebundel-leercultuur');

    expect((await welcome(editorToken, 'test-send', { addresses: 'geen adres', locale: 'nl' })).status).toBe(400);
    expect((await welcome(editorToken, 'test-send', { addresses: ['a@example.org'], locale: 'fr' })).status).toBe(400);

    const welcomeMails = app.strapi.documents('api::welcome-mail.welcome-mail');
    const stored = (await welcomeMails.findFirst({} as never)) as unknown as { documentId: string; textEn: string };
    await welcomeMails.update({ documentId: stored.documentId, data: { textEn: '' } } as never);
    try {
      const refused = await welcome(editorToken, 'test-send', { addresses: ['welkom.proef@example.org'], locale: 'en' });
      expect(refused.status).toBe(409);
      const error = (await json<ErrorBody>(refused)).error;
      expect(error.details).toMatchObject({ refusal: 'nothing-to-test' });
      expect(error.message).toContain('De welkomstmail heeft geen Engelse tekst');
      expect(error.message).toContain('The welcome mail has no English text');
      const { variants } = (await json<Previews>(await welcome(tokens.author, 'preview'))).data;
      expect(variants.map((variant) => variant.key)).toEqual(['nl']);
    } finally {
      await welcomeMails.update({ documentId: stored.documentId, data: { textEn: stored.textEn } } as never);
    }
    expect(mailsTo(sink, 'welkom.proef@example.org')).toHaveLength(1);
  });
});

describe('the subscriber list in and out (import and export)', () => {
  const CSV = [
    'email,name,language,themes',
    'nieuw.lid@example.org,Nieuw Lid,nl,verandermanagement',
    'anna.jansen@example.org,Anna,nl,',
    'geen-adres,Niemand,nl,',
    'nieuw.lid@example.org,Dubbel,nl,',
  ].join('\n');
  const post = (token: string | null, fields: Record<string, string>, file: string | null = CSV, name = 'leden.csv') => {
    const form = new FormData();
    if (file !== null) form.append('file', new Blob([file], { type: 'text/csv' }), name);
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    return fetch(`${app.url}/desk/subscribers/import`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {}, body: form });
  };
  type ImportAnswer = {
    data: {
      dryRun: boolean;
      columns: { kind: string; headers: string[]; fields: Record<string, string> };
      counts: Record<string, number>;
      refused: Array<{ row: number; email: string; kind: string; reason: string }>;
      refusedTotal: number;
      mails: { queued: number; limited: number };
    };
  };
  let editorToken = '';

  beforeAll(async () => {
    editorToken = await adminToken('lijst.editor@example.org', await app.strapi.service('admin::role').findOne({ code: 'strapi-editor' }));
  });

  it('needs a session (401) and the subscribers action (403, also for an Author and with every content-manager right)', async () => {
    expect((await post(null, {})).status).toBe(401);
    expect((await fetch(`${app.url}/desk/subscribers/export`)).status).toBe(401);
    for (const token of [tokens.none, tokens.contentOnly, tokens.author]) {
      expect((await post(token, {})).status).toBe(403);
      const exported = await fetch(`${app.url}/desk/subscribers/export`, { headers: { authorization: `Bearer ${token}` } });
      expect(exported.status).toBe(403);
    }
  });

  it('refuses what a person got wrong with a 400 and a sentence: no file, a mapping that is no JSON or names no field, a column the file lacks, a bad filter', async () => {
    const message = async (response: Response) => {
      expect(response.status).toBe(400);
      return (await json<ErrorBody>(response)).error.message;
    };
    expect(await message(await post(editorToken, {}, null))).toContain('Kies een CSV-bestand');
    expect(await message(await post(editorToken, { mapping: '{email' }))).toContain('geen geldige JSON');
    expect(await message(await post(editorToken, { mapping: JSON.stringify({ telefoon: 'x' }) }))).toContain('onbekend veld "telefoon"');
    expect(await message(await post(editorToken, { mapping: JSON.stringify({ email: '' }) }))).toContain('Geen kolom met e-mailadressen');
    expect(await message(await post(editorToken, { dryRun: 'misschien' }))).toContain('dryRun');
    const exported = await fetch(`${app.url}/desk/subscribers/export?state=weg`, { headers: { authorization: `Bearer ${editorToken}` } });
    expect(await message(exported)).toContain('De status moet een van');
  });

  it('a dry run counts and writes nothing; the import then adds the new reader as pending; the refused rows come as CSV; progress is readable', async () => {
    const before = await db('subscribers').count({ n: '*' }).first();
    const dry = await post(editorToken, { importId: 'proef-import-0001' });
    expect(dry.status).toBe(200);
    const preview = (await json<ImportAnswer>(dry)).data;
    expect(preview.dryRun).toBe(true);
    expect(preview.columns).toMatchObject({ kind: 'plain', fields: { email: 'email', name: 'name', language: 'language', themes: 'themes' } });
    expect(preview.counts).toMatchObject({ rows: 4, new: 1, known: 1, invalid: 1, duplicates: 1, pending: 1, active: 0 });
    // Rows are numbered as a spreadsheet shows them: the header is row 1.
    expect(preview.refused.map((row) => [row.row, row.kind])).toEqual([
      [4, 'invalid'],
      [5, 'duplicate'],
    ]);
    expect(await db('subscribers').count({ n: '*' }).first()).toEqual(before);
    const progress = await fetch(`${app.url}/desk/subscribers/import/proef-import-0001/progress`, { headers: { authorization: `Bearer ${editorToken}` } });
    expect((await json<{ data: { rows: number } }>(progress)).data.rows).toBe(4);

    const report = await post(editorToken, { report: 'csv' });
    expect(report.status).toBe(200);
    const { csv, rows } = (await json<{ data: { csv: string; rows: number } }>(report)).data;
    expect(rows).toBe(2);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('row,email,reason');
    expect(lines).toHaveLength(3);
    // In the panel's language, Dutch unless it asks for English.
    expect(lines[1]).toMatch(/^4,geen-adres,"ongeldig: ""geen-adres"" is geen geldig e-mailadres"$/);

    const imported = await post(editorToken, { dryRun: 'false' });
    expect(imported.status).toBe(200);
    const result = (await json<ImportAnswer>(imported)).data;
    expect(result.counts).toMatchObject({ new: 1, pending: 1 });
    const stored = await app.strapi.db.query('api::subscriber.subscriber').findOne({ where: { email: 'nieuw.lid@example.org' }, populate: ['consent'] });
    expect(stored).toMatchObject({ state: 'pending', name: 'Nieuw Lid', themes: ['verandermanagement'] });
    // No evidence of consent in this file: none is invented; the confirmation will be it.
    expect(stored.consent).toBeNull();
    expect(result.mails.queued).toBe(1);
  });

  it('exports the list by state as CSV and logs who asked', async () => {
    const response = await fetch(`${app.url}/desk/subscribers/export?state=active&locale=nl`, { headers: { authorization: `Bearer ${editorToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const lines = (await response.text()).trim().split('\n');
    expect(lines[0].split(',')[0]).toBe('email');
    const emails = lines.slice(1).map((line) => line.split(',')[0]);
    expect(emails).toContain('anna.jansen@example.org');
    expect(emails).not.toContain('grace.okafor@example.org'); // English
    expect(emails).not.toContain('nieuw.lid@example.org'); // pending
    // Logged before the first row; its row count is written once the last row has gone out, which
    // may be just after the download has ended.
    const log = await until('the export log with its row count', async () => {
      const row = await db('subscriber_export_log').orderBy('id', 'desc').first();
      return row && row.rows !== null ? row : null;
    });
    expect(log.exported_by).toMatch(/^admin:\d+$/);
    expect(JSON.parse(log.filter)).toEqual({ state: 'active', locale: 'nl' });
    expect(Number(log.rows)).toBe(emails.length);
    // The page's list of exports: newest first, the admin by name (an Author may not read it).
    const logged = await json<{ data: { exports: Array<{ by: string; filter: unknown; rows: number | null; exportedAt: string }> } }>(
      await fetch(`${app.url}/desk/subscribers/exports`, { headers: { authorization: `Bearer ${editorToken}` } }),
    );
    const admin = await app.strapi.db.query('admin::user').findOne({ where: { email: 'lijst.editor@example.org' } });
    expect(logged.data.exports[0]).toEqual({
      by: [admin.firstname, admin.lastname].filter(Boolean).join(' ') || admin.email,
      exportedBy: log.exported_by,
      filter: { state: 'active', locale: 'nl' },
      rows: emails.length,
      exportedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect((await fetch(`${app.url}/desk/subscribers/exports`, { headers: { authorization: `Bearer ${tokens.author}` } })).status).toBe(403);
  });
});

describe('test sends are tests, not a relay', () => {
  const refusal = async (response: Response) => (await json<ErrorBody>(response)).error;
  // A draft of its own: the demo campaign was cancelled above.
  let draft: { id: number; documentId: string };
  const test = (token: string, addresses: string[], locale = 'nl') => call(token, 'test-send', { addresses, locale }, 'campaign', draft.documentId);

  beforeAll(async () => {
    draft = await createCampaign(app.strapi, { title: 'Proef', features: ['handboek-actieleren'], themes: [], locale: null });
  });

  it("refuses an Author's test to another domain (403, naming the addresses), sends one to an admin user's own address elsewhere", async () => {
    sink.reset();
    await app.strapi.service('admin::user').create({ email: 'redacteur@partner.test', firstname: 'Partner', lastname: 'Redactie', isActive: true, roles: [] });
    const refused = await test(tokens.author, ['collega@example.org', 'iemand@elders.test', 'vriend@gmail.com'], 'nl');
    expect(refused.status).toBe(403);
    const error = await refusal(refused);
    expect(error.message).toContain('Niet toegestaan: iemand@elders.test, vriend@gmail.com.');
    expect(error.message).toContain('Not allowed: iemand@elders.test, vriend@gmail.com.');
    expect(error.details).toMatchObject({ refusal: 'address-not-allowed', addresses: ['iemand@elders.test', 'vriend@gmail.com'] });
    expect(sink.messages()).toHaveLength(0); // refused whole: not even the allowed address got it

    const accepted = await test(tokens.author, ['Redacteur@Partner.test', 'collega@example.org'], 'nl');
    expect(accepted.status).toBe(200);
    await waitForMail(sink, 'redacteur@partner.test');
    expect(mailsTo(sink, 'collega@example.org')).toHaveLength(1);
  });

  it('lets an Editor (the send permission) test to any address', async () => {
    sink.reset();
    const response = await test(tokens.editor, ['iemand@elders.test'], 'en');
    expect(response.status).toBe(200);
    const [mail] = await waitForMail(sink, 'iemand@elders.test');
    const { subject_en: subject } = await db('campaigns').where({ id: draft.id }).first('subject_en');
    expect(mail.subject).toBe(`[TEST] ${subject}`);
  });

  it('counts recipients per account: of ten requests of five at once, five go out; the 26th recipient in the hour is refused (429) and gets nothing', async () => {
    sink.reset();
    const limited = await adminToken(
      'desk.budget@example.org',
      await roleWith('Desk budget', [permission('plugin::desk.preview'), permission('plugin::desk.send-test')]),
    );
    const batch = (n: number) => Array.from({ length: 5 }, (_, i) => `budget${n}.${i}@example.org`);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, n) => test(limited, batch(n), 'nl')));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429, 429]);
    const delivered = answers.flatMap((answer, n) => (answer.status === 200 ? batch(n) : []));
    const refusedAddresses = answers.flatMap((answer, n) => (answer.status === 429 ? batch(n) : []));
    for (const address of delivered) await waitForMail(sink, address);
    for (const address of refusedAddresses) expect(mailsTo(sink, address), address).toHaveLength(0);

    const twentySixth = await test(limited, ['budget.26@example.org'], 'nl');
    expect(twentySixth.status).toBe(429);
    const retryAfter = Number(twentySixth.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    const error = await refusal(twentySixth);
    expect(error.message).toMatch(
      /Deze test naar 1 adres gaat over het maximum van 25 testontvangers per uur\. Probeer het over (1 uur|\d+ minuten) opnieuw\./,
    );
    expect(error.message).toMatch(/This test to 1 address would go over the limit of 25 test recipients per hour\. Try again in (1 hour|\d+ minutes)\./);
    expect(error.details).toMatchObject({
      refusal: 'test-send-limit',
      limit: 25,
      retryAfterSeconds: retryAfter,
      messages: { nl: expect.stringContaining('Probeer het over'), en: expect.stringContaining('Try again in') },
    });
    expect(mailsTo(sink, 'budget.26@example.org')).toHaveLength(0);
    expect(sink.messages()).toHaveLength(5);

    // The budget is this account's: another admin still sends.
    expect((await test(tokens.author, ['collega@example.org'], 'nl')).status).toBe(200);
  });

  it('refuses a test of a sent or cancelled mailing (409) with the way out, in both languages', async () => {
    sink.reset();
    const created = await createCampaign(app.strapi, { title: 'Al verstuurd', features: ['handboek-actieleren'], themes: [], locale: null });
    for (const [state, words] of [
      ['sent', /al verzonden.*already been sent/s],
      ['cancelled', /geannuleerd.*was cancelled/s],
      ['sending', /wordt al verzonden/],
      ['failed', /is mislukt/],
    ] as const) {
      await db('campaigns').where({ id: created.id }).update({ state });
      for (const token of [tokens.editor, tokens.author]) {
        const response = await call(token, 'test-send', { addresses: ['collega@example.org'], locale: 'nl' }, 'campaign', created.documentId);
        expect(response.status, state).toBe(409);
        const error = await refusal(response);
        expect(error.message, state).toMatch(words);
        expect(error.message).toContain('dupliceer hem eerst om hem opnieuw te testen');
        expect(error.message).toContain('duplicate it first to test it again');
      }
    }
    await db('campaigns').where({ id: created.id }).update({ state: 'draft' });
    expect((await call(tokens.editor, 'test-send', { addresses: ['collega@example.org'], locale: 'nl' }, 'campaign', created.documentId)).status).toBe(200);
    expect(sink.messages()).toHaveLength(1);
  });

  it("the limiter's take is all or nothing across windows, refused takes do not count, and units can be given back", async () => {
    const redis = createRedis(REDIS_URL, 'client');
    try {
      const limiter = new RateLimiter(redis, `${PREFIX}-take`, 'test-secret');
      const windows = [
        { name: 'hour', limit: 100, windowSeconds: 3600 },
        { name: 'day', limit: 8, windowSeconds: 86_400 },
      ];
      expect(await limiter.take('someone', 5, windows)).toEqual({ allowed: true });
      const refused = await limiter.take('someone', 5, windows);
      expect(refused).toMatchObject({ allowed: false, window: windows[1] });
      expect(refused.allowed === false && refused.retryAfterSeconds).toBeGreaterThan(86_000);
      expect(await limiter.take('someone', 3, windows)).toEqual({ allowed: true });
      await limiter.giveBack('someone', 3, windows);
      expect(await limiter.take('someone', 3, windows)).toEqual({ allowed: true });
      expect((await limiter.take('someone', 1, windows)).allowed).toBe(false);
      expect(await limiter.take('someone else', 8, windows)).toEqual({ allowed: true });
      const keys = await redis.keys(`${PREFIX}-take:limit:*`);
      expect(keys.some((key) => key.includes('someone'))).toBe(false);
    } finally {
      await deleteRedisPrefix(`${PREFIX}-take`);
      await redis.quit();
    }
  });
});
