import type { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../../src/mailings/campaign/create';
import type { MailSink } from '../../scripts/mail-sink/server';
import { createJsonLogger } from '../../src/core/infra/log';
import { createFakeSubscribers } from '../../src/ops/fake-subscribers';
import { assembleEdition } from '../../src/mailings/edition/assemble';
import { resolveItems } from '../../src/mailings/edition/edition-content';
import { readEditionItems } from '../../src/mailings/edition/edition-items';
import { createMailingDeps } from '../../src/app/mailing-deps';
import { readDeliveryArgs } from '../../src/mailings/engine/delivery-reference';
import type { MailingKind, MailingRef } from '../../src/mailings/engine/mailing';
import { BATCHES, DELIVERIES, VARIANTS } from '../../src/mailings/engine/schema';
import { deleteRedisPrefix, testRedisPrefix } from '../support/redis';
import { startWorker, type WorkerProcess } from '../support/worker';
import { mailingsCommand, newsletterCli } from '../support/newsletter-cli';
import { until } from '../support/until';
import { useCms } from '../support/harness';

const PREFIX = testRedisPrefix('newsletter');

let sink: MailSink;
let db: Knex;
const workers: WorkerProcess[] = [];

const quiet = createJsonLogger('test', () => undefined);
const workerEnv = {
  NEWSLETTER_BATCH_SIZE: '100',
  NEWSLETTER_TICK_MS: '500',
  NEWSLETTER_REVIEW_HOURS: '0',
  NEWSLETTER_LEASE_MS: '4000',
  NEWSLETTER_CRON: '0 9 * * 2#1',
  MAIL_JOB_LOCK_MS: '3000',
};
const app = useCms({ name: 'newsletter', listen: true, seed: true, env: { REDIS_PREFIX: PREFIX, ...workerEnv } });

async function spawnWorker(env: Record<string, string> = {}) {
  const worker = await startWorker({ ...workerEnv, ...env });
  workers.push(worker);
  return worker;
}

async function stopWorkers(signal: NodeJS.Signals = 'SIGTERM') {
  await Promise.all(workers.splice(0).map((worker) => worker.kill(signal)));
}

const edition = (id: number) => db('editions').where({ id }).first();
const byEdition = (id: number) => ({ mailing_kind: 'edition', mailing_id: id });
/** The edition's items, in order (a repeatable component). */
const itemsOf = (id: number) => readEditionItems(app.strapi, id);
const activeSubscribers = async () => (await db('subscribers').where({ state: 'active' }).select('email')).map((row: { email: string }) => row.email);

/** Messages per address at the stand-in. */
function receivedPerAddress(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const recipient of sink.recipients()) counts.set(recipient.email, (counts.get(recipient.email) ?? 0) + 1);
  return counts;
}

/** A new article published now, in both locales, so that an edition has something in it. */
async function publishArticle(slug: string, themes: string[], locales: Array<'nl' | 'en'> = ['nl', 'en']) {
  const themeIds = await Promise.all(
    themes.map(async (theme) => (await app.strapi.documents('api::theme.theme').findFirst({ locale: 'nl', filters: { slug: theme } } as never))!.documentId),
  );
  const documents = app.strapi.documents('api::article.article');
  const data = (locale: string) => ({
    title: `${slug} ${locale}`,
    slug: `${slug}-${locale}`,
    summary: `Summary of ${slug} (${locale})`,
    body: 'Body',
    publicationDate: '2026-11-20',
    themes: themeIds,
  });
  const created = await documents.create({ locale: locales[0], data: data(locales[0]), status: 'published' } as never);
  for (const locale of locales.slice(1)) await documents.update({ documentId: created.documentId, locale, data: data(locale), status: 'published' } as never);
  return created.documentId as string;
}

/** Assembles an edition due now and returns its id. */
async function assembleNow(label: string) {
  const deps = createMailingDeps(app.strapi, quiet);
  const result = await assembleEdition(deps, { now: new Date(), periodKey: `test:${label}:${Date.now()}` });
  await db('editions')
    .where({ id: result.editionId })
    .update({ scheduled_at: new Date(Date.now() - 1000) });
  return result;
}

beforeAll(async () => {
  sink = app.sink;
  db = app.strapi.db.connection as unknown as Knex;
  // Content already in the seed belongs to a first, already sent edition.
  const first = await assembleEdition(createMailingDeps(app.strapi, quiet), { now: new Date(), periodKey: 'test:seed' });
  await db('editions').where({ id: first.editionId }).update({ state: 'sent' });
  await createFakeSubscribers(db, {
    count: 1200,
    localeMix: true,
    themesRandom: true,
    themes: ['meten-van-leercultuur', 'ontwikkelen-van-ontwikkelen', 'verandermanagement', 'technologie-in-de-lerende-organisatie'],
  });
});

