import type { Knex } from 'knex';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateWebhookKeys } from '../../scripts/mail-sink/events';
import type { MailSink } from '../../scripts/mail-sink/server';
import { createCampaign } from '../../src/mailings/campaign/create';
import { createFakeSubscribers } from '../../src/ops/fake-subscribers';
import { testRedisPrefix } from '../support/redis';
import { startWorker, type WorkerProcess } from '../support/worker';
import { lastJson, mailingsCommand } from '../support/newsletter-cli';
import { until } from '../support/until';
import { useCms } from '../support/harness';

/**
 * The running product with SendGrid's Event Webhook: the stand-in posts signed events for what it
 * accepts (bounce-*, spam-*, unsub-*, blocked-*, defer-* addresses as SendGrid would report them) to
 * the CMS's /webhooks/sendgrid, and the worker applies them. A send suppresses the bounced, the
 * complaining and the unsubscribing readers and counts them; a worker killed mid-send leaves
 * nobody out and nobody twice, because events (or their absence) settle every batch of unknown fate.
 */
const PREFIX = testRedisPrefix('feedback-e2e');
const keys = generateWebhookKeys();
const env = {
  NEWSLETTER_BATCH_SIZE: '100',
  NEWSLETTER_TICK_MS: '500',
  NEWSLETTER_REVIEW_HOURS: '0',
  NEWSLETTER_LEASE_MS: '4000',
  NEWSLETTER_CRON: '0 9 * * 2#1',
  MAIL_JOB_LOCK_MS: '3000',
  SENDGRID_WEBHOOK_PUBLIC_KEY: keys.publicKey,
  // Six seconds: far longer than the stand-in takes to report what it accepted.
  UNKNOWN_FATE_QUIET_MINUTES: '0.1',
};
const app = useCms({ name: 'delivery-feedback-e2e', listen: true, seed: true, env: { REDIS_PREFIX: PREFIX, ...env } });
const PATTERNS = {
  bounce: 'bounce-anna@example.org',
  spam: 'spam-bram@example.org',
  unsub: 'unsub-cem@example.org',
  blocked: 'blocked-dana@example.org',
  defer: 'defer-eva@example.org',
};

let sink: MailSink;
let db: Knex;
let worker: WorkerProcess | null = null;

const cli = (args: string[]) => mailingsCommand(app.strapi, args);
const campaign = (id: number) => db('campaigns').where({ id }).first();
const activeEmails = async () => (await db('subscribers').where({ state: 'active' }).select('email')).map((row: { email: string }) => row.email);
const newCampaign = async (title: string) => (await createCampaign(app.strapi, { title, features: ['inspiratiebundel-leercultuur'] })).id;

beforeAll(async () => {
  sink = app.sink;
  db = app.strapi.db.connection as unknown as Knex;
  sink.setWebhook({ url: `${app.url}/webhooks/sendgrid`, privateKey: keys.privateKey, flushMs: 100 });
  await createFakeSubscribers(db, { count: 1500, localeMix: true, themesRandom: false, themes: [] });
  for (const [i, email] of Object.values(PATTERNS).entries()) {
    await db('subscribers').insert({
      document_id: `pattern-${i}`,
      email,
      state: 'active',
      preferred_locale: 'nl',
      link_key: `pattern-link-key-${i}-0123456789`,
      created_at: new Date(),
      updated_at: new Date(),
    });
  }
});

afterEach(async () => {
  await worker?.kill('SIGTERM');
  worker = null;
  sink.clearFaults();
  sink.reset();
});

afterAll(async () => {
  await worker?.kill('SIGTERM');
});

