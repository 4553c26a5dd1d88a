/**
 * What leaves through SendGrid, read at the stand-in over a real Strapi, worker and HTTP:
 * every request turns tracking off explicitly (the privacy statement promises it), and Strapi's own
 * mail (admin password reset, the email plugin's service) goes the same way instead of by SMTP.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoContent } from '../../database/seed/seed';
import { startMailSink, type MailSink, type RecipientView } from '../../scripts/mail-sink/server';
import { createJsonLogger } from '../../src/core/infra/log';
import { assembleEdition } from '../../src/mailings/edition/assemble';
import { createMailingDeps } from '../../src/app/mailing-deps';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { waitForMail } from '../support/mail';
import { deleteRedisPrefix, testRedisPrefix } from '../support/redis';
import { startStrapi, type TestApp } from '../support/strapi';
import { startWorker, type WorkerProcess } from '../support/worker';
import { until } from '../support/until';

const API_KEY = 'SG.outgoing-mail-test';
const PREFIX = testRedisPrefix('outgoing-mail');
const FROM = { name: 'Testnetwerk Zuid', email: 'post@testnetwerk.example' };
const ADMIN = { email: 'beheer@testnetwerk.example', password: 'Oud-Wachtw00rd!' };

/** What the privacy statement promises, in the contract's snake case. */
const TRACKING_OFF = {
  click_tracking: { enable: false, enable_text: false },
  open_tracking: { enable: false },
  subscription_tracking: { enable: false },
  ganalytics: { enable: false },
};

let database: TestDatabase;
let app: TestApp;
let sink: MailSink;
let worker: WorkerProcess;

/** The stand-in's per-recipient entries for an address, over its HTTP API. */
async function recipientEntries(email: string): Promise<RecipientView[]> {
  const response = await fetch(`${sink.url}/__sink/recipients?email=${encodeURIComponent(email)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as RecipientView[];
}

beforeAll(async () => {
  sink = await startMailSink({ port: 0, apiKey: API_KEY });
  database = await createTestDatabase();
  const env = {
    SENDGRID_API_URL: sink.url,
    SENDGRID_API_KEY: API_KEY,
    MAIL_FROM: `${FROM.name} <${FROM.email}>`,
    REDIS_PREFIX: PREFIX,
    MAIL_JOB_LOCK_MS: '3000',
    NEWSLETTER_REVIEW_HOURS: '0',
    NEWSLETTER_TICK_MS: '500',
  };
  app = await startStrapi(database, { listen: true, env });
  await seedDemoContent(app.strapi);
  // startStrapi put the environment above into process.env; the worker inherits it.
  worker = await startWorker();
});

afterAll(async () => {
  await worker?.kill();
  await deleteRedisPrefix(PREFIX);
  await app?.stop();
  await database?.drop();
  await sink?.close();
});

describe('tracking settings at SendGrid', () => {
  it('a confirmation mail, sent by the worker, turns every kind of tracking off', async () => {
    const email = 'tracking.reader@example.org';
    const response = await fetch(`${app.url}/api/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, locale: 'en', themes: [], consent: true }),
    });
    expect(response.status).toBe(202);
    const [mail] = await waitForMail(sink, email);
    expect(mail.categories).toContain('confirmation');
    expect(mail.trackingSettings).toEqual(TRACKING_OFF);
    const [entry] = await recipientEntries(email);
    expect(entry.trackingSettings).toEqual(TRACKING_OFF);
    // The stand-in's viewer shows them too.
    const page = await (await fetch(`${sink.url}/messages/${encodeURIComponent(mail.messageId)}`)).text();
    expect(page).toContain('tracking_settings');
  });

  it('an edition batch turns every kind of tracking off', async () => {
    const deps = createMailingDeps(
      app.strapi,
      createJsonLogger('test', () => undefined),
    );
    const edition = await assembleEdition(deps, { now: new Date(), periodKey: `test:tracking:${Date.now()}` });
    expect(edition.items).toBeGreaterThan(0);
    // Due now: the worker's tick plans and sends it.
    await (app.strapi.db.connection as unknown as Knex)('editions')
      .where({ id: edition.editionId })
      .update({ scheduled_at: new Date(Date.now() - 1000) });
    // grace.okafor is an active subscriber of the demo content.
    const entries = await until('the edition at the stand-in', async () =>
      (await recipientEntries('grace.okafor@example.org')).filter((e) => e.categories.includes('edition')).at(0),
    );
    expect(entries.customArgs.edition_id).toBe(edition.documentId);
    expect(entries.trackingSettings).toEqual(TRACKING_OFF);
    const batches = sink.messages().filter((message) => message.body.categories?.includes('edition'));
    expect(batches.length).toBeGreaterThan(0);
    for (const batch of batches) expect(batch.body.tracking_settings).toEqual(TRACKING_OFF);
  });
});

describe("Strapi's email plugin sends through the project's SendGrid path", () => {
  it('an admin password reset arrives at the stand-in from MAIL_FROM, and its link resets the password', async () => {
    await app.strapi.service('admin::user').create({
      email: ADMIN.email,
      firstname: 'Beheer',
      lastname: 'Test',
      password: ADMIN.password,
      isActive: true,
      registrationToken: null,
      roles: [(await app.strapi.service('admin::role').getSuperAdmin()).id],
    });
    const response = await fetch(`${app.url}/admin/forgot-password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN.email }),
    });
    expect(response.status).toBe(204);

    const [mail] = await waitForMail(sink, ADMIN.email, 1, 10_000);
    expect(mail.from).toEqual(FROM);
    expect(mail.subject).toBe('Reset password');
    expect(mail.trackingSettings).toEqual(TRACKING_OFF);
    const code = /\/admin\/auth\/reset-password\?code=([0-9a-f]+)/.exec(mail.text ?? '')?.[1];
    expect(code).toBeTruthy();

    const reset = await fetch(`${app.url}/admin/reset-password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resetPasswordToken: code, password: 'Nieuw-Wachtw00rd!' }),
    });
    expect(reset.status).toBe(200);
    const login = await fetch(`${app.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN.email, password: 'Nieuw-Wachtw00rd!' }),
    });
    expect(login.status).toBe(200);
  });

  it("the plugin's send service delivers synchronously, with the default sender", async () => {
    await app.strapi.plugin('email').service('email').send({ to: 'plugin.reader@example.org', subject: 'Via de plugin', text: 'Hallo', html: '<p>Hallo</p>' });
    // Sent before send() resolved: no waiting needed.
    const entries = await recipientEntries('plugin.reader@example.org');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ subject: 'Via de plugin', categories: ['admin'], trackingSettings: TRACKING_OFF });
    expect(sink.messages().find((message) => message.messageId === entries[0].messageId)?.body.from).toEqual(FROM);
  });

  it('a refusal by SendGrid reaches the caller', async () => {
    sink.setFaults({ rejectAddress: 'refused@example.org' });
    try {
      await expect(app.strapi.plugin('email').service('email').send({ to: 'refused@example.org', subject: 's', text: 't' })).rejects.toMatchObject({
        code: 400,
      });
    } finally {
      sink.clearFaults();
    }
  });
});