afterEach(async () => {
  await stopWorkers();
  sink.clearFaults();
  sink.reset();
});

afterAll(async () => {
  await stopWorkers();
});

describe('assembly from real content', () => {
  it('takes what was published since the previous cut-off: no drafts, no repeats, untranslated items too', async () => {
    const deps = createMailingDeps(app.strapi, quiet);
    const alreadySent = await publishArticle('window-sent', ['verandermanagement']);
    const first = await assembleEdition(deps, { now: new Date(), periodKey: `test:window-1:${Date.now()}` });
    expect((await itemsOf(first.editionId)).map((item) => item.documentId)).toContain(alreadySent);
    await db('editions').where({ id: first.editionId }).update({ state: 'sent' });
    await new Promise((resolve) => setTimeout(resolve, 20));

    const articles = app.strapi.documents('api::article.article');
    await articles.create({
      locale: 'nl',
      data: { title: 'Nog een concept', slug: 'window-draft', summary: 's', body: 'b', publicationDate: '2026-11-21' },
    } as never);
    const dutchOnly = await publishArticle('window-nl-only', ['meten-van-leercultuur'], ['nl']);
    // Unpublished and published again: a new publishedAt, but it went out already.
    await articles.unpublish({ documentId: alreadySent, locale: '*' } as never);
    await articles.publish({ documentId: alreadySent, locale: '*' } as never);

    const second = await assembleEdition(deps, { now: new Date(), periodKey: `test:window-2:${Date.now()}` });
    const refs = await itemsOf(second.editionId);
    expect(refs.map((item) => item.documentId)).toEqual([dutchOnly]);
    // Untranslated: it goes out in the language it has.
    expect(Object.keys((await resolveItems(app.strapi, refs, { siteUrl: 'https://site.example', publicUrl: app.url }))[0].content)).toEqual(['nl']);
    await db('editions').where({ id: second.editionId }).update({ state: 'sent' });
  });
});

describe('editors adjust an edition during review', () => {
  it('may reorder, drop and cancel; may not mark it sent; an empty entry is no item', async () => {
    await publishArticle('review-a', ['verandermanagement']);
    await publishArticle('review-b', ['verandermanagement']);
    const result = await assembleEdition(createMailingDeps(app.strapi, quiet), { now: new Date(), periodKey: `test:review:${Date.now()}` });
    const editions = app.strapi.documents('api::edition.edition');
    const items = await itemsOf(result.editionId);
    expect(items).toHaveLength(2);
    await editions.update({
      documentId: result.documentId,
      data: { items: [{ article: items[1].documentId }, { article: items[0].documentId }], introNl: 'Welkom!' },
    } as never);
    expect((await itemsOf(result.editionId)).map((item) => item.documentId)).toEqual([items[1].documentId, items[0].documentId]);
    // An entry left empty is no item; dropping one leaves the rest in order.
    await editions.update({ documentId: result.documentId, data: { items: [{}, { article: items[1].documentId }] } } as never);
    expect(await itemsOf(result.editionId)).toEqual([{ type: 'article', documentId: items[1].documentId }]);
    await expect(editions.update({ documentId: result.documentId, data: { state: 'sent' } } as never)).rejects.toThrow(/draft, scheduled or cancelled/);
    await editions.update({ documentId: result.documentId, data: { state: 'cancelled' } } as never);
    await expect(editions.update({ documentId: result.documentId, data: { introNl: 'Te laat' } } as never)).rejects.toThrow(/can no longer be changed/);
    // Cancelled: what it held goes into the next edition; mark it sent here so later tests start clean.
    await db('editions').where({ id: result.editionId }).update({ state: 'sent' });
  });
});

