import fs from 'node:fs';
import path from 'node:path';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { Knex } from 'knex';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaigns as demoCampaigns } from '../../database/seed/demo-content';
import type { MailSink } from '../../scripts/mail-sink/server';
import { CAMPAIGN_UID } from '../../src/mailings/campaign/content';
import { createCampaign } from '../../src/mailings/campaign/create';
import { readDeliveryArgs } from '../../src/mailings/engine/delivery-reference';
import { BATCHES, DELIVERIES } from '../../src/mailings/engine/schema';
import { chromiumAvailable } from '../support/browser';
import { useCms } from '../support/harness';
import { mailsTo, waitForMail } from '../support/mail';
import type { TestApp } from '../support/strapi';
import { startWorker, type WorkerProcess } from '../support/worker';
import { until } from '../support/until';
import { ITEM_COUNTS_TABLE } from '../../src/site/counts/store';

/**
 * Delivery feedback as an editor sees it, end to end: the demo campaign is sent for real (worker,
 * mail stand-in), SendGrid's signed events for it are posted to POST /webhooks/sendgrid as SendGrid
 * posts them, the worker applies them, and the demo editor reads the statistics in the sending
 * panel, the list's Delivered and Bounced columns and the bounced reader's record; the database
 * holds the same. A second campaign, with tracking switched on by the editor, loses the answer to
 * its batch: the panel lists the batch as awaiting SendGrid's events until they arrive, then shows
 * opens and clicks as estimates, machine opens apart. An item link of the mail, followed twice,
 * shows in the panel's items opened.
 */
const ARTIFACTS = path.join(__dirname, '..', 'artifacts');
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const SUBSCRIBER_UID = 'api::subscriber.subscriber';
const [demo] = demoCampaigns;
// The webhook's key pair, as SendGrid's "Verification Key" (base64 DER SPKI) and its signing half.
const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PUBLIC_KEY = keys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
/** Three more readers beside the seed's three active ones; no themes, so in every audience. */
const EXTRA = [
  { email: 'lotte.visser@example.org', preferredLocale: 'nl' },
  { email: 'sam.deboer@example.org', preferredLocale: 'en' },
  { email: 'ilse.smit@example.org', preferredLocale: 'nl' },
] as const;
const BOUNCES = 'lotte.visser@example.org';
const REPORTS_SPAM = 'sam.deboer@example.org';
const DEFERRED_FIRST = 'grace.okafor@example.org';
const UNSUBSCRIBES = 'pieter.devries@example.org';
const RECIPIENTS = ['anna.jansen@example.org', 'pieter.devries@example.org', 'grace.okafor@example.org', ...EXTRA.map((reader) => reader.email)];
/** The provider's request timeout here (30 s by default), and an answer slower than it: it never comes, SendGrid may have the mail. */
const REQUEST_TIMEOUT_MS = 4_000;
const LOST_ANSWER_MS = REQUEST_TIMEOUT_MS + 5_000;

let sink: MailSink;
const session = useCms({
  name: 'delivery-statistics',
  listen: true,
  editor: true,
  env: {
    SENDGRID_WEBHOOK_PUBLIC_KEY: PUBLIC_KEY,
    SENDGRID_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    // The default hour, said here: a batch of unknown fate must not be sent again while the test watches it wait.
    UNKNOWN_FATE_QUIET_MINUTES: '60',
    // The deployment allows a mailing's tracking switch (off by default, as the privacy statement says).
    MAIL_ENGAGEMENT_TRACKING: 'per-mailing',
    NEWSLETTER_TICK_MS: '500',
    NEWSLETTER_REVIEW_HOURS: '0',
    NEWSLETTER_CRON: '0 9 * * 2#1',
  },
});
let worker: WorkerProcess | undefined;
let app: TestApp;
let page: Page;
let db: Knex;
const consoleErrors: string[] = [];

