import type { Knex } from 'knex';
import type { BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { entriesFor, readEditionItems } from '../../src/mailings/edition/edition-items';
import { chromiumAvailable, launchChromium, logIn } from '../support/browser';
import { DEMO_AUTHOR, useCms } from '../support/harness';
import { pageWithScriptFrom, SCRIPT_PAGE, TOKEN_SCRIPT } from '../support/sample-files';
import type { TestApp } from '../support/strapi';

/**
 * The editor's admin panel as an editor (role Editor) and an author (role Author) use it, in a real
 * browser: an article written and published in Dutch and English with slugs that follow each
 * language's title, an edition's items picked and dragged into order, the panel in Dutch, and an
 * Author who never sees subscribers. Checked in the database; the console must stay free of errors
 * and missing translations. Files below /uploads never run a script while a Super Admin is logged in,
 * and the media library says why it refuses a page.
 */
const ARTICLE = 'api::article.article';
const EDITION = 'api::edition.edition';
const SUBSCRIBER = 'api::subscriber.subscriber';

const session = useCms({ name: 'editor-panel', listen: true, editor: true });
let app: TestApp;
let page: Page;
let db: Knex;
const consoleProblems: string[] = [];

function watchConsole(target: Page): void {
  target.on('console', (message: ConsoleMessage) => {
    const text = message.text();
    if (message.type() === 'error' || /MISSING_TRANSLATION|Missing message/i.test(text)) consoleProblems.push(`${message.type()}: ${text}`);
  });
  target.on('pageerror', (error) => consoleProblems.push(`pageerror: ${error.message}`));
}

/** Missing translations (ours, and Strapi's own gaps in Dutch, which we fill), and errors from our code. */
const ourProblems = () =>
  consoleProblems.filter((line) => /MISSING_TRANSLATION|Missing message|api::|edition\.item|campaign\.|subscription\.|netwerkpost|pageerror/i.test(line));

async function save(target: Page = page): Promise<void> {
  await target.getByRole('button', { name: 'Save' }).click();
  await target
    .getByText(/^Saved/)
    .first()
    .waitFor({ timeout: 15_000 });
}

async function publish(): Promise<void> {
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByText('Published document').first().waitFor({ timeout: 15_000 });
}

async function writeArticle(title: string, summary: string, body: string): Promise<void> {
  await page.getByRole('textbox', { name: /^Title/ }).fill(title);
  await page.getByRole('textbox', { name: /^Summary/ }).fill(summary);
  await page.locator('.CodeMirror').first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(body);
}

/**
 * Types a date, not picking it: in the format the field shows as its placeholder (the admin
 * language's: MM/DD/YYYY in English, DD-MM-YYYY in Dutch); Escape closes the calendar, leaving the
 * field commits the date.
 */
async function typeDate(label: string, year: number, month: number, day: number): Promise<void> {
  const date = page.getByRole('combobox', { name: new RegExp(`^${label}`) });
  // Strapi's date picker has an empty placeholder: `??` kept the empty string and nothing was typed
  // (the date saved was the server's default, today, which matched only on the day this was written).
  const format = (await date.getAttribute('placeholder')) || 'MM/DD/YYYY';
  await date.click();
  await page.keyboard.type(format.replace('DD', String(day).padStart(2, '0')).replace('MM', String(month).padStart(2, '0')).replace('YYYY', String(year)));
  await page.keyboard.press('Escape');
  await page.getByRole('textbox', { name: /^Title/ }).click();
}

const draftOf = (documentId: string, locale: string) =>
  db('articles').where({ document_id: documentId, locale }).whereNull('published_at').first('slug', 'title');

describe.skipIf(!chromiumAvailable)("the editors' admin panel (real browser)", () => {
  beforeAll(async () => {
    ({ app, page } = session);
    db = app.strapi.db.connection as unknown as Knex;
    watchConsole(page);
  });

  // What the editor saw when a step failed (git-ignored, kept by CI as an artifact).
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !page) return;
    const dir = path.resolve(__dirname, '..', '..', 'tests', 'artifacts');
    fs.mkdirSync(dir, { recursive: true });
    await page
      .screenshot({ path: path.join(dir, `editor-panel-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}.png`), fullPage: true })
      .catch(() => undefined);
  });

  it('writes and publishes an article in Dutch and English; each slug follows its own title; the date is typed', async () => {
    await page.goto(`${app.url}/admin/content-manager/collection-types/${ARTICLE}/create?plugins[i18n][locale]=nl`);
    await page.getByRole('button', { name: 'Save' }).waitFor();
    // The slug is not pre-filled with the type's name any more.
    expect(await page.getByRole('textbox', { name: /^Slug/ }).inputValue()).toBe('');
    await writeArticle('Werkplaats in Delfshaven geopend', 'Een nieuwe werkplaats voor zorgprofessionals.', 'Vanaf januari leren teams samen in Delfshaven.');
    await typeDate('Publication date', 2026, 12, 1);
    await publish();
    const documentId = (await db('articles').where({ title: 'Werkplaats in Delfshaven geopend' }).first('document_id')).document_id as string;
    expect(await draftOf(documentId, 'nl')).toMatchObject({ slug: 'werkplaats-in-delfshaven-geopend' });
    const typed = (await db('articles').where({ document_id: documentId, locale: 'nl' }).first('publication_date')).publication_date as string | Date;
    expect(typed instanceof Date ? `${typed.getFullYear()}-${typed.getMonth() + 1}-${typed.getDate()}` : typed).toMatch(/^2026-(12-01|12-1)$/);

    await page.goto(`${app.url}/admin/content-manager/collection-types/${ARTICLE}/${documentId}?plugins[i18n][locale]=en`);
    await page.getByRole('button', { name: 'Save' }).waitFor();
    // As an editor translates: fill the English version from the Dutch one (its slug too), then rewrite the texts.
    await page.getByRole('button', { name: 'Fill in from another locale' }).click();
    await page.getByRole('combobox', { name: 'Locale' }).click();
    await page.getByRole('option', { name: /nl/ }).click();
    await page.getByRole('button', { name: 'Yes, fill in' }).click();
    expect(await page.getByRole('textbox', { name: /^Slug/ }).inputValue()).toBe('werkplaats-in-delfshaven-geopend');
    await writeArticle('Workshop opened in Delfshaven', 'A new workshop for care professionals.', 'From January, teams learn together in Delfshaven.');
    // Strapi's form leaves the shared (not localized) date empty for a new language: the article keeps its date.
    await publish();
    expect(await draftOf(documentId, 'en')).toMatchObject({ slug: 'workshop-opened-in-delfshaven' });
    expect(Number((await db('articles').where({ document_id: documentId }).whereNotNull('published_at').count({ n: '*' }).first())?.n)).toBe(2);
    const dates = await db('articles').where({ document_id: documentId }).distinct('publication_date');
    expect(dates).toHaveLength(1);
  });

  it("adds an item to an edition with the item picker, drags it to the top, removes one and saves; the database has the editors' order; drafts are not offered", async () => {
    const resource = async (slug: string) => (await db('resources').where({ slug, locale: 'nl' }).first('document_id')).document_id as string;
    const article = (await db('articles').where({ slug: 'actieleren-kleine-stappen', locale: 'nl' }).first('document_id')).document_id as string;
    const handbook = await resource('handboek-actieleren');
    const bundle = await resource('inspiratiebundel-leercultuur');
    // A draft that was never published: never offered, and marked where a list already holds it.
    const draft = (await app.strapi.documents(ARTICLE).create({
      locale: 'en',
      data: { title: 'Concept about action learning', summary: 'Not yet.', body: 'Not yet.' },
    } as never)) as unknown as { documentId: string };
    // An edition as the assembly makes one, with three items.
    const assembled = (await app.strapi.documents(EDITION).create({
      data: {
        title: 'Nieuwsbrief proef',
        state: 'draft',
        cutoff: new Date().toISOString(),
        periodKey: `panel:${Date.now()}`,
        items: entriesFor([
          { type: 'resource', documentId: bundle, locales: ['nl', 'en'] },
          { type: 'article', documentId: article, locales: ['nl', 'en'] },
          { type: 'article', documentId: draft.documentId, locales: ['en'] },
        ]),
      },
    } as never)) as unknown as { id: number; documentId: string };
    expect(await readEditionItems(app.strapi, assembled.id)).toHaveLength(3);

    // The picker lists the items with their titles in the admin's language (English here), type and date.
    await page.goto(`${app.url}/admin/content-manager/collection-types/${EDITION}/${assembled.documentId}`);
    await page.getByRole('button', { name: 'Save' }).waitFor();
    const rows = page.locator('li[data-item-row]');
    await rows.filter({ hasText: 'Inspiration bundle' }).first().waitFor();
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.nth(0).innerText()).toMatch(/\nBundle\n/i);
    expect(await rows.nth(1).innerText()).toMatch(/\nNews\n/i);
    expect(await rows.nth(2).innerText()).toMatch(/Concept about action learning[\s\S]*Draft: not published/i);

    // Search: the draft is not offered, the handbook is; added, it is the last row.
    await page.getByRole('button', { name: 'Add an item' }).click();
    const search = page.getByRole('textbox', { name: 'Search by title' });
    await search.fill('Concept about');
    await page.getByText('Nothing published found that is not in the list yet.').waitFor();
    await search.fill('action learning');
    await page.getByRole('button', { name: 'Add: Handbook of action learning in care' }).click();
    await expect.poll(() => rows.count()).toBe(4);
    expect(await rows.nth(3).innerText()).toMatch(/Handbook of action learning in care\nResource\n/i);
    // Dragged to the top; the draft's row removed.
    await rows.nth(3).dragTo(rows.nth(0));
    await expect.poll(async () => (await rows.nth(0).innerText()).split('\n')[0]).toBe('Handbook of action learning in care');
    await page.getByRole('button', { name: 'Remove: Concept about action learning' }).click();
    await expect.poll(() => rows.count()).toBe(3);
    await save();

    const after = await readEditionItems(app.strapi, assembled.id);
    expect(after.map((item) => item.documentId)).toEqual([handbook, bundle, article]);
    // Opened again: the saved order, by title.
    await page.reload();
    await page.getByRole('button', { name: 'Save' }).waitFor();
    await rows.filter({ hasText: 'Handbook of action learning in care' }).first().waitFor();
    expect((await rows.allInnerTexts()).map((text) => text.split('\n')[0])).toEqual([
      'Handbook of action learning in care',
      expect.stringMatching(/inspiration bundle/i),
      expect.stringMatching(/./),
    ]);
    // Moved with the buttons too (for a keyboard): the last one up, saved.
    const lastTitle = (await rows.nth(2).innerText()).split('\n')[0];
    await page.getByRole('button', { name: `Up: ${lastTitle}` }).click();
    await save();
    expect((await readEditionItems(app.strapi, assembled.id)).map((item) => item.documentId)).toEqual([handbook, article, bundle]);
  });

  it('speaks Dutch: labels, enumeration values and help, no raw field names', async () => {
    await page.evaluate("localStorage.setItem('strapi-admin-language', 'nl')");
    const subscriber = (await db('subscribers').where({ email: 'anna.jansen@example.org' }).first('document_id')).document_id as string;
    await page.goto(`${app.url}/admin/content-manager/collection-types/${SUBSCRIBER}/${subscriber}`);
    await page.getByRole('button', { name: 'Bewaar' }).waitFor();
    for (const label of ['E-mailadres', 'Voorkeurstaal', 'Abonnementsstatus', 'Bevestigd op', 'Toestemming'])
      await page.locator('label', { hasText: label }).first().waitFor();
    expect(await page.getByText('linkKey').count()).toBe(0);
    await page.getByRole('combobox', { name: 'Abonnementsstatus' }).click();
    for (const value of ['Actief', 'Afgemeld', 'Wacht op bevestiging']) await page.getByRole('option', { name: value, exact: true }).waitFor();
    await page.keyboard.press('Escape');

    await page.goto(`${app.url}/admin/content-manager/collection-types/${SUBSCRIBER}`);
    await page.getByRole('row').filter({ hasText: 'anna.jansen@example.org' }).first().waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'anna.jansen@example.org' }).first().textContent()).toContain('Actief');

    // The articles list: Strapi's header texts in Dutch, and no Strapi news banner.
    await page.goto(`${app.url}/admin/content-manager/collection-types/${ARTICLE}?plugins[i18n][locale]=nl`);
    await page
      .getByText(/^\d+ items? gevonden$/)
      .first()
      .waitFor();
    expect(await page.getByText(/entries gevonden|Introducing the new Media Library|^Available in$/i).count()).toBe(0);

    await page.goto(`${app.url}/admin/content-manager/collection-types/${ARTICLE}/create?plugins[i18n][locale]=nl`);
    await page.getByText('Leeg laten: wordt bij opslaan gemaakt uit de titel', { exact: false }).first().waitFor();
    await page.getByText('Slug (webadres)', { exact: true }).first().waitFor();
    // The help is in the panel's language only.
    expect(await page.getByText("Leave empty: made from this language's title", { exact: false }).count()).toBe(0);
    await page.evaluate("localStorage.setItem('strapi-admin-language', 'en')");
    await page.reload();
    await page.getByText("Leave empty: made from this language's title when saved", { exact: true }).first().waitFor();
    expect(await page.getByText('Leeg laten', { exact: false }).count()).toBe(0);
  });

  it('opens on the home page with the next send and the latest editions and campaigns, each with its state', async () => {
    // The demo campaign scheduled for next year: it is the next send.
    await db('campaigns').update({ state: 'scheduled', send_at: new Date('2027-03-02T08:00:00Z') });
    await page.goto(`${app.url}/admin`);
    const widget = page.getByTestId('netwerkpost-newsletter-widget');
    await widget.waitFor();
    const next = widget.locator('div', { hasText: 'Next send' }).first();
    expect(await next.textContent()).toMatch(/Lancering inspiratiebundel Leercultuur.*Scheduled/);
    const recent = await widget.textContent();
    expect(recent).toContain('Latest editions and campaigns');
    expect(recent).toMatch(/Nieuwsbrief proef · Edition\s*Draft/);
    await widget.getByRole('link', { name: 'Nieuwsbrief proef' }).click();
    await page.getByRole('button', { name: 'Save' }).waitFor();
    expect(page.url()).toContain(`/content-manager/collection-types/${EDITION}/`);
  });

  it('an Author sees no subscribers in the menu, and the admin API refuses them a subscriber (403)', async () => {
    const browser = await launchChromium();
    try {
      const author = await browser.newPage({ locale: 'en-GB' });
      watchConsole(author);
      await logIn(author, app.url, DEMO_AUTHOR);
      await author.goto(`${app.url}/admin/content-manager`);
      await author.getByRole('link', { name: 'News article' }).first().waitFor();
      expect(await author.getByRole('link', { name: 'Subscriber' }).count()).toBe(0);
      const subscriber = (await db('subscribers').first('document_id')).document_id as string;
      // The same account through the admin API the panel calls.
      const login = await fetch(`${app.url}/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(DEMO_AUTHOR),
      });
      const { token } = ((await login.json()) as { data: { token: string } }).data;
      const response = await fetch(`${app.url}/content-manager/collection-types/${SUBSCRIBER}/${subscriber}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(403);
      // Typed into the address bar, the list is refused too.
      await author.goto(`${app.url}/admin/content-manager/collection-types/${SUBSCRIBER}`);
      await author
        .getByText(/don't have the permissions|no permissions/i)
        .first()
        .waitFor();
    } finally {
      await browser.close();
    }
  });

  it('an Author picking a page in the media library sees it refused; no file below /uploads runs its script while a Super Admin is logged in', async () => {
    const uploadsDir = path.resolve(__dirname, '..', '..', 'public', 'uploads');
    const tag = randomBytes(4).toString('hex');
    // Files stored before the upload checks existed: a script, and a page, an SVG and a page named
    // .png that load it from the origin (the CMS's own policy allows scripts from 'self').
    const script = `/uploads/oud-script-${tag}.js`;
    const oldFiles: Record<string, string> = {
      [`oude-pagina-${tag}.html`]: pageWithScriptFrom(script),
      [`oude-tekening-${tag}.svg`]: `<svg xmlns="http://www.w3.org/2000/svg"><script href="${script}"/></svg>`,
      [`vermomd-${tag}.png`]: pageWithScriptFrom(script),
    };
    fs.writeFileSync(path.join(uploadsDir, path.basename(script)), TOKEN_SCRIPT);
    for (const [name, content] of Object.entries(oldFiles)) fs.writeFileSync(path.join(uploadsDir, name), content);
    const superAdminRole = await app.strapi.service('admin::role').getSuperAdmin();
    const superAdmin = { email: `beheer-${tag}@example.org`, password: 'Beheer-Test-2026!' };
    await app.strapi.service('admin::user').create({ ...superAdmin, firstname: 'Beheer', lastname: 'Test', isActive: true, roles: [superAdminRole.id] });
    const pickedPage = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'upload-')), `nieuwsbrief-${tag}.html`);
    fs.writeFileSync(pickedPage, SCRIPT_PAGE);
    const browser = await launchChromium();
    try {
      // The Author picks the page in the media library's upload dialog.
      const author = await browser.newPage({ locale: 'en-GB' });
      await logIn(author, app.url, DEMO_AUTHOR);
      await author.goto(`${app.url}/admin/plugins/upload`);
      // A full load of the admin again: as bounded as the login's, the machine may be busy with other browsers.
      await author.getByRole('button', { name: 'New' }).click({ timeout: 120_000 });
      const [chooser] = await Promise.all([author.waitForEvent('filechooser'), author.getByRole('menuitem', { name: 'File upload', exact: true }).click()]);
      await chooser.setFiles(pickedPage);
      await author.getByText('This file type is not allowed: only JPEG, PNG, WebP, GIF, AVIF and PDF.', { exact: false }).first().waitFor({ timeout: 15_000 });
      expect(await app.strapi.db.query('plugin::upload.file').count({ where: { name: { $contains: tag } } })).toBe(0);
      expect(fs.readdirSync(uploadsDir).filter((file) => file.startsWith(`nieuwsbrief-${tag}`))).toEqual([]);

      // A Super Admin, logged in, opens each old file as a link would, under several spellings.
      const context: BrowserContext = await browser.newContext({ locale: 'en-GB', acceptDownloads: true });
      const admin = await context.newPage();
      await logIn(admin, app.url, superAdmin);
      const tokenRequests: string[] = [];
      context.on('request', (request) => {
        if (/access-token/i.test(request.url())) tokenRequests.push(`${request.url()} from ${request.frame().url()}`);
      });
      // The session is real: a script that did run on this origin would get a token.
      expect(await admin.evaluate(async () => (await fetch('/admin/access-token', { method: 'POST', credentials: 'include' })).status)).toBe(200);
      tokenRequests.length = 0;
      for (const name of Object.keys(oldFiles)) {
        for (const spelling of [`/uploads/${name}`, `/%75ploads/${name}`]) {
          const opened = await context.newPage();
          const download = opened.waitForEvent('download').catch(() => undefined);
          const response = await opened.goto(`${app.url}${spelling}`).catch(() => null);
          if (response) {
            // Shown (the .png): the load event has fired, so an inline script would have run by now.
            expect(await opened.title(), spelling).not.toMatch(/script-ran|token-/);
          } else {
            // Not shown at all: the browser downloads it, so there is no page to run a script in.
            expect(await download, spelling).toBeDefined();
          }
          await opened.close();
        }
      }
      expect(await admin.title()).not.toMatch(/script-ran|token-/);
      expect(tokenRequests).toEqual([]);
    } finally {
      await browser.close();
      for (const name of [...Object.keys(oldFiles), path.basename(script)]) fs.rmSync(path.join(uploadsDir, name), { force: true });
    }
  });

  it('left no console errors or missing translations from our texts', () => {
    expect(ourProblems()).toEqual([]);
  });
});
