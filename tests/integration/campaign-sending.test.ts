import type { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { campaigns as demoCampaigns } from '../../database/seed/demo-content';
import type { MailSink } from '../../scripts/mail-sink/server';
import { inAudience, type CampaignAudience } from '../../src/mailings/campaign/audience';
import { createJsonLogger } from '../../src/core/infra/log';
import { createFakeSubscribers } from '../../src/ops/fake-subscribers';
import { createMailingDeps } from '../../src/app/mailing-deps';
import { readDeliveryArgs } from '../../src/mailings/engine/delivery-reference';
import { testRedisPrefix } from '../support/redis';
import { startWorker, type WorkerProcess } from '../support/worker';
import { lastJson, mailingsCommand, newsletterCli } from '../support/newsletter-cli';
import { useCms } from '../support/harness';

/**
 * Campaigns through the sending engine, end to end, from the command line: the seeded demo
 * campaign, audiences by theme and by language, suppressed readers, and the refusals.
 * (The fault cases for campaigns run in newsletter.test.ts, with the edition's.)
 */
const PREFIX = testRedisPrefix('campaign-sending');
const workerEnv = {
  NEWSLETTER_BATCH_SIZE: '100',
  NEWSLETTER_TICK_MS: '500',
  NEWSLETTER_REVIEW_HOURS: '0',
  NEWSLETTER_LEASE_MS: '4000',
  NEWSLETTER_CRON: '0 9 * * 2#1',
  MAIL_JOB_LOCK_MS: '3000',
};
const app = useCms({ name: 'campaign-sending', listen: true, seed: true, env: { REDIS_PREFIX: PREFIX, ...workerEnv } });
const THEMES = ['meten-van-leercultuur', 'ontwikkelen-van-ontwikkelen', 'verandermanagement', 'technologie-in-de-lerende-organisatie'];
const SUPPRESSED = ['sanne.bakker@example.org', 'tom.baker@example.org'];

let sink: MailSink;
let db: Knex;
let worker: WorkerProcess | null = null;
const quiet = createJsonLogger('test', () => undefined);

beforeAll(async () => {
  sink = app.sink;
  db = app.strapi.db.connection as unknown as Knex;
  await createFakeSubscribers(db, { count: 300, localeMix: true, themesRandom: true, themes: THEMES });
  // One more suppressed reader, among the fake ones.
  const last = await db('subscribers').where({ state: 'active' }).orderBy('id', 'desc').first('id');
  await db('subscribers').where({ id: last.id }).update({ state: 'bounced' });
});

afterEach(async () => {
  await worker?.kill('SIGTERM');
  worker = null;
  sink.reset();
});

afterAll(async () => {
  await worker?.kill('SIGTERM');
});

// The commands run against this file's CMS; one test runs the command line as its own process.
const cli = (args: string[]) => mailingsCommand(app.strapi, args);

interface Reader {
  email: string;
  state: string;
  preferredLocale: string | null;
  themes: string[];
}

async function readers(): Promise<Reader[]> {
  const rows: Array<{ email: string; state: string; preferred_locale: string | null; themes: unknown }> = await db('subscribers').select(
    'email',
    'state',
    'preferred_locale',
    'themes',
  );
  return rows.map((row) => ({
    email: row.email,
    state: row.state,
    preferredLocale: row.preferred_locale,
    themes: typeof row.themes === 'string' ? JSON.parse(row.themes) : ((row.themes as string[] | null) ?? []),
  }));
}

/** Sends a campaign with `send --campaign ID --wait` (a worker running) and checks who got it, once each, in which language. */
async function sendAndCheck(id: number, audience: CampaignAudience, subjects: { nl: string; en: string }) {
  worker = await startWorker(workerEnv);
  const sent = await cli(['send', '--campaign', String(id), '--wait', '--json']);
  expect(sent.code, sent.stderr).toBe(0);
  const final = lastJson(sent.stdout);
  const all = await readers();
  const expected = all.filter((reader) => reader.state === 'active' && inAudience(audience, reader));
  expect(final).toMatchObject({ kind: 'campaign', id, state: 'sent', recipients: expected.length, submitted: expected.length, queued: 0, failed: 0 });

  const received = new Map<string, { count: number; subject: string | null; categories: string[]; customArgs: Record<string, string> }>();
  for (const mail of sink.recipients()) {
    const seen = received.get(mail.email);
    received.set(mail.email, { count: (seen?.count ?? 0) + 1, subject: mail.subject, categories: mail.categories, customArgs: mail.customArgs });
  }
  expect(received.size).toBe(expected.length);
  for (const reader of expected) {
    const mail = received.get(reader.email);
    expect(mail?.count, reader.email).toBe(1);
    expect(mail?.subject).toBe(reader.preferredLocale === 'en' ? subjects.en : subjects.nl);
  }
  for (const reader of all.filter((each) => !expected.includes(each))) expect(received.has(reader.email), reader.email).toBe(false);
  for (const email of SUPPRESSED) expect(received.has(email)).toBe(false);
  const one = [...received.values()][0];
  expect(one.categories).toEqual(['campaign']);
  expect(readDeliveryArgs(one.customArgs)?.mailing).toEqual({ kind: 'campaign', id });
  expect(one.customArgs.campaign_id).toBe(final.documentId);
  expect(JSON.stringify(one.customArgs)).not.toContain('@');
  return { final, received };
}

describe('the demo campaign from the command line', () => {
  it('lists editions and campaigns with their state and counts (the command line as its own process)', async () => {
    const listed = await newsletterCli(['list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const { mailings } = lastJson(listed.stdout);
    expect(mailings).toContainEqual(
      expect.objectContaining({ kind: 'campaign', title: demoCampaigns[0].title, state: 'draft', recipients: 0, submitted: 0, cancelled: 0 }),
    );
    expect(mailings.every((mailing: { documentId: string; id: number }) => mailing.documentId && Number.isInteger(mailing.id))).toBe(true);
    const human = await cli(['list']);
    expect(human.stdout).toContain(`campaign `);
    expect(human.stdout).toContain(demoCampaigns[0].title);
  });

  it('previews both languages and sends a test', async () => {
    const seeded = await db('campaigns').where({ title: demoCampaigns[0].title }).first('id');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'np-campaign-preview-'));
    try {
      const preview = await cli(['preview', '--campaign', String(seeded.id), '--out', out, '--json']);
      expect(preview.code, preview.stderr).toBe(0);
      expect(lastJson(preview.stdout).variants).toBe(2);
      expect(fs.readFileSync(path.join(out, `campaign-${seeded.id}-en.html`), 'utf8')).toContain('Explore the bundle');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
    const test = await cli(['send-test', '--campaign', String(seeded.id), '--to', 'proef@example.org', '--locale', 'en', '--json']);
    expect(test.code, test.stderr).toBe(0);
    expect(sink.recipients().map((mail) => [mail.email, mail.subject])).toEqual([['proef@example.org', `[TEST] ${demoCampaigns[0].subject.en}`]]);
    expect((await db('campaigns').where({ id: seeded.id }).first('state')).state).toBe('draft');
  });

  it('the seeded campaign reaches every active reader once, in their language; suppressed readers get nothing', async () => {
    const seeded = await db('campaigns').where({ title: demoCampaigns[0].title }).first('id');
    const { received, final } = await sendAndCheck(seeded.id, { themes: [], locale: null }, demoCampaigns[0].subject);
    for (const email of ['anna.jansen@example.org', 'pieter.devries@example.org', 'grace.okafor@example.org']) expect(received.has(email)).toBe(true);
    expect(final.variants).toBe(2);
    // The web version behind "view in browser" is the variant as sent.
    const view = await fetch(`${app.url}/newsletter/campaigns/${final.documentId}?variant=en`);
    expect(view.status).toBe(200);
    expect(await view.text()).toContain('Explore the bundle');
    expect((await fetch(`${app.url}/newsletter/campaigns/${final.documentId}?variant=xx`)).status).toBe(404);
    // Sent is final: sending again is refused.
    const again = await cli(['send', '--campaign', String(seeded.id)]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/campaign \d+ is sent/);
  });

  it('campaign create with a themes audience: readers of other themes get nothing (readers without themes do)', async () => {
    const created = await cli([
      'campaign',
      'create',
      '--title',
      'Veranderen',
      '--feature',
      'inspiratiebundel-leercultuur,handboek-actieleren',
      '--themes',
      'verandermanagement',
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const { id, state } = lastJson(created.stdout);
    expect(state).toBe('draft');
    const row = await db('campaigns').where({ id }).first('subject_nl', 'subject_en', 'audience_locale');
    expect(row.subject_nl).toBe('Inspiratiebundel Leercultuur');
    expect(row.subject_en).toBeTruthy();
    const { received } = await sendAndCheck(id, { themes: ['verandermanagement'], locale: null }, { nl: row.subject_nl, en: row.subject_en });
    expect(received.has('anna.jansen@example.org')).toBe(true); // follows verandermanagement
    expect(received.has('pieter.devries@example.org')).toBe(true); // follows no theme: everything
    expect(received.has('grace.okafor@example.org')).toBe(false); // follows another theme only
  });

  it('campaign create with a language audience: readers of the other language get nothing', async () => {
    const created = await cli(['campaign', 'create', '--title', 'English only', '--feature', 'inspiratiebundel-leercultuur', '--locale', 'en', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const { id } = lastJson(created.stdout);
    const row = await db('campaigns').where({ id }).first('subject_nl', 'subject_en');
    const { received } = await sendAndCheck(id, { themes: [], locale: 'en' }, { nl: row.subject_nl, en: row.subject_en });
    expect(received.has('grace.okafor@example.org')).toBe(true);
    expect(received.has('anna.jansen@example.org')).toBe(false);
  });
});

describe('refusals exit 2 with a clear message', () => {
  const create = async (extra: string[] = [], feature = 'inspiratiebundel-leercultuur') => {
    const created = await cli(['campaign', 'create', '--title', `Refusal ${Date.now()}`, '--feature', feature, ...extra, '--json']);
    expect(created.code, created.stderr).toBe(0);
    return lastJson(created.stdout).id as number;
  };

  it('a send time in the past, at create and at send', async () => {
    const past = await cli(['campaign', 'create', '--title', 'Te laat', '--feature', 'inspiratiebundel-leercultuur', '--send-at', '2020-01-01T09:00:00Z']);
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(/in the past/);
    expect(await db('campaigns').where({ title: 'Te laat' }).first()).toBeUndefined();
    const id = await create();
    const send = await cli(['send', '--campaign', String(id), '--at', '2020-01-01T09:00:00Z', '--json']);
    expect(send.code).toBe(2);
    expect(JSON.parse(send.stderr.trim())).toMatchObject({ refused: 'in-the-past' });
    // A future time schedules it; cancel while scheduled.
    const later = await cli([
      'campaign',
      'create',
      '--title',
      'Later',
      '--feature',
      'inspiratiebundel-leercultuur',
      '--send-at',
      new Date(Date.now() + 86_400_000).toISOString(),
      '--json',
    ]);
    expect(later.code, later.stderr).toBe(0);
    const scheduled = lastJson(later.stdout);
    expect(scheduled.state).toBe('scheduled');
    const cancelled = await cli(['cancel', '--campaign', String(scheduled.id), '--json']);
    expect(lastJson(cancelled.stdout)).toMatchObject({ outcome: 'cancelled', state: 'cancelled', submitted: 0 });
  });

  it('an audience without recipients', async () => {
    const id = await create(['--locale', 'en']);
    const english = (await db('subscribers').where({ state: 'active', preferred_locale: 'en' }).select('id')).map((row: { id: number }) => row.id);
    await db('subscribers').whereIn('id', english).update({ state: 'pending' });
    try {
      const send = await cli(['send', '--campaign', String(id)]);
      expect(send.code).toBe(2);
      expect(send.stderr).toMatch(/audience has no active subscribers/);
    } finally {
      await db('subscribers').whereIn('id', english).update({ state: 'active' });
    }
  });

  it('featured items that are drafts', async () => {
    await app.strapi
      .documents('api::article.article')
      .create({ locale: 'nl', data: { title: 'Nog niet af', slug: 'nog-niet-af', summary: 's', body: 'b', publicationDate: '2026-11-21' } } as never);
    const id = await create([], 'inspiratiebundel-leercultuur,nog-niet-af');
    const send = await cli(['send', '--campaign', String(id)]);
    expect(send.code).toBe(2);
    expect(send.stderr).toMatch(/Featured item 2, news article "Nog niet af", is not published/);
    expect((await db('campaigns').where({ id }).first('state')).state).toBe('draft');
  });

  it('no subject in a language that has recipients (none needed for a language without)', async () => {
    const id = await create();
    await db('campaigns').where({ id }).update({ subject_en: null });
    const send = await cli(['send', '--campaign', String(id)]);
    expect(send.code).toBe(2);
    expect(send.stderr).toMatch(/no subject in English/);
    // Dutch readers only: the English subject is not needed.
    await db('campaigns').where({ id }).update({ audience_locale: 'nl' });
    const engine = createMailingDeps(app.strapi, quiet).engine;
    await expect(engine.schedule({ kind: 'campaign', id }, new Date(Date.now() + 86_400_000))).resolves.toMatchObject({ state: 'scheduled' });
    await engine.cancel({ kind: 'campaign', id });
  });

  it('found at planning time: the campaign ends failed with the refusal as its note', async () => {
    const id = await create();
    const engine = createMailingDeps(app.strapi, quiet).engine;
    await engine.schedule({ kind: 'campaign', id }, 'now');
    await db('campaigns').where({ id }).update({ subject_nl: '' });
    expect(await engine.plan({ kind: 'campaign', id })).toEqual({ outcome: 'nothing' });
    const row = await db('campaigns').where({ id }).first('state', 'notes');
    expect(row.state).toBe('failed');
    expect(row.notes).toMatch(/no subject in Dutch/);
    const status = lastJson((await cli(['status', '--campaign', String(id), '--json'])).stdout);
    expect(status).toMatchObject({ kind: 'campaign', id, state: 'failed' });
  });

  it('bad usage', async () => {
    expect((await cli(['status', '--campaign', '999999'])).code).toBe(2);
    expect((await cli(['campaign', 'create', '--title', 'x'])).code).toBe(2);
    const unknown = await cli(['campaign', 'create', '--title', 'x', '--feature', 'bestaat-niet']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no resource, bundle or article with the slug "bestaat-niet"/);
    expect((await cli(['campaign', 'create', '--title', 'x', '--feature', 'inspiratiebundel-leercultuur', '--locale', 'de'])).code).toBe(2);
  });
});