describe('an edition, end to end', () => {
  it('renders once per variant, never per recipient', async () => {
    await publishArticle('render-count', ['verandermanagement']);
    const { editionId } = await assembleNow('render-count');
    const deps = createMailingDeps(app.strapi, quiet);
    deps.settings.batchSize = 1000; // full-size batches (SQLite refuses multi-row inserts above 500 rows)
    const before = deps.renderer.mjmlRenders;
    const plan = await deps.engine.plan({ kind: 'edition', id: editionId });
    expect(plan.outcome).toBe('planned');
    if (plan.outcome !== 'planned') return;
    const variants = await db(VARIANTS).where(byEdition(editionId)).select('variant_key');
    expect(plan.recipients).toBe((await activeSubscribers()).length);
    expect(plan.variants).toBe(variants.length);
    expect(deps.renderer.mjmlRenders - before).toBe(variants.length);
    expect(variants.length).toBeLessThanOrEqual(4); // nl/en x (follows verandermanagement or not)
    const largest = await db(BATCHES).where(byEdition(editionId)).max({ n: 'size' }).first();
    expect(Number(largest?.n)).toBeGreaterThan(500);
    // The worker sends what was planned, without rendering again.
    await spawnWorker();
    const sent = await until('edition sent', async () => ((await edition(editionId)).state === 'sent' ? edition(editionId) : null));
    expect(Number(sent.submitted_count)).toBe(plan.recipients);
    expect(Number(sent.variants_count)).toBe(variants.length);
  });

  it('every active subscriber gets exactly one message, suppressed ones none, and the links work', async () => {
    const unsubscribed = await db('subscribers').where({ state: 'active' }).orderBy('id', 'desc').first('id', 'email');
    await db('subscribers').where({ id: unsubscribed.id }).update({ state: 'unsubscribed' });
    await publishArticle('exactly-once', ['meten-van-leercultuur'], ['nl']);
    const { editionId } = await assembleNow('exactly-once');
    await spawnWorker();
    await until('edition sent', async () => (await edition(editionId)).state === 'sent');

    const active = await activeSubscribers();
    const received = receivedPerAddress();
    expect(received.size).toBe(active.length);
    for (const email of active) expect(received.get(email)).toBe(1);
    for (const email of ['sanne.bakker@example.org', 'tom.baker@example.org', unsubscribed.email]) expect(received.has(email)).toBe(false);
    const final = await edition(editionId);
    expect(Number(final.submitted_count)).toBe(active.length);
    expect(Number(final.queued_count)).toBe(0);

    // Headers and custom args; the one-click unsubscribe link works.
    const mail = sink.recipients().find((recipient) => recipient.email === 'grace.okafor@example.org')!;
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.customArgs.subscriber_id).toBeTruthy();
    expect(JSON.stringify(mail.customArgs)).not.toContain('@');
    expect(mail.categories).toContain('edition');
    const unsubscribeUrl = /^<(.+)>$/.exec(mail.headers['List-Unsubscribe'])![1];
    const response = await fetch(unsubscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);
    expect((await db('subscribers').where({ email: 'grace.okafor@example.org' }).first('state')).state).toBe('unsubscribed');
    // An English reader gets the Dutch-only item, marked as such.
    const english = sink.recipients().find((recipient) => recipient.email === 'grace.okafor@example.org')!;
    expect(english.subject).toMatch(/Newsletter/);
  });

  it('a month with nothing new sends nothing and says so', async () => {
    const result = await assembleEdition(createMailingDeps(app.strapi, quiet), { now: new Date(), periodKey: `test:empty:${Date.now()}` });
    expect(result.state).toBe('skipped');
    expect((await edition(result.editionId)).notes).toMatch(/Nothing new/);
  });
});

/**
 * The fault cases run for every kind of mailing the worker sends: each case creates a mailing of
 * its kind, due now, for every active subscriber (a campaign: the demo bundle, audience everyone).
 */
interface MailingCase {
  kind: MailingKind;
  table: string;
  create(label: string): Promise<MailingRef>;
}

const MAILINGS: MailingCase[] = [
  {
    kind: 'edition',
    table: 'editions',
    async create(label) {
      await publishArticle(`${label}-${Date.now().toString(36)}`, ['verandermanagement']);
      const { editionId } = await assembleNow(label);
      return { kind: 'edition', id: editionId };
    },
  },
  {
    kind: 'campaign',
    table: 'campaigns',
    async create(label) {
      const { id } = await createCampaign(app.strapi, {
        title: `${label} ${Date.now().toString(36)}`,
        features: ['inspiratiebundel-leercultuur', 'lerend-netwerk-leercultuur-afgerond'],
      });
      const ref: MailingRef = { kind: 'campaign', id };
      await createMailingDeps(app.strapi, quiet).engine.schedule(ref, 'now');
      return ref;
    },
  },
];

