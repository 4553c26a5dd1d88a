import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaigns as demoCampaigns } from '../../database/seed/demo-content';
import type { MailSink } from '../../scripts/mail-sink/server';
import { CAMPAIGN_UID } from '../../src/mailings/campaign/content';
import { createCampaign } from '../../src/mailings/campaign/create';
import { chromiumAvailable, logIn } from '../support/browser';
import { DEMO_EDITOR, useCms } from '../support/harness';
import { mailsTo, waitForMail } from '../support/mail';
import type { TestApp } from '../support/strapi';
import { startWorker, type WorkerProcess } from '../support/worker';

/**
 * The editors' desk as the demo editor uses it, in a real browser with a real worker and the mail
 * stand-in: the seeded bundle campaign is previewed in both languages, test-sent, scheduled, sent
 * now and watched until sent, and only its audience received it; a second campaign is scheduled
 * and cancelled. Screenshots of the preview and the progress go to tests/artifacts/ (git-ignored).
 */
const ARTIFACTS = path.join(__dirname, '..', 'artifacts');
const [demo] = demoCampaigns;
const AUDIENCE = ['anna.jansen@example.org', 'pieter.devries@example.org', 'grace.okafor@example.org'];
const OUTSIDE = ['tom.baker@example.org', 'sanne.bakker@example.org'];

let sink: MailSink;
const session = useCms({
  name: 'desk-browser',
  listen: true,
  editor: true,
  env: { NEWSLETTER_TICK_MS: '500', NEWSLETTER_REVIEW_HOURS: '0', NEWSLETTER_CRON: '0 9 * * 2#1' },
});
let worker: WorkerProcess | undefined;
let app: TestApp;
let page: Page;
let db: Knex;
const consoleErrors: string[] = [];

async function openCampaign(documentId: string): Promise<void> {
  await page.goto(`${app.url}/admin/content-manager/collection-types/${CAMPAIGN_UID}/${documentId}`);
  await page.getByRole('button', { name: 'Save' }).waitFor();
  await page.getByTestId('desk-state').waitFor();
}

const state = () => page.getByTestId('desk-state').getAttribute('data-state');
const waitForState = (expected: string, timeout = 60_000) => page.locator(`[data-testid="desk-state"][data-state="${expected}"]`).waitFor({ timeout });