/** One SendGrid event of the mail `address` got: its custom args at the top level, as SendGrid posts them. */
function eventFor(address: string, event: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const [mail] = mailsTo(sink, address);
  if (!mail) throw new Error(`no mail to ${address} at the stand-in`);
  return {
    email: address,
    timestamp: Math.floor(Date.now() / 1000),
    event,
    sg_event_id: randomBytes(16).toString('base64url'),
    sg_message_id: `${mail.messageId}.recvd-1`,
    'smtp-id': `<${mail.messageId}@example.org>`,
    category: mail.categories,
    ...mail.customArgs,
    ...fields,
  };
}

/** Posts events signed like SendGrid's Event Webhook: ECDSA-SHA256 over timestamp + raw body, base64 DER. */
async function postEvents(events: Array<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const body = JSON.stringify(events);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = sign('sha256', Buffer.from(timestamp + body), { key: keys.privateKey, dsaEncoding: 'der' }).toString('base64');
  const response = await fetch(`${app.url}/webhooks/sendgrid`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Twilio-Email-Event-Webhook-Signature': signature, 'X-Twilio-Email-Event-Webhook-Timestamp': timestamp },
    body,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/** Waits until the worker has applied `count` posts in all. */
const applied = (count: number) => worker!.waitFor(() => worker!.events.filter((event) => event.event === 'feedback.applied').length >= count, 30_000);

async function openCampaign(documentId: string): Promise<void> {
  await page.goto(`${app.url}/admin/content-manager/collection-types/${CAMPAIGN_UID}/${documentId}`);
  await page.getByRole('button', { name: 'Save' }).waitFor();
  await page.getByTestId('desk-state').waitFor();
}

const waitForState = (expected: string, timeout = 90_000) => page.locator(`[data-testid="desk-state"][data-state="${expected}"]`).waitFor({ timeout });
const shown = (testId: string) => page.getByTestId(testId).textContent();

async function sendNow(readers: number): Promise<void> {
  await page.getByRole('button', { name: 'Send now' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect.poll(() => dialog.getByTestId('desk-audience').textContent(), { timeout: 15_000 }).toBe(`${readers} readers will get this mail.`);
  await dialog.getByRole('button', { name: 'Send now' }).click();
}

/** The list's cell under the column `header` in the row of `rowText`, found by the table's own headers. */
async function listCell(rowText: string, header: string): Promise<string> {
  const row = page.getByRole('row').filter({ hasText: rowText }).first();
  await row.waitFor();
  const headers = (await page.locator('table thead th').allTextContents()).map((text) => text.trim());
  const column = headers.indexOf(header);
  if (column < 0) throw new Error(`no column "${header}" in the list: ${JSON.stringify(headers)}`);
  return (await row.locator('td').nth(column).textContent())?.trim() ?? '';
}

describe.skipIf(!chromiumAvailable)("delivery statistics from SendGrid's events (real browser, worker, mail stand-in, signed webhook)", () => {
  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    sink = session.sink;
    ({ app, page } = session);
    db = app.strapi.db.connection as unknown as Knex;
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    const at = new Date().toISOString();
    for (const reader of EXTRA) {
      await app.strapi.documents(SUBSCRIBER_UID).create({
        data: {
          ...reader,
          themes: [],
          state: 'active',
          confirmedAt: at,
          consent: { givenAt: at, source: 'delivery statistics test', textVersion: 'test', ipHash: null },
        } as never,
      });
    }
    // Started after Strapi: it inherits the same environment, the webhook key included.
    worker = await startWorker();
  });

  afterAll(async () => {
    await worker?.kill();
  });

  it('sends the demo campaign, applies signed events, and shows delivered, deferred, bounced and spam reports in the panel', async () => {
    const campaign = (await app.strapi.documents(CAMPAIGN_UID).findFirst({ filters: { title: demo.title } } as never))!;
    await openCampaign(campaign.documentId);
    await sendNow(RECIPIENTS.length);
    await waitForState('sent');
    for (const address of RECIPIENTS) await waitForMail(sink, address);

    // Each mail names its delivery row (custom args), as SendGrid echoes them back in every event.
    const row = await db('campaigns').where({ document_id: campaign.documentId }).first('id');
    const deliveries: Array<{ id: number; email: string }> = await db(`${DELIVERIES} as d`)
      .join('subscribers as s', 's.id', 'd.subscriber_id')
      .where({ 'd.mailing_kind': 'campaign', 'd.mailing_id': row.id })
      .select('d.id', 's.email');
    expect(deliveries.map((delivery) => delivery.email).sort()).toEqual([...RECIPIENTS].sort());
    for (const { id, email } of deliveries)
      expect(readDeliveryArgs(mailsTo(sink, email)[0].customArgs)).toEqual({ mailing: { kind: 'campaign', id: row.id }, deliveryId: id });

    const delivered = RECIPIENTS.filter((address) => address !== BOUNCES).map((address) => eventFor(address, 'delivered', { response: '250 OK' }));
    const first = await postEvents([
      ...RECIPIENTS.map((address) => eventFor(address, 'processed')),
      eventFor(DEFERRED_FIRST, 'deferred', { response: '451 4.7.1 try again later', attempt: '1' }),
      ...delivered,
      eventFor(BOUNCES, 'bounce', {
        type: 'bounce',
        status: '5.1.1',
        bounce_classification: 'Invalid Address',
        reason: `550 5.1.1 <${BOUNCES}>: user unknown`,
      }),
    ]);
    expect(first).toMatchObject({ queued: 2 * RECIPIENTS.length + 1, unmatched: 0, malformed: 0 });
    // A spam report, an open of a mailing that does not track opens, and a delivered event posted again.
    await postEvents([eventFor(REPORTS_SPAM, 'spamreport'), eventFor('anna.jansen@example.org', 'open', { sg_machine_open: false }), delivered[0]]);
    await applied(2);

    const saved = await db('campaigns')
      .where({ id: row.id })
      .first(
        'delivered_count',
        'deferred_count',
        'bounced_count',
        'dropped_count',
        'spam_reports_count',
        'unsubscribes_count',
        'opens_count',
        'track_engagement',
      );
    expect(Object.fromEntries(Object.entries(saved).map(([column, value]) => [column, Number(value)]))).toEqual({
      delivered_count: 5,
      deferred_count: 1,
      bounced_count: 1,
      dropped_count: 0,
      spam_reports_count: 1,
      unsubscribes_count: 0,
      opens_count: 0,
      track_engagement: 0,
    });
    const readers = Object.fromEntries(
      (await db('subscribers').whereIn('email', [BOUNCES, REPORTS_SPAM]).select('email', 'state', 'suppression_reason')).map((reader) => [
        reader.email,
        reader,
      ]),
    );
    expect(readers[BOUNCES]).toMatchObject({ state: 'bounced', suppression_reason: 'Bounce 5.1.1 Invalid Address: 550 5.1.1 <address>: user unknown' });
    expect(readers[REPORTS_SPAM]).toMatchObject({ state: 'complained', suppression_reason: expect.stringMatching(/^Spam report/) });

    // Item counts: a reader follows an item link of the mail twice (counted per item and day, no person).
    const [itemLink] = [...(mailsTo(sink, 'anna.jansen@example.org')[0].html ?? '').matchAll(/href="([^"]*\/r\/[^"]+)"/g)].map((match) => match[1]);
    for (let click = 0; click < 2; click++) expect((await fetch(itemLink, { redirect: 'manual', headers: { 'user-agent': BROWSER } })).status).toBe(302);
    await until(
      'the clicks are counted',
      async () =>
        Number(
          (
            await db(ITEM_COUNTS_TABLE)
              .where({ mailing: `campaign:${row.id}` })
              .sum({ n: 'openings' })
              .first()
          )?.n ?? 0,
        ) === 2,
    );

    // Opened again (read when the panel opens): SendGrid's statistics beside the sending counts.
    await openCampaign(campaign.documentId);
    await page.getByTestId('desk-delivery').waitFor();
    await page.getByText('Delivery', { exact: true }).waitFor();
    const expected = { delivered: '5', deferred: '1', bounced: '1', dropped: '0', spamReports: '1', unsubscribes: '0' };
    for (const [statistic, value] of Object.entries(expected)) expect(await shown(`desk-delivery-${statistic}`), statistic).toBe(value);
    expect(await shown('desk-count-submitted')).toBe(String(RECIPIENTS.length));
    expect(await shown('desk-engagement-untracked')).toBe('Opens and clicks are not tracked for this mailing.');
    expect(await page.getByTestId('desk-engagement').count()).toBe(0);
    expect(await page.getByTestId('desk-awaiting').count()).toBe(0);
    // The items opened from this mail, most opened first: the one clicked twice.
    await page.getByTestId('desk-item-clicks').first().waitFor();
    expect(await shown('desk-item-clicks')).toBe('2');
    await page.getByTestId('desk-delivery').screenshot({ path: path.join(ARTIFACTS, 'delivery-statistics-panel.png') });

    // Events keep coming after the send: the open panel reads them again on its own (every 30 s), no reload.
    await postEvents([eventFor(UNSUBSCRIBES, 'unsubscribe')]);
    await applied(3);
    await page.locator('[data-testid="desk-delivery-unsubscribes"]', { hasText: /^1$/ }).waitFor({ timeout: 45_000 });
    expect(await db('subscribers').where({ email: UNSUBSCRIBES }).first('state')).toEqual({ state: 'unsubscribed' });
  }, 240_000);

  it('shows the statistics in the campaigns list and the bounced reader as Bounced, with the reason', async () => {
    await page.goto(`${app.url}/admin/content-manager/collection-types/${CAMPAIGN_UID}`);
    expect(await listCell(demo.title, 'Delivered')).toBe('5');
    expect(await listCell(demo.title, 'Bounced')).toBe('1');

    const bounced = await db('subscribers').where({ email: BOUNCES }).first('document_id');
    await page.goto(`${app.url}/admin/content-manager/collection-types/${SUBSCRIBER_UID}/${bounced.document_id}`);
    await page.getByRole('button', { name: 'Save' }).waitFor();
    expect(await page.getByRole('combobox', { name: /^Subscription state/ }).textContent()).toContain('Bounced');
    // The reason in the admin's language, SendGrid's own text in full under it (read-only).
    await page.getByText('The address does not exist (any more) or refuses mail for good (hard bounce).').waitFor();
    await page.getByText('Bounce 5.1.1 Invalid Address: 550 5.1.1 <address>: user unknown', { exact: true }).waitFor();
    await page.getByText('Suppressed at', { exact: true }).waitFor();
  });

  it('lists a batch whose answer was lost as awaiting SendGrid until its events arrive; with tracking on, opens and clicks as estimates', async () => {
    // Dutch readers still active: Anna and Ilse, one batch.
    const second = await createCampaign(app.strapi, { title: 'Handboek Actieleren', features: ['handboek-actieleren'], themes: [], locale: 'nl' });
    sink.reset();
    await openCampaign(second.documentId);
    // The editor switches tracking on for this campaign (it is off by default).
    await page.getByRole('checkbox', { name: /^Track opens and clicks/ }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByText(/^Saved/)
      .first()
      .waitFor({ timeout: 15_000 });
    expect(Boolean(Number((await db('campaigns').where({ id: second.id }).first('track_engagement')).track_engagement))).toBe(true);
    sink.setFaults({ delayMs: LOST_ANSWER_MS });
    await sendNow(2);
    const notice = page.getByTestId('desk-awaiting');
    await notice.waitFor({ timeout: LOST_ANSWER_MS + 30_000 });
    sink.clearFaults();
    expect(await notice.textContent()).toMatch(
      /^Waiting for SendGrid's events.*Batch 1: 2 recipients, unknown fate since .+if none arrives within the quiet period, the batch is sent again\.$/,
    );
    expect(await page.getByTestId('desk-state').getAttribute('data-state')).toBe('sending');
    expect(await shown('desk-count-unknown')).toBe('2');
    expect(await db(BATCHES).where({ mailing_kind: 'campaign', mailing_id: second.id }).first('state')).toEqual({ state: 'unknown' });
    await page.getByTestId('desk-delivery').screenshot({ path: path.join(ARTIFACTS, 'delivery-statistics-awaiting.png') });

    // The stand-in kept the mail (SendGrid had it; only the answer was lost): its events settle the batch.
    const [mail] = await waitForMail(sink, 'ilse.smit@example.org', 1, LOST_ANSWER_MS);
    expect(mail.trackingSettings).toMatchObject({ open_tracking: { enable: true }, click_tracking: { enable: true } });
    await postEvents([
      ...['anna.jansen@example.org', 'ilse.smit@example.org'].map((address) => eventFor(address, 'delivered')),
      eventFor('anna.jansen@example.org', 'open', { sg_machine_open: false }),
      eventFor('anna.jansen@example.org', 'click', { url: `${app.url}/newsletter` }),
      eventFor('ilse.smit@example.org', 'open', { sg_machine_open: true }),
    ]);
    await waitForState('sent', 30_000);
    expect(await page.getByTestId('desk-awaiting').count()).toBe(0);
    expect(await shown('desk-count-submitted')).toBe('2');
    expect(await shown('desk-count-unknown')).toBe('0');
    expect(await shown('desk-delivery-delivered')).toBe('2');
    expect(await page.getByTestId('desk-engagement').textContent()).toBe('Opens (estimate)1Clicks (estimate)1');
    expect(await shown('desk-engagement-machineOpens')).toBe('1');
    await page.getByText('Opens by mail software, not a reader', { exact: true }).waitFor();
    expect(await page.getByTestId('desk-engagement-untracked').count()).toBe(0);
    await page.getByTestId('desk-delivery').screenshot({ path: path.join(ARTIFACTS, 'delivery-statistics-tracked.png') });
    const saved = await db('campaigns')
      .where({ id: second.id })
      .first('state', 'submitted_count', 'unknown_count', 'delivered_count', 'opens_count', 'machine_opens_count', 'clicks_count');
    expect({
      ...saved,
      ...Object.fromEntries(
        Object.entries(saved)
          .filter(([column]) => column !== 'state')
          .map(([column, value]) => [column, Number(value)]),
      ),
    }).toEqual({
      state: 'sent',
      submitted_count: 2,
      unknown_count: 0,
      delivered_count: 2,
      opens_count: 1,
      machine_opens_count: 1,
      clicks_count: 1,
    });
  }, 180_000);

  it('speaks Dutch in the delivery section, and our plugin logged no console errors', async () => {
    await page.evaluate("localStorage.setItem('strapi-admin-language', 'nl')");
    const campaign = (await app.strapi.documents(CAMPAIGN_UID).findFirst({ filters: { title: demo.title } } as never))!;
    await page.goto(`${app.url}/admin/content-manager/collection-types/${CAMPAIGN_UID}/${campaign.documentId}`);
    await page.getByTestId('desk-delivery').waitFor();
    await page.getByText('Bezorging', { exact: true }).waitFor();
    for (const label of ['Bezorgd', 'Onbestelbaar', 'Spammeldingen']) await page.getByTestId('desk-delivery').getByText(label, { exact: true }).waitFor();
    expect(await shown('desk-engagement-untracked')).toBe('Openingen en kliks worden voor deze mailing niet gemeten.');
    await page.getByText('Openingen en kliks meten', { exact: true }).first().waitFor();
    await page.getByText('Geopende items', { exact: true }).waitFor();
    await page.evaluate("localStorage.setItem('strapi-admin-language', 'en')");
    expect(consoleErrors.filter((text) => /Missing message: "desk\.|\/desk\//.test(text))).toEqual([]);
  });
});