describe.each(MAILINGS)('faults ($kind): the final state is exact', (mailing) => {
  const row = (ref: MailingRef) => db(mailing.table).where({ id: ref.id }).first();
  const byMailing = (ref: MailingRef) => ({ mailing_kind: ref.kind, mailing_id: ref.id });

  it('429s, 500s and one refused address: everyone else gets exactly one message', async () => {
    const refused = (await db('subscribers').where({ state: 'active' }).orderBy('id').offset(150).first('email')).email;
    sink.setFaults({ status429: 3, status500: 2, rejectAddress: refused, resetAfterSeconds: 1 });
    const ref = await mailing.create('faults');
    await spawnWorker();
    await until('mailing sent', async () => (await row(ref)).state === 'sent', 90_000);
    const active = await activeSubscribers();
    const received = receivedPerAddress();
    for (const email of active) expect(received.get(email) ?? 0).toBe(email === refused ? 0 : 1);
    const final = await row(ref);
    expect(Number(final.failed_count)).toBe(1);
    expect(Number(final.submitted_count)).toBe(active.length - 1);
    const failed = await db(DELIVERIES)
      .where({ ...byMailing(ref), status: 'failed' })
      .select('subscriber_id', 'error');
    expect(failed).toHaveLength(1);
    expect(sink.counts().status429).toBe(3);
    expect(sink.counts().status500).toBe(2);
    // Every submitted delivery keeps SendGrid's message id; every mail names its delivery row.
    const withoutId = await db(DELIVERIES)
      .where({ ...byMailing(ref), status: 'submitted' })
      .whereNull('message_id')
      .count({ n: '*' })
      .first();
    expect(Number(withoutId?.n)).toBe(0);
    const mail = sink.recipients().find((recipient) => recipient.email === active[0])!;
    const reference = readDeliveryArgs(mail.customArgs);
    expect(reference?.mailing).toEqual(ref);
    const delivery = await db(`${DELIVERIES} as d`)
      .join('subscribers as s', 's.id', 'd.subscriber_id')
      .where('d.id', reference!.deliveryId)
      .first('s.email', 'd.message_id');
    expect(delivery.email).toBe(active[0]);
    expect(delivery.message_id).toBe(mail.messageId);
  });

  it.each(['SIGKILL the worker', 'flush Redis'] as const)(
    '%s mid-send, then restart: nobody twice, nobody forgotten',
    async (fault) => {
      sink.setFaults({ delayMs: 150 });
      const ref = await mailing.create(`crash-${fault.length}`);
      const first = await spawnWorker({ NEWSLETTER_CONCURRENCY: '2' });
      await until('half of it submitted', async () => {
        const current = await row(ref);
        return Number(current.submitted_count) > 0 && Number(current.submitted_count) < Number(current.recipients_count) / 2;
      });
      if (fault === 'flush Redis') {
        // Everything this deployment had in Redis is gone (only this file's prefix: other users of the server are left alone).
        await deleteRedisPrefix(PREFIX);
      }
      await first.kill('SIGKILL');
      workers.splice(workers.indexOf(first), 1);
      sink.clearFaults();
      await spawnWorker();
      await until('mailing final', async () => (await row(ref)).state === 'sent', 90_000);

      const active = await activeSubscribers();
      const received = receivedPerAddress();
      const unknown = new Set(
        (
          await db(`${DELIVERIES} as d`)
            .join('subscribers as s', 's.id', 'd.subscriber_id')
            .where({ 'd.mailing_kind': ref.kind, 'd.mailing_id': ref.id, 'd.status': 'unknown' })
            .select('s.email')
        ).map((r: { email: string }) => r.email),
      );
      for (const count of received.values()) expect(count).toBe(1);
      for (const email of active) {
        // Everyone got it once, except recipients of a batch whose fate is unknown: surfaced, not resent.
        if (!received.has(email)) expect(unknown.has(email)).toBe(true);
      }
      const final = await row(ref);
      expect(Number(final.submitted_count) + Number(final.unknown_count)).toBe(active.length);
      expect(Number(final.queued_count)).toBe(0);
      if (Number(final.unknown_count) > 0) expect(final.notes).toMatch(/unknown fate/);
      const open = await db(BATCHES).where(byMailing(ref)).whereIn('state', ['pending', 'sending']).count({ n: '*' }).first();
      expect(Number(open?.n)).toBe(0);
    },
    150_000,
  );

  it('cancel mid-send: no further batch goes out, batches in flight settle, the counts are exact', async () => {
    sink.setFaults({ delayMs: 150 });
    const ref = await mailing.create('cancel');
    await spawnWorker({ NEWSLETTER_CONCURRENCY: '1' });
    await until('some of it submitted', async () => Number((await row(ref)).submitted_count) > 0);
    const result = await createMailingDeps(app.strapi, quiet).engine.cancel(ref);
    expect(result.outcome).toBe('stopping');
    await until('mailing cancelled', async () => (await row(ref)).state === 'cancelled', 60_000);
    sink.clearFaults();

    const final = await row(ref);
    const received = receivedPerAddress();
    for (const count of received.values()) expect(count).toBe(1);
    expect(received.size).toBe(Number(final.submitted_count));
    expect(Number(final.cancelled_count)).toBeGreaterThan(0);
    expect(Number(final.queued_count)).toBe(0);
    expect(Number(final.submitted_count) + Number(final.cancelled_count)).toBe(Number(final.recipients_count));
    expect(final.notes).toMatch(/Cancelled: \d+ recipient\(s\) not sent/);
    const cancelledRows = await db(DELIVERIES)
      .where({ ...byMailing(ref), status: 'cancelled' })
      .count({ n: '*' })
      .first();
    expect(Number(cancelledRows?.n)).toBe(Number(final.cancelled_count));
  }, 120_000);
});

