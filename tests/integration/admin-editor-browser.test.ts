import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../src/core/infra/log';
import { assembleEdition } from '../../src/mailings/edition/assemble';
import { readEditionItems } from '../../src/mailings/edition/edition-items';
import { createMailingDeps } from '../../src/app/mailing-deps';
import { chromiumAvailable } from '../support/browser';
import { useCms } from '../support/harness';
import { themes as demoThemes } from '../../database/seed/demo-content';
import type { TestApp } from '../support/strapi';

/**
 * What an editor does in the admin panel, clicked in a real browser, checked in the database:
 * the tests that database-level tests could not replace (the admin could not save a status).
 */
const SUBSCRIBER = 'api::subscriber.subscriber';
const EDITION = 'api::edition.edition';

const session = useCms({ name: 'admin-browser', listen: true, editor: true });
let app: TestApp;
let page: Page;
let db: Knex;

async function openEditView(uid: string, documentId: string): Promise<void> {
  await page.goto(`${app.url}/admin/content-manager/collection-types/${uid}/${documentId}`);
  await page.getByRole('button', { name: 'Save' }).waitFor();
}

/** Picks an option of an enumeration field, as an editor does: open the list, click the value. */
async function choose(label: string, value: string): Promise<void> {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: value, exact: true }).click();
}

async function save(): Promise<void> {
  await page.getByRole('button', { name: 'Save' }).click();
  await page
    .getByText(/^Saved/)
    .first()
    .waitFor({ timeout: 15_000 });
}

async function listRow(uid: string, text: string) {
  await page.goto(`${app.url}/admin/content-manager/collection-types/${uid}`);
  const row = page.getByRole('row').filter({ hasText: text });
  await row.first().waitFor();
  return row.first();
}