/** A send time the datetime-local field takes: `days` from now, in the browser's own time zone. */
async function localTime(days: number): Promise<string> {
  return page.evaluate((offset) => {
    const at = new Date(Date.now() + offset * 86_400_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
  }, days);
}

describe.skipIf(!chromiumAvailable)("the editors' desk (real browser, worker, mail stand-in)", () => {
  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    sink = session.sink;
    ({ app, page } = session);
    db = app.strapi.db.connection as unknown as Knex;
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    worker = await startWorker();
  });

  afterAll(async () => {
    await worker?.kill();
  });

  it('previews the bundle campaign in Dutch and English: subject, preheader, greeting, desktop and phone, plain text', async () => {
    const campaign = (await app.strapi.documents(CAMPAIGN_UID).findFirst({ filters: { title: demo.title } } as never))!;
    await openCampaign(campaign.documentId);
    await page.getByRole('button', { name: 'Preview' }).first().click();
    const modal = page.getByRole('dialog');
    await expect.poll(() => modal.getByTestId('desk-preview-subject').textContent(), { timeout: 20_000 }).toBe(demo.subject.nl);
    expect(await modal.getByTestId('desk-preview-preheader').textContent()).toBe(demo.preheader.nl);
    expect(await modal.getByTestId('desk-preview-greeting').textContent()).toBe('Hallo Sanne,');
    const mail = page.frameLocator('iframe[title^="The mail"]');
    await mail.getByText('Hallo Sanne,').first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'desk-preview-desktop-nl.png'), fullPage: true });

    await modal.getByRole('tab', { name: 'English' }).click();
    await expect.poll(() => modal.getByTestId('desk-preview-subject').textContent()).toBe(demo.subject.en);
    await modal.getByRole('tab', { name: 'Phone' }).click();
    expect(await page.locator('iframe[title^="The mail"]').evaluate((frame) => frame.getBoundingClientRect().width)).toBe(375);
    await mail.getByText('Hi Sam,').first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'desk-preview-phone-en.png'), fullPage: true });
    await modal.getByRole('tab', { name: 'Plain text' }).click();
    expect(await modal.getByTestId('desk-preview-text').textContent()).toContain('Hi Sam,');
    await modal.getByRole('button', { name: 'Close' }).first().click();
    expect(sink.messages()).toHaveLength(0);
  });

  it('refuses an invalid test address with a message, then sends a test that arrives at the stand-in', async () => {
    await page.getByRole('button', { name: 'Send test' }).click();
    const dialog = page.getByRole('dialog');
    const addresses = dialog.getByLabel(/Email addresses/);
    await addresses.fill('proef@example.org, geen-adres');
    await dialog.getByRole('button', { name: 'Send test' }).click();
    await dialog.getByText('Not a valid email address: geen-adres').waitFor();
    await addresses.fill('proef@example.org, tweede.proef@example.org');
    await dialog.getByRole('button', { name: 'Send test' }).click();
    await page.getByText('Test mail sent to 2 addresses').waitFor();
    const [mail] = await waitForMail(sink, 'proef@example.org');
    expect(mail.subject).toBe(`[TEST] ${demo.subject.nl}`);
    expect(mailsTo(sink, 'tweede.proef@example.org')).toHaveLength(1);
    expect(Number((await db('newsletter_deliveries').count({ n: '*' }))[0].n)).toBe(0);
  });

  it('schedules it (a past time refused), sends it now after a dialog with the audience count, and watches it reach sent', async () => {
    sink.reset();
    await page.getByRole('button', { name: 'Schedule' }).click();
    let dialog = page.getByRole('alertdialog');
    await expect.poll(() => dialog.getByTestId('desk-audience').textContent(), { timeout: 15_000 }).toBe('3 readers will get this mail.');
    await dialog.getByLabel('Send time').fill(await localTime(-1));
    await dialog.getByRole('button', { name: 'Schedule' }).click();
    await dialog.getByText(/is in the past; choose a time from now on/).waitFor();
    await dialog.getByLabel('Send time').fill(await localTime(7));
    await dialog.getByRole('button', { name: 'Schedule' }).click();
    await waitForState('scheduled');
    expect(await page.getByTestId('desk-progress').textContent()).toContain('Send time:');

    await page.getByRole('button', { name: 'Send now' }).click();
    dialog = page.getByRole('alertdialog');
    await expect.poll(() => dialog.getByTestId('desk-audience').textContent(), { timeout: 15_000 }).toBe('3 readers will get this mail.');
    await dialog.getByRole('button', { name: 'Send now' }).click();
    await waitForState('sent', 90_000);
    expect(await page.getByTestId('desk-count-recipients').textContent()).toBe('3');
    expect(await page.getByTestId('desk-count-submitted').textContent()).toBe('3');
    expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(await page.getByTestId('desk-progress').textContent()).toContain('3 of 3 recipients settled');
    await page.screenshot({ path: path.join(ARTIFACTS, 'desk-progress-sent.png'), fullPage: true });
    // Sent: nothing left to schedule, send or cancel.
    for (const label of ['Schedule', 'Send now', 'Cancel sending']) expect(await page.getByRole('button', { name: label, exact: true }).count(), label).toBe(0);

    for (const address of AUDIENCE) await waitForMail(sink, address);
    expect(mailsTo(sink, 'grace.okafor@example.org')[0].subject).toBe(demo.subject.en);
    expect(mailsTo(sink, 'anna.jansen@example.org')[0].subject).toBe(demo.subject.nl);
    for (const address of OUTSIDE) expect(mailsTo(sink, address), address).toHaveLength(0);
    expect(
      sink
        .recipients()
        .map((mail) => mail.email)
        .sort(),
    ).toEqual([...AUDIENCE].sort());
  });

  it('schedules a second campaign and cancels it; nothing is sent', async () => {
    sink.reset();
    const second = await createCampaign(app.strapi, { title: 'Handboek Actieleren', features: ['handboek-actieleren'], themes: [], locale: null });
    await openCampaign(second.documentId);
    expect(await state()).toBe('draft');
    await page.getByRole('button', { name: 'Schedule' }).click();
    const scheduleDialog = page.getByRole('alertdialog');
    await expect.poll(() => scheduleDialog.getByTestId('desk-audience').textContent(), { timeout: 15_000 }).toBe('3 readers will get this mail.');
    await scheduleDialog.getByLabel('Send time').fill(await localTime(3));
    await scheduleDialog.getByRole('button', { name: 'Schedule' }).click();
    await waitForState('scheduled');
    await page.getByRole('button', { name: 'Cancel sending' }).click();
    const cancelDialog = page.getByRole('alertdialog');
    await cancelDialog.getByText('The scheduled send is cancelled; nothing is sent.').waitFor();
    await cancelDialog.getByRole('button', { name: 'Cancel sending' }).click();
    await waitForState('cancelled');
    expect(await db('campaigns').where({ id: second.id }).first('state')).toEqual({ state: 'cancelled' });
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a worker tick or two
    expect(sink.messages()).toHaveLength(0);
  });

  it('unschedules a scheduled campaign ("Planning intrekken"): read-only before, a draft to edit after; a passed time is refused with "Send now", which sends it', async () => {
    sink.reset();
    const third = await createCampaign(app.strapi, { title: 'Planning intrekken proef', features: ['handboek-actieleren'], themes: [], locale: null });
    await openCampaign(third.documentId);
    await page.getByRole('button', { name: 'Schedule' }).click();
    let dialog = page.getByRole('alertdialog');
    await expect.poll(() => dialog.getByTestId('desk-audience').textContent(), { timeout: 15_000 }).toBe('3 readers will get this mail.');
    await dialog.getByLabel('Send time').fill(await localTime(3));
    await dialog.getByRole('button', { name: 'Schedule' }).click();
    await waitForState('scheduled');

    // Scheduled: a save of the form is refused with the rule's message, and nothing changes.
    const title = page.locator('input[name="title"]');
    await title.fill('Stiekem anders');
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByText(/is scheduled and cannot be changed/)
      .first()
      .waitFor();
    expect(await db('campaigns').where({ id: third.id }).first('title', 'state')).toEqual({ title: 'Planning intrekken proef', state: 'scheduled' });
    await title.fill('Planning intrekken proef');

    await page.getByRole('button', { name: 'Unschedule', exact: true }).click();
    dialog = page.getByRole('alertdialog');
    await dialog.getByText(/becomes a draft again/).waitFor();
    await dialog.getByRole('button', { name: 'Unschedule' }).click();
    await waitForState('draft');
    expect(await db('campaigns').where({ id: third.id }).first('state', 'send_at')).toEqual({ state: 'draft', send_at: null });
    expect(await page.getByRole('button', { name: 'Unschedule', exact: true }).count()).toBe(0);
    // A draft again: the edit form saves.
    await title.fill('Planning ingetrokken en bewerkt');
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByText(/^Saved/)
      .first()
      .waitFor({ timeout: 15_000 });
    expect((await db('campaigns').where({ id: third.id }).first('title')).title).toBe('Planning ingetrokken en bewerkt');

    // A time that has passed: refused, and "Send now" offered in the same dialog.
    await page.getByRole('button', { name: 'Schedule' }).click();
    dialog = page.getByRole('alertdialog');
    await expect.poll(() => dialog.getByTestId('desk-audience').textContent(), { timeout: 15_000 }).toBe('3 readers will get this mail.');
    await dialog.getByLabel('Send time').fill(await localTime(-1 / 24));
    await dialog.getByRole('button', { name: 'Schedule' }).click();
    await dialog.getByText(/is in the past; choose a time from now on, or send it now/).waitFor();
    expect((await db('campaigns').where({ id: third.id }).first('state')).state).toBe('draft');
    await dialog.getByTestId('desk-past-offer').getByRole('button', { name: 'Send now' }).click();
    await waitForState('sent', 90_000);
    for (const address of AUDIENCE) await waitForMail(sink, address);
  });

  it('a campaign scheduled 20 s ahead through the desk route goes out after its time, never before', async () => {
    sink.reset();
    const login = await fetch(`${app.url}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO_EDITOR) });
    const { token } = ((await login.json()) as { data: { token: string } }).data;
    const soon = await createCampaign(app.strapi, { title: 'Over twintig seconden', features: ['handboek-actieleren'], themes: [], locale: null });
    const sendAt = new Date(Date.now() + 20_000);
    const response = await fetch(`${app.url}/desk/mailings/campaign/${soon.documentId}/schedule`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sendAt: sendAt.toISOString() }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { state: 'scheduled', sendAt: sendAt.toISOString() } });
    for (const address of AUDIENCE) await waitForMail(sink, address, 1, 60_000);
    const received = sink.messages().map((message) => Date.parse(message.receivedAt));
    expect(received.length).toBeGreaterThan(0);
    // Every request that reached the stand-in (accepted or not) came at or after the send time.
    expect(sink.counts().requests).toBe(received.length);
    for (const at of received) expect(at).toBeGreaterThanOrEqual(sendAt.getTime());
    // The worker marks it sent once its batches have settled (just after the requests).
    await expect.poll(async () => (await db('campaigns').where({ id: soon.id }).first('state')).state, { timeout: 30_000 }).toBe('sent');
    const row = await db('campaigns').where({ id: soon.id }).first('planned_at');
    expect(new Date(row.planned_at).getTime()).toBeGreaterThanOrEqual(sendAt.getTime());
  });

  it("exports and erases a subscriber from the desk's privacy panel", async () => {
    const tom = await db('subscribers').where({ email: 'tom.baker@example.org' }).first('document_id');
    await page.goto(`${app.url}/admin/content-manager/collection-types/api::subscriber.subscriber/${tom.document_id}`);
    await page.getByText('Privacy (GDPR)', { exact: true }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export data' }).click()]);
    expect(download.suggestedFilename()).toBe(`subscriber-${tom.document_id}.json`);
    await page.getByRole('button', { name: 'Erase subscriber' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Erase permanently' }).click();
    await page.getByText('Subscriber erased').first().waitFor();
    expect(await db('subscribers').where({ email: 'tom.baker@example.org' }).first()).toBeUndefined();
  });

  it('hides what a role lacks: preview and test send only (to allowed addresses), no schedule, send now, cancel or GDPR', async () => {
    // The built-in Author holds exactly preview and test send (src/boot/admin-roles.ts), and no subscribers.
    const authorRole = await app.strapi.service('admin::role').findOne({ code: 'strapi-author' });
    const login = { email: 'desk.preparer@example.org', password: 'Desk-Preparer-2026!' };
    await app.strapi.service('admin::user').create({ ...login, firstname: 'Desk', lastname: 'Preparer', isActive: true, roles: [authorRole.id] });
    const context = await page.context().browser()!.newContext({ locale: 'en-GB' });
    try {
      const other = await context.newPage();
      await logIn(other, app.url, login);
      // The sent demo campaign, put back to a draft: where schedule and send now would show.
      const campaign = (await app.strapi.documents(CAMPAIGN_UID).findFirst({ filters: { title: demo.title } } as never))!;
      await db('campaigns').where({ document_id: campaign.documentId }).update({ state: 'draft' });
      await other.goto(`${app.url}/admin/content-manager/collection-types/${CAMPAIGN_UID}/${campaign.documentId}`);
      await other.getByTestId('desk-state').waitFor();
      await other.getByRole('button', { name: 'Send test' }).waitFor();
      expect(await other.getByRole('button', { name: 'Preview' }).count()).toBeGreaterThan(0);
      await other.locator('[data-testid="desk-state"][data-state="draft"]').waitFor();
      for (const label of ['Schedule', 'Send now', 'Cancel sending'])
        expect(await other.getByRole('button', { name: label, exact: true }).count(), label).toBe(0);
      // An Author's test goes only to admin users and the sender's domain: an outside address is refused, named in the dialog.
      sink.reset();
      await other.getByRole('button', { name: 'Send test' }).click();
      const dialog = other.getByRole('dialog');
      const addresses = dialog.getByLabel(/Email addresses/);
      await addresses.fill('iemand@elders.test');
      await dialog.getByRole('button', { name: 'Send test' }).click();
      await dialog
        .getByText("You may only send test mails to admin users' addresses or addresses ending in @example.org. Not allowed: iemand@elders.test.")
        .waitFor();
      expect(sink.messages()).toHaveLength(0);
      await addresses.fill(login.email);
      await dialog.getByRole('button', { name: 'Send test' }).click();
      await other.getByText('Test mail sent to 1 address').waitFor();
      const [test] = await waitForMail(sink, login.email);
      expect(test.subject).toBe(`[TEST] ${demo.subject.nl}`);
      expect(mailsTo(sink, 'iemand@elders.test')).toHaveLength(0);
      const anna = await db('subscribers').where({ email: 'anna.jansen@example.org' }).first('document_id');
      await other.goto(`${app.url}/admin/content-manager/collection-types/api::subscriber.subscriber/${anna.document_id}`);
      await other
        .getByText(/don't have the permissions|no permissions/i)
        .first()
        .waitFor();
      expect(await other.getByText('Privacy (GDPR)', { exact: true }).count()).toBe(0);
      // The demo editor (all actions) sees them on the same draft.
      await openCampaign(campaign.documentId);
      await page.getByRole('button', { name: 'Send now' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('speaks Dutch with the issue labels, and our plugin logged no console errors', async () => {
    await page.evaluate("localStorage.setItem('strapi-admin-language', 'nl')");
    const campaign = (await app.strapi.documents(CAMPAIGN_UID).findFirst({ filters: { title: 'Handboek Actieleren' } } as never))!;
    await page.goto(`${app.url}/admin/content-manager/collection-types/${CAMPAIGN_UID}/${campaign.documentId}`);
    await page.getByTestId('desk-state').waitFor();
    await page.getByText('Verzending', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Voorbeeld' }).count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Testmail versturen' }).count()).toBe(1);
    expect(await page.getByTestId('desk-state').textContent()).toBe('Geannuleerd');
    // A cancelled mailing is not tested any more; the refusal is shown in the panel's language.
    await page.getByRole('button', { name: 'Testmail versturen' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/E-mailadressen/).fill('proef@example.org');
    await dialog.getByRole('button', { name: 'Testmail versturen' }).click();
    await dialog.getByText('Deze mailing is geannuleerd; dupliceer hem eerst om hem opnieuw te testen.', { exact: true }).waitFor();
    await dialog.getByRole('button', { name: 'Terug' }).click();
    // Only the plugin's own: content-type labels and enum values are translated elsewhere (src/admin/app.tsx).
    const ours = consoleErrors.filter((text) => /Missing message: "desk\.|\/desk\//.test(text));
    expect(ours).toEqual([]);
  });
});