describe('the newsletter command line', () => {
  const cli = (args: string[]) => mailingsCommand(app.strapi, args);

  it('assembles, reports, previews per variant and sends a test, machine-readable', async () => {
    await publishArticle('cli', ['verandermanagement']);
    const assembled = await cli(['assemble', '--json']);
    expect(assembled.code).toBe(0);
    const { id, state } = JSON.parse(assembled.stdout.trim().split('\n').pop()!);
    expect(state).toBe('scheduled');
    const report = JSON.parse((await cli(['status', '--edition', String(id), '--json'])).stdout.trim().split('\n').pop()!);
    expect(report).toMatchObject({ id, state: 'scheduled', recipients: 0 });

    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'np-preview-'));
    const preview = JSON.parse((await cli(['preview', '--edition', String(id), '--out', out, '--json'])).stdout.trim().split('\n').pop()!);
    expect(preview.variants).toBeGreaterThanOrEqual(2);
    expect(fs.readdirSync(out).filter((file) => file.endsWith('.html'))).toHaveLength(preview.variants);
    expect(fs.readFileSync(path.join(out, 'en-all.html'), 'utf8')).toContain('lang="en"');
    fs.rmSync(out, { recursive: true, force: true });

    const test = await cli(['send-test', '--edition', String(id), '--to', 'proef@example.org', '--locale', 'en', '--json']);
    expect(test.code).toBe(0);
    expect(sink.recipients().find((recipient) => recipient.email === 'proef@example.org')?.subject).toMatch(/^\[TEST\] Newsletter/);
    // Not sent to anyone else, and the edition itself is untouched.
    expect(sink.recipients()).toHaveLength(1);
    // Refusals: a send time in the past; then cancel while scheduled.
    const past = await cli(['send', '--edition', String(id), '--at', '2020-01-01T09:00:00Z']);
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(/in the past/);
    const cancelled = JSON.parse((await cli(['cancel', '--edition', String(id), '--json'])).stdout.trim().split('\n').pop()!);
    expect(cancelled).toMatchObject({ outcome: 'cancelled', state: 'cancelled', submitted: 0 });
  });

  it('refuses bad usage with exit code 2 and fake subscribers in production', async () => {
    expect((await cli(['status', '--edition', '999999'])).code).toBe(2);
    expect((await cli(['send'])).code).toBe(2);
    // The command line as its own process: wrong usage is refused before Strapi loads.
    const production = await newsletterCli(['fake-subscribers', '--count', '5'], { NODE_ENV: 'production' });
    expect(production.code).toBe(2);
    expect(production.stderr).toMatch(/refuses to run with NODE_ENV=production/);
  });
});

describe('scheduling', () => {
  it('two worker processes, one schedule: one edition per period, sent once', async () => {
    await publishArticle('scheduled', ['ontwikkelen-van-ontwikkelen']);
    const before = await db('editions').max({ id: 'id' }).first();
    const env = { NEWSLETTER_CRON: '*/3 * * * * *' };
    await Promise.all([spawnWorker(env), spawnWorker(env)]);
    const created = await until('a scheduled edition', async () =>
      db('editions')
        .where('id', '>', Number(before?.id ?? 0))
        .whereNot({ state: 'skipped' })
        .first(),
    );
    await until('edition sent', async () => (await edition(created.id)).state === 'sent', 90_000);
    await stopWorkers();
    const editions = await db('editions')
      .where('id', '>', Number(before?.id ?? 0))
      .select('period_key', 'state');
    const periods = editions.map((row: { period_key: string }) => row.period_key);
    expect(new Set(periods).size).toBe(periods.length);
    expect(editions.filter((row: { state: string }) => row.state !== 'skipped')).toHaveLength(1);
    const received = receivedPerAddress();
    for (const email of await activeSubscribers()) expect(received.get(email)).toBe(1);
  });
});