describe.skipIf(!chromiumAvailable)('the admin panel, as an editor uses it (real browser)', () => {
  beforeAll(async () => {
    ({ app, page } = session);
    db = app.strapi.db.connection as unknown as Knex;
  });

  it("changes a subscriber's state and saves it; the list shows the new state", async () => {
    const anna = await db('subscribers').where({ email: 'anna.jansen@example.org' }).first('document_id', 'state');
    expect(anna.state).toBe('active');
    // Lists and the edit view show the state in the admin's language, not the stored value.
    expect(await (await listRow(SUBSCRIBER, 'anna.jansen@example.org')).textContent()).toContain('Active');

    await openEditView(SUBSCRIBER, anna.document_id);
    // The record is titled by its address (a reader without a name is not "Untitled").
    await page.getByRole('heading', { name: 'anna.jansen@example.org', level: 1 }).waitFor();
    await choose('Subscription state', 'Unsubscribed');
    await save();

    expect((await db('subscribers').where({ email: 'anna.jansen@example.org' }).first('state')).state).toBe('unsubscribed');
    expect(await (await listRow(SUBSCRIBER, 'anna.jansen@example.org')).textContent()).toContain('Unsubscribed');
  });

  it("shows a subscriber's themes as a checkbox per theme name; ticking and unticking saves the themes' slugs", async () => {
    const pieter = await db('subscribers').where({ email: 'pieter.devries@example.org' }).first('document_id');
    const theme = demoThemes.find((candidate) => candidate.slug === 'verandermanagement')!;
    await openEditView(SUBSCRIBER, pieter.document_id);
    const themes = page.getByRole('group', { name: 'Themes' });
    await themes.getByRole('checkbox').first().waitFor();
    // Every theme by its name, none ticked (Pieter follows everything); no JSON, no slugs.
    expect(await themes.getByRole('checkbox').count()).toBe(demoThemes.length);
    expect(await themes.getByRole('checkbox', { checked: true }).count()).toBe(0);
    await themes.getByRole('checkbox', { name: theme.name.en }).click();
    await save();
    expect(JSON.parse(String((await db('subscribers').where({ email: 'pieter.devries@example.org' }).first('themes')).themes))).toEqual([theme.slug]);

    await openEditView(SUBSCRIBER, pieter.document_id);
    await page.getByRole('group', { name: 'Themes' }).getByRole('checkbox', { name: theme.name.en, checked: true }).click();
    await save();
    expect((await db('subscribers').where({ email: 'pieter.devries@example.org' }).first('themes')).themes).toBeNull();
  });

  it("says in the admin's language why a reader gets no more mail, with SendGrid's text in full and read-only", async () => {
    const sendgrid =
      "Bounce 5.1.1 Invalid Address: 550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. Learn more at https://support.google.com/mail/?p=NoSuchUser";
    await db('subscribers').where({ email: 'sanne.bakker@example.org' }).update({ state: 'bounced', suppression_reason: sendgrid, suppressed_at: new Date() });
    const sanne = await db('subscribers').where({ email: 'sanne.bakker@example.org' }).first('document_id');
    await openEditView(SUBSCRIBER, sanne.document_id);
    await page.getByText('The address does not exist (any more) or refuses mail for good (hard bounce).').waitFor();
    await page.getByText(sendgrid).waitFor();
    // Evidence, not an input: nothing to type into.
    expect(await page.getByRole('textbox', { name: 'Suppression reason' }).count()).toBe(0);
  });

  it("cancels a scheduled edition with the Sending panel's button (the state is no field of the form); the list shows it cancelled", async () => {
    const assembled = await assembleEdition(
      createMailingDeps(
        app.strapi,
        createJsonLogger('test', () => undefined),
      ),
      { now: new Date(), periodKey: `browser:${Date.now()}` },
    );
    expect(assembled.state).toBe('scheduled');

    await openEditView(EDITION, assembled.documentId);
    expect(await page.getByRole('combobox', { name: 'Sending state' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Cancel sending' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel sending' }).click();
    await page.locator('[data-testid="desk-state"][data-state="cancelled"]').waitFor();

    expect((await db('editions').where({ id: assembled.editionId }).first('state')).state).toBe('cancelled');
    expect(await (await listRow(EDITION, 'Cancelled')).textContent()).toContain('Cancelled');
  });

  it("unschedules an edition with the Sending panel, then reorders its items with the picker's arrow buttons (a keyboard's way) and saves; the order is kept", async () => {
    // The cancelled edition did not move the window: its items go into this one.
    const assembled = await assembleEdition(
      createMailingDeps(
        app.strapi,
        createJsonLogger('test', () => undefined),
      ),
      { now: new Date(), periodKey: `browser:items:${Date.now()}` },
    );
    expect(assembled.state).toBe('scheduled');
    const list = await readEditionItems(app.strapi, assembled.editionId);
    expect(list.length).toBeGreaterThan(1);

    // A scheduled edition is read-only (src/mailings/engine/mailing-rules.ts): back to draft first, alone in its save.
    await openEditView(EDITION, assembled.documentId);
    await page.getByRole('button', { name: 'Unschedule' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Unschedule' }).click();
    await page.locator('[data-testid="desk-state"][data-state="draft"]').waitFor();
    expect(await db('editions').where({ id: assembled.editionId }).first('state', 'scheduled_at')).toEqual({ state: 'draft', scheduled_at: null });
    await openEditView(EDITION, assembled.documentId);
    await page.getByText('Items (order = order in the mail)').first().waitFor();
    // The item picker's "Down" button of the first row, pressed with the keyboard (what a mouse drag does, without the mouse).
    const rows = page.locator('li[data-item-row]');
    await expect.poll(() => rows.count()).toBe(list.length);
    await expect.poll(() => rows.first().innerText()).toMatch(/\n(News|Resource|Bundle)\n/i);
    const firstTitle = (await rows.first().innerText()).split('\n')[0];
    await page.getByRole('button', { name: `Down: ${firstTitle}` }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await rows.nth(1).innerText()).split('\n')[0]).toBe(firstTitle);
    await save();

    const expected = [list[1], list[0], ...list.slice(2)].map((item) => item.documentId);
    expect((await readEditionItems(app.strapi, assembled.editionId)).map((item) => item.documentId)).toEqual(expected);
    expect((await db('editions').where({ id: assembled.editionId }).first('state')).state).toBe('draft');
  });

  it('imports a Mailchimp export on its page: checked first (columns, counts, refused rows), a column pointed out, then imported as counted', async () => {
    // "Taalvoorkeur" is no header the import knows: the editor says it holds the language.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'np-import-page-')), 'mailchimp-leden.csv');
    fs.writeFileSync(
      file,
      [
        'Email Address,First Name,Last Name,OPTIN_TIME,CONFIRM_TIME,Taalvoorkeur',
        'import.een@example.org,Een,Lezer,2024-03-01 10:00:00,2024-03-01 10:05:00,en',
        'import.twee@example.org,Twee,Lezer,,,nl',
        'pieter.devries@example.org,Pieter,de Vries,2024-03-01 10:00:00,,nl',
        // Unsubscribed by the first test of this file: an import never subscribes her again.
        'anna.jansen@example.org,Anna,Jansen,2024-03-01 10:00:00,2024-03-01 10:05:00,nl',
        'geen-adres,Fout,,,,nl',
      ].join('\n'),
    );
    await page.goto(`${app.url}/admin/content-manager/collection-types/${SUBSCRIBER}`);
    await page.getByRole('button', { name: 'Import or export' }).click();
    await page.getByRole('heading', { name: 'Import and export subscribers' }).waitFor();
    await page.locator('input[type="file"]').setInputFiles(file);
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByTestId('desk-import-recognised').waitFor();
    expect(await page.getByTestId('desk-import-recognised').textContent()).toContain('Read as a Mailchimp export');
    const count = async (key: string) => Number(await page.getByTestId(`desk-import-${key}`).textContent());
    expect(await count('rows')).toBe(5);
    expect(await count('new')).toBe(2);
    expect(await count('active')).toBe(1);
    expect(await count('pending')).toBe(1);
    expect(await count('known')).toBe(1);
    expect(await count('suppressed')).toBe(1);
    expect(await count('invalid')).toBe(1);
    await page.getByText('geen-adres', { exact: true }).waitFor();
    expect(await db('subscribers').where({ email: 'import.een@example.org' }).first()).toBeUndefined();

    // The refused rows as a file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the refused rows (CSV)' }).click()]);
    expect(fs.readFileSync(await download.path(), 'utf8')).toMatch(
      /^row,email,reason\n5,anna.jansen@example.org,suppressed: already in the list as unsubscribed/,
    );

    await page.getByRole('combobox', { name: 'Language', exact: true }).click();
    await page.getByRole('option', { name: 'Taalvoorkeur', exact: true }).click();
    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByRole('button', { name: 'Import 2 readers' }).click();
    await page.getByTestId('desk-import-done').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('desk-import-done').textContent()).toContain('Imported: 2 new readers, 1 confirmation mail sent.');
    const een = await app.strapi.db.query(SUBSCRIBER).findOne({ where: { email: 'import.een@example.org' }, populate: ['consent'] });
    expect(een).toMatchObject({ state: 'active', preferredLocale: 'en', name: 'Een Lezer' });
    expect(een.consent.source).toContain('mailchimp-leden.csv');
    expect(await db('subscribers').where({ email: 'import.twee@example.org' }).first('state')).toEqual({ state: 'pending' });
    expect(await db('subscribers').where({ email: 'anna.jansen@example.org' }).first('state')).toEqual({ state: 'unsubscribed' });
  });

  it('exports the active Dutch readers as a CSV file from the same page, and the export is logged', async () => {
    await page.goto(`${app.url}/admin/plugins/desk/subscribers`);
    await choose('Subscription state', 'Active');
    await choose("Reader's language", 'Dutch');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export (CSV)' }).click()]);
    const lines = fs
      .readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    const emails = lines.slice(1).map((line) => line.split(',')[0]);
    expect(emails).toContain('pieter.devries@example.org');
    expect(emails).not.toContain('anna.jansen@example.org'); // unsubscribed
    expect(emails).not.toContain('grace.okafor@example.org'); // English
    expect(emails).not.toContain('import.twee@example.org');
    const log = await db('subscriber_export_log').orderBy('id', 'desc').first();
    expect(JSON.parse(log.filter)).toEqual({ state: 'active', locale: 'nl' });
    // The page lists it, newest first: when, by whom (the editor's name), which filter, how many rows.
    const exportLog = page.getByTestId('desk-export-log');
    await expect
      .poll(async () => (await exportLog.locator('tbody tr').first().innerText()).replace(/\s+/g, ' '))
      .toMatch(new RegExp(`Demo Redacteur Active · Dutch ${lines.length - 1}$`));
  });
});