describe('SendGrid events in the running product', () => {
  it('a send suppresses the bounced, complaining and unsubscribing readers, and the statistics count every reader once', async () => {
    const id = await newCampaign('Feedback end to end');
    const audience = (await activeEmails()).length;
    worker = await startWorker(env);
    const sent = await cli(['send', '--campaign', String(id), '--wait', '--json']);
    expect(sent.code, sent.stderr).toBe(0);
    expect(lastJson(sent.stdout)).toMatchObject({ state: 'sent', submitted: audience });

    // delivered: everyone but the hard and the soft bounce; deferred once; a spam report and an unsubscribe.
    const status = await until('the statistics of every reader', async () => {
      const report = lastJson((await cli(['status', '--campaign', String(id), '--json'])).stdout);
      return report.delivered === audience - 2 && report.bounced === 2 && report.spamReports === 1 && report.unsubscribes === 1 && report.deferred === 1
        ? report
        : null;
    });
    expect(status).toMatchObject({ dropped: 0, trackEngagement: false, awaitingResolution: [] });
    expect(status).not.toHaveProperty('opens');

    const state = async (email: string) => db('subscribers').where({ email }).first('state', 'suppression_reason', 'suppressed_at');
    expect(await state(PATTERNS.bounce)).toMatchObject({ state: 'bounced', suppression_reason: expect.stringMatching(/^Bounce 5\.1\.1 Invalid Address/) });
    expect((await state(PATTERNS.bounce)).suppression_reason).not.toMatch(/@/);
    expect(await state(PATTERNS.spam)).toMatchObject({ state: 'complained', suppression_reason: expect.stringMatching(/Spam report/) });
    expect(await state(PATTERNS.unsub)).toMatchObject({ state: 'unsubscribed', suppression_reason: expect.stringMatching(/mailbox provider/) });
    expect(await state(PATTERNS.blocked)).toMatchObject({ state: 'active', suppression_reason: null });
    expect(await state(PATTERNS.defer)).toMatchObject({ state: 'active', suppression_reason: null });
    expect(await campaign(id)).toMatchObject({
      delivered_count: audience - 2,
      bounced_count: 2,
      spam_reports_count: 1,
      unsubscribes_count: 1,
      deferred_count: 1,
    });

    // The next mailing goes to nobody of them.
    sink.reset();
    const next = await newCampaign('Feedback end to end, the next one');
    const again = await cli(['send', '--campaign', String(next), '--wait', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const received = new Set(sink.recipients().map((mail) => mail.email));
    expect(received.size).toBe(audience - 3);
    for (const email of [PATTERNS.bounce, PATTERNS.spam, PATTERNS.unsub]) expect(received.has(email)).toBe(false);
  }, 180_000);

  it('SIGKILL the worker mid-send, then restart: with the events, nobody twice and nobody missing', async () => {
    sink.setFaults({ delayMs: 150 });
    const id = await newCampaign('Feedback crash');
    const active = await activeEmails();
    // Tracked as `worker` until it is killed, so that a failing wait does not leave it running.
    const first = (worker = await startWorker({ ...env, NEWSLETTER_CONCURRENCY: '2' }));
    expect((await cli(['send', '--campaign', String(id)])).code).toBe(0);
    // Killed while SendGrid (the stand-in, answering after 150 ms) holds a batch's request: its fate is unknown to the worker.
    const inFlight = await until('part of it submitted and a batch in flight', async () => {
      const row = await campaign(id);
      if (!(Number(row.submitted_count) > 0 && Number(row.submitted_count) < Number(row.recipients_count) / 2)) return null;
      const sending: Array<{ batch_no: number }> = await db('newsletter_batches')
        .where({ mailing_kind: 'campaign', mailing_id: id, state: 'sending' })
        .select('batch_no');
      return sending.length > 0 ? sending.map((batch) => batch.batch_no) : null;
    });
    await first.kill('SIGKILL');
    sink.clearFaults();
    worker = await startWorker(env);
    const final = await until(
      'the campaign final',
      async () => {
        const row = await campaign(id);
        return row.state === 'sent' ? row : null;
      },
      120_000,
    );

    const received = new Map<string, number>();
    for (const mail of sink.recipients()) received.set(mail.email, (received.get(mail.email) ?? 0) + 1);
    const twice = [...received].filter(([, count]) => count > 1);
    const missing = active.filter((email) => !received.has(email));
    expect(twice).toEqual([]);
    expect(missing).toEqual([]);
    expect(final).toMatchObject({ submitted_count: active.length, unknown_count: 0, queued_count: 0 });
    expect(final.notes ?? '').not.toMatch(/unknown fate/);
    const batches: Array<{ state: string }> = await db('newsletter_batches')
      .where({ mailing_kind: 'campaign', mailing_id: id })
      .whereIn('batch_no', inFlight)
      .select('state');
    expect(batches.map((batch) => batch.state)).toEqual(inFlight.map(() => 'submitted'));
  }, 180_000);
});
