import type { Knex } from 'knex';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailSink } from '../../scripts/mail-sink/server';
import { createMailingDeps } from '../../src/app/mailing-deps';
import { CONTENT_TYPES } from '../../src/core/content-types';
import { createJsonLogger } from '../../src/core/infra/log';
import { createCampaign } from '../../src/mailings/campaign/create';
import { readEditionItems } from '../../src/mailings/edition/edition-items';
import { chromiumAvailable, logIn } from '../support/browser';
import { DEMO_AUTHOR, DEMO_EDITOR, useCms } from '../support/harness';
import { waitForMail } from '../support/mail';
import { readMailSettings } from '../../src/settings/mail';
import type { TestApp } from '../support/strapi';
import { startWorker, type WorkerProcess } from '../support/worker';

/**
 * The desk's actions on whole mailings as a Dutch editor does them in the admin panel, with a real
 * worker and the mail stand-in: "Editie samenstellen" on the editions list makes the next edition as
 * a draft from what was published since the last one; "Dupliceren" opens a new draft with the same
 * content; the cancel dialog says a cancelled send cannot resume; "Versturen naar wie hem nog niet
 * kreeg" sends a cancelled campaign's copy to the readers it did not reach, each reader once.
 */
const session = useCms({
  name: 'desk-mailings-browser',
  listen: true,
  editor: true,
  env: { NEWSLETTER_TICK_MS: '500', NEWSLETTER_REVIEW_HOURS: '0', NEWSLETTER_CRON: '0 9 * * 2#1' },
});
let app: TestApp;
let page: Page;
let db: Knex;
let sink: MailSink;
let worker: WorkerProcess | undefined;

const editUrl = (model: string, documentId: string) => `${app.url}/admin/content-manager/collection-types/${model}/${documentId}`;
const documentIdInUrl = () => decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');

async function openMailing(model: string, documentId: string): Promise<void> {
  await page.goto(editUrl(model, documentId));
  await page.getByTestId('desk-state').waitFor();
}

/**
 * Texts Strapi's admin shows when a string has no Dutch: none may be on a page an editor uses.
 * ("Filters", "Status", "Media" and "Tool" are Dutch words too, and not listed.)
 */
const ENGLISH_PHRASES = [
  'Welcome',
  'entries found',
  'Available in',
  'Published',
  'Modified',
  'Draft',
  'Save',
  'Publish',
  'Search',
  'Create new entry',
  'Last update',
  'Content Manager',
  'Media Library',
  'Collection Types',
  'Open preview',
  'Set up preview',
  'Add new assets',
  'Sort by',
  'Cancel',
  'Delete',
  'Duplicate',
  'Unpublish',
  'Select',
  'Loading',
  'Today',
  'Clear',
  'Settings',
  'No content',
  'Add an entry',
  'Add a component',
  'Click to add',
  'Drag',
  'Folders',
  'Assets',
  'Upload',
  'More actions',
  'Information',
  'Created',
  'Updated',
  'Relations',
  'Entries',
];
/** Ids of texts the Dutch admin asked for and did not have (react-intl's console message). */
const missingDutch = new Set<string>();

function englishOn(text: string): string[] {
  return ENGLISH_PHRASES.filter((phrase) => new RegExp(`(^|[^\\p{L}])${phrase}([^\\p{L}]|$)`, 'u').test(text));
}

describe.skipIf(!chromiumAvailable)('whole mailings at the desk, in Dutch (real browser, worker, mail stand-in)', () => {
  beforeAll(async () => {
    ({ app, page, sink } = session);
    db = app.strapi.db.connection as unknown as Knex;
    await page.evaluate("localStorage.setItem('strapi-admin-language', 'nl')");
    page.on('console', (message) => {
      const text = message.text();
      if (/MISSING_TRANSLATION|Missing message/i.test(text) && /for locale "nl"/.test(text))
        missingDutch.add(/Missing message: "([^"]+)"/.exec(text)?.[1] ?? text);
    });
    worker = await startWorker();
  });

  afterAll(async () => {
    await worker?.kill();
  });

  it('the login page of a browser that never chose a language is Dutch; after logging in the panel stays Dutch', async () => {
    const context = await session.browser.newContext({ locale: 'en-GB' });
    try {
      const fresh = await context.newPage();
      await fresh.goto(`${app.url}/admin/auth/login`);
      await fresh.getByText('Welkom!', { exact: true }).waitFor();
      await fresh.getByRole('button', { name: 'Inloggen' }).waitFor();
      expect(await fresh.getByText('Remember me').count()).toBe(0);
      await fresh.locator('input[name="email"]').fill(DEMO_EDITOR.email);
      await fresh.locator('input[name="password"]').fill(DEMO_EDITOR.password);
      await fresh.getByRole('button', { name: 'Inloggen' }).click();
      await fresh.waitForURL((url) => !url.pathname.includes('/auth/'), { timeout: 120_000 });
      expect(await fresh.evaluate("localStorage.getItem('strapi-admin-language')")).toBe('nl');
    } finally {
      await context.close();
    }
  });

  it('"Editie samenstellen" lists what was published since the last edition and makes it a draft the editor lands in', async () => {
    const article = await app.strapi.documents(CONTENT_TYPES.article).create({
      locale: 'nl',
      data: {
        title: 'Terugblik op de leercultuur-dag',
        slug: 'terugblik-leercultuur-dag',
        summary: 'Een terugblik.',
        body: 'Tekst.',
        publicationDate: '2026-12-01',
      },
      status: 'published',
    } as never);
    // From the home page: the number of active readers, "Nieuwe campagne", and "Editie samenstellen", which opens the dialog on the editions list.
    await page.goto(`${app.url}/admin`);
    const widget = page.getByTestId('netwerkpost-newsletter-widget');
    await widget.waitFor();
    const active = Number((await db('subscribers').where({ state: 'active' }).count({ n: '*' }).first())!.n);
    await expect.poll(() => widget.getByTestId('netwerkpost-active-readers').textContent()).toBe(`${active} actieve lezers`);
    expect(await widget.getByRole('link', { name: 'Nieuwe campagne' }).getAttribute('href')).toContain(`${CONTENT_TYPES.campaign}/create`);
    await widget.getByRole('link', { name: 'Editie samenstellen' }).click();
    const dialog = page.getByRole('alertdialog');
    const list = dialog.getByTestId('desk-next-edition');
    await list.getByText('Terugblik op de leercultuur-dag').waitFor();
    const listed = await list.locator('li').count();
    expect(listed).toBeGreaterThan(0);
    await dialog.getByRole('button', { name: 'Samenstellen' }).click();
    await page.waitForURL((url) => url.pathname.includes(`${CONTENT_TYPES.edition}/`) && !url.pathname.endsWith('/create'));
    await page.locator('[data-testid="desk-state"][data-state="draft"]').waitFor();
    const edition = await db('editions').where({ document_id: documentIdInUrl() }).first('id', 'state', 'cutoff', 'scheduled_at');
    expect(edition).toMatchObject({ state: 'draft', scheduled_at: null });
    const stored = (await app.strapi.db
      .query(CONTENT_TYPES.edition)
      .findOne({ where: { id: edition.id }, populate: { items: { populate: { article: true, resource: true } } } })) as {
      items: Array<{ article?: { documentId: string } | null }>;
    };
    expect(stored.items).toHaveLength(listed);
    expect(stored.items.map((item) => item.article?.documentId)).toContain(article.documentId);
    // The subject starts as the one the mail would get anyway, in each language, for the editor to change.
    const organisation = readMailSettings().organisation.name;
    expect(await page.locator('input[name="subjectNl"]').inputValue()).toMatch(new RegExp(`^Nieuwsbrief \\S+ \\d{4} – ${organisation}$`));
    expect(await page.locator('input[name="subjectEn"]').inputValue()).toMatch(new RegExp(`^Newsletter \\S+ \\d{4} – ${organisation}$`));
    // The editor writes the Dutch subject; the preview shows it, the English one keeps the default.
    await page.locator('input[name="subjectNl"]').fill('Leercultuur in december');
    // And puts the second item first, dragging it in the item picker (its rows by title, in Dutch).
    const assembledOrder = (await readEditionItems(app.strapi, edition.id)).map((item) => item.documentId);
    const rows = page.locator('li[data-item-row]');
    await expect.poll(() => rows.count()).toBe(listed);
    await expect.poll(() => rows.last().innerText()).toMatch(/\n(Nieuws|Bron|Bundel)\n/i);
    if (listed > 1) await rows.nth(1).dragTo(rows.first());
    await page.getByRole('button', { name: 'Bewaar' }).click();
    await expect.poll(async () => (await db('editions').where({ id: edition.id }).first('subject_nl')).subject_nl).toBe('Leercultuur in december');
    const reordered = listed > 1 ? [assembledOrder[1], assembledOrder[0], ...assembledOrder.slice(2)] : assembledOrder;
    await expect.poll(async () => (await readEditionItems(app.strapi, edition.id)).map((item) => item.documentId)).toEqual(reordered);
    // Its preview: one tab per variant, Dutch first, the themes by their names.
    await page.getByRole('button', { name: 'Voorbeeld' }).first().click();
    await expect.poll(() => page.getByRole('dialog').getByTestId('desk-preview-subject').textContent(), { timeout: 20_000 }).toBe('Leercultuur in december');
    const tabs = page.getByRole('dialog').getByRole('tab');
    await tabs.first().waitFor({ timeout: 20_000 });
    const labels = (await tabs.allTextContents()).filter((label) => label.includes(' · '));
    expect(labels[0]).toBe("Nederlands · alle thema's");
    expect(labels.some((label) => /^Nederlands · thema's [A-Z]/.test(label))).toBe(true);
    const languages = labels.map((label) => label.split(' · ')[0]);
    expect(languages).toEqual([...languages].sort((a, b) => (a === b ? 0 : a === 'Nederlands' ? -1 : 1)));
    expect(labels.join(' ')).not.toMatch(/[a-z]+-[a-z]+-/);
    await page.keyboard.press('Escape');
    // A test mail to the editor, with the new subject; then it is planned for tomorrow.
    sink.reset();
    await page.getByRole('button', { name: 'Testmail versturen' }).click();
    const testDialog = page.getByRole('dialog');
    await testDialog.getByLabel(/E-mailadressen/).fill('redactie.proef@example.org');
    await testDialog.getByRole('button', { name: 'Testmail versturen' }).click();
    await page.getByText('Testmail verstuurd naar 1 adres').waitFor();
    const [test] = await waitForMail(sink, 'redactie.proef@example.org');
    expect(test.subject).toBe('[TEST] Leercultuur in december');
    await page.getByRole('button', { name: 'Inplannen' }).click();
    const plan = page.getByRole('alertdialog');
    const tomorrow = await page.evaluate(() => {
      const at = new Date(Date.now() + 86_400_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
    });
    await plan.getByLabel('Verzendmoment').fill(tomorrow);
    await plan.getByRole('button', { name: 'Inplannen' }).click();
    await page.locator('[data-testid="desk-state"][data-state="scheduled"]').waitFor();
    expect(await db('editions').where({ id: edition.id }).first('state')).toEqual({ state: 'scheduled' });
    expect(sink.recipients().filter((mail) => mail.email !== 'redactie.proef@example.org')).toHaveLength(0);
    // Nothing new since: the dialog says so and offers no button to press.
    await page.goto(`${app.url}/admin/content-manager/collection-types/${CONTENT_TYPES.edition}`);
    await page.getByRole('button', { name: 'Editie samenstellen' }).click();
    await page.getByRole('alertdialog').getByText('Sinds de vorige editie is niets nieuws gepubliceerd.').waitFor();
    expect(await page.getByRole('alertdialog').getByRole('button', { name: 'Samenstellen' }).isDisabled()).toBe(true);
    await page.getByRole('alertdialog').getByRole('button', { name: 'Terug' }).click();
  });

  it('the cancel dialog says a cancelled send cannot resume; "Dupliceren" then opens a new draft with the same content, which sends', async () => {
    const campaign = await createCampaign(app.strapi, { title: 'Bundel in december', features: ['inspiratiebundel-leercultuur'], themes: [], locale: null });
    const deps = createMailingDeps(
      app.strapi,
      createJsonLogger('test', () => undefined),
    );
    await deps.engine.schedule({ kind: 'campaign', id: campaign.id }, new Date(Date.now() + 86_400_000));
    await openMailing(CONTENT_TYPES.campaign, campaign.documentId);
    await page.getByRole('button', { name: 'Verzending annuleren' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Een geannuleerde verzending kan niet worden hervat.', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Verzending annuleren' }).click();
    await page.locator('[data-testid="desk-state"][data-state="cancelled"]').waitFor();

    // History is read-only, and the panel says so before anyone types in the form.
    expect(await page.getByTestId('desk-locked').textContent()).toMatch(
      /^Deze mailing is \(of wordt\) verstuurd of gestopt en kan niet meer worden gewijzigd\./,
    );
    // The form itself too: no field takes input, the item picker offers nothing to add.
    await expect.poll(() => page.locator('input[name="title"]').isDisabled()).toBe(true);
    expect(await page.locator('input[name="subjectNl"]').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Item toevoegen' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Dupliceren' }).click();
    await page.waitForURL((url) => !url.pathname.endsWith(campaign.documentId));
    await page.locator('[data-testid="desk-state"][data-state="draft"]').waitFor();
    // The copy is a draft: its form takes input again.
    await expect.poll(() => page.locator('input[name="title"]').isDisabled()).toBe(false);
    await page.getByRole('button', { name: 'Item toevoegen' }).waitFor();
    const copy = await db('campaigns').where({ document_id: documentIdInUrl() }).first('id', 'title', 'state', 'subject_nl');
    const original = await db('campaigns').where({ id: campaign.id }).first('subject_nl', 'state');
    expect(copy).toMatchObject({ title: 'Bundel in december (kopie)', state: 'draft', subject_nl: original.subject_nl });
    expect(original.state).toBe('cancelled');

    sink.reset();
    await page.getByRole('button', { name: 'Nu versturen' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Nu versturen' }).click();
    await page.locator('[data-testid="desk-state"][data-state="sent"]').waitFor({ timeout: 90_000 });
    const active = (await db('subscribers').where({ state: 'active' }).select('email')).map((row: { email: string }) => row.email);
    expect(
      sink
        .recipients()
        .map((mail) => mail.email)
        .sort(),
    ).toEqual([...active].sort());
  });

  it('"Versturen naar wie hem nog niet kreeg" sends a cancelled campaign to the readers it did not reach: every active reader once', async () => {
    const deps = createMailingDeps(
      app.strapi,
      createJsonLogger('test', () => undefined),
    );
    deps.settings.batchSize = 2;
    const campaign = await createCampaign(app.strapi, { title: 'Half verstuurd', features: ['handboek-actieleren'], themes: [], locale: null });
    const ref = { kind: 'campaign' as const, id: campaign.id };
    sink.reset();
    // The first batch went out, then an editor cancelled: what was left was never sent. Made here
    // batch by batch, with the worker stopped: a running worker would send the other batches too.
    await worker?.kill();
    await deps.engine.schedule(ref, 'now');
    const plan = await deps.engine.plan(ref);
    if (plan.outcome !== 'planned') throw new Error(`not planned: ${plan.outcome}`);
    await deps.engine.sendBatch(ref, plan.batches[0]);
    await deps.engine.cancel(ref);
    for (const batchNo of plan.batches.slice(1)) await deps.engine.sendBatch(ref, batchNo);
    expect(sink.recipients()).toHaveLength(2);
    expect(await db('campaigns').where({ id: campaign.id }).first('state')).toEqual({ state: 'cancelled' });
    worker = await startWorker();

    await openMailing(CONTENT_TYPES.campaign, campaign.documentId);
    await page.getByRole('button', { name: 'Versturen naar wie hem nog niet kreeg' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Wie hem al kreeg of zich intussen afmeldde, krijgt niets.', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Nu versturen' }).click();
    await page.waitForURL((url) => !url.pathname.endsWith(campaign.documentId));
    await page.locator('[data-testid="desk-state"][data-state="sent"]').waitFor({ timeout: 90_000 });
    const remainder = await db('campaigns').where({ document_id: documentIdInUrl() }).first('title', 'remainder_of');
    expect(remainder).toEqual({ title: 'Half verstuurd (rest)', remainder_of: campaign.id });

    const active = (await db('subscribers').where({ state: 'active' }).select('email')).map((row: { email: string }) => row.email);
    const received = sink.recipients().map((mail) => mail.email);
    expect([...received].sort()).toEqual([...active].sort());
    // Nobody left: the original no longer offers it from the server's side either.
    await openMailing(CONTENT_TYPES.campaign, campaign.documentId);
    await page.getByRole('button', { name: 'Versturen naar wie hem nog niet kreeg' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Nu versturen' }).click();
    await page
      .getByRole('alertdialog')
      .getByText(/Iedereen in de doelgroep heeft deze mailing al gekregen|Everyone in the audience/)
      .waitFor();
  });
  it('an Author prepares a campaign (subject, an item, a test mail to their own address) and has no send buttons; an Editor sends it: every active reader once', async () => {
    const campaign = await createCampaign(app.strapi, { title: 'Voorbereid door de auteur', features: ['handboek-actieleren'], themes: [], locale: null });
    const context = await session.browser.newContext({ locale: 'nl-NL' });
    try {
      const author = await context.newPage();
      await author.addInitScript("localStorage.setItem('strapi-admin-language', 'nl')");
      await logIn(author, app.url, DEMO_AUTHOR);
      await author.goto(editUrl(CONTENT_TYPES.campaign, campaign.documentId));
      await author.getByTestId('desk-state').waitFor();
      await author.locator('input[name="subjectNl"]').fill('Door de auteur voorbereid');
      await author.getByRole('button', { name: 'Item toevoegen' }).click();
      await author.getByRole('textbox', { name: 'Zoek op titel' }).fill('kleine stappen');
      await author.getByRole('button', { name: 'Toevoegen: Actieleren: kleine stappen, veel steun' }).click();
      await author.getByRole('button', { name: 'Bewaar' }).click();
      await expect.poll(async () => (await db('campaigns').where({ id: campaign.id }).first('subject_nl')).subject_nl).toBe('Door de auteur voorbereid');
      const featured = await db('campaigns_cmps').where({ entity_id: campaign.id, field: 'featuredItems' }).count({ n: '*' }).first();
      expect(Number(featured!.n)).toBe(2);
      sink.reset();
      await author.getByRole('button', { name: 'Testmail versturen' }).click();
      await author
        .getByRole('dialog')
        .getByLabel(/E-mailadressen/)
        .fill(DEMO_AUTHOR.email);
      await author.getByRole('dialog').getByRole('button', { name: 'Testmail versturen' }).click();
      const [test] = await waitForMail(sink, DEMO_AUTHOR.email);
      expect(test.subject).toBe('[TEST] Door de auteur voorbereid');
      // Preparing is the Author's; scheduling and sending are not.
      for (const name of ['Inplannen', 'Nu versturen', 'Verzending annuleren']) expect(await author.getByRole('button', { name }).count(), name).toBe(0);
    } finally {
      await context.close();
    }

    await openMailing(CONTENT_TYPES.campaign, campaign.documentId);
    sink.reset();
    await page.getByRole('button', { name: 'Nu versturen' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Nu versturen' }).click();
    await page.locator('[data-testid="desk-state"][data-state="sent"]').waitFor({ timeout: 90_000 });
    const active = (await db('subscribers').where({ state: 'active' }).select('email')).map((row: { email: string }) => row.email);
    const received = sink.recipients();
    expect(received.map((mail) => mail.email).sort()).toEqual([...active].sort());
    // The Dutch readers got the subject the Author wrote.
    expect(received.some((mail) => mail.subject === 'Door de auteur voorbereid')).toBe(true);
  });

  it('the editor writes the welcome mail, previews it and sends it as a test (Welkomstmail, a single type)', async () => {
    await page.goto(`${app.url}/admin/content-manager/single-types/${CONTENT_TYPES.welcomeMail}`);
    const dutch = page.locator('textarea[name="textNl"]');
    await dutch.waitFor();
    await page.locator('input[name="subjectNl"]').fill('Welkom in het netwerk');
    await dutch.fill('Fijn dat je er bent, lezer uit de browsertest.\n\nHieronder de nieuwste bundel.');
    await page.getByRole('button', { name: 'Bewaar' }).click();
    const stored = () => app.strapi.documents(CONTENT_TYPES.welcomeMail).findFirst({} as never) as Promise<{ subjectNl: string; textNl: string } | null>;
    await expect.poll(async () => (await stored())?.textNl).toBe('Fijn dat je er bent, lezer uit de browsertest.\n\nHieronder de nieuwste bundel.');
    expect((await stored())?.subjectNl).toBe('Welkom in het netwerk');

    // Its panel says what it is for; its preview shows the saved text, Dutch first.
    await page.getByText('Nieuwe lezers krijgen deze mail één keer').waitFor();
    await page.getByRole('button', { name: 'Voorbeeld' }).click();
    const preview = page.getByRole('dialog');
    await expect.poll(() => preview.getByTestId('desk-preview-subject').textContent(), { timeout: 20_000 }).toBe('Welkom in het netwerk');
    expect(await preview.getByRole('tab').first().textContent()).toBe('Nederlands');
    await preview.getByRole('tab', { name: 'Platte tekst' }).click();
    expect(await preview.getByTestId('desk-preview-text').textContent()).toContain('Fijn dat je er bent, lezer uit de browsertest.');
    await page.keyboard.press('Escape');

    // A test mail in Dutch: the saved text arrives, [TEST] before the subject.
    sink.reset();
    await page.getByRole('button', { name: 'Testmail versturen' }).click();
    const testDialog = page.getByRole('dialog');
    await testDialog.getByLabel(/E-mailadressen/).fill('welkom.proef@example.org');
    await testDialog.getByRole('button', { name: 'Testmail versturen' }).click();
    await page.getByText('Testmail verstuurd naar 1 adres').waitFor();
    const [test] = await waitForMail(sink, 'welkom.proef@example.org');
    expect(test.subject).toBe('[TEST] Welkom in het netwerk');
    expect(test.html).toContain('Fijn dat je er bent, lezer uit de browsertest.');
  });

  it('"Voorbeeld openen" on a draft article shows its reading page before it is published; a campaign has no dead Preview box', async () => {
    const draft = (await app.strapi.documents(CONTENT_TYPES.article).create({
      locale: 'nl',
      data: { title: 'Concept: een nieuwe leergang', summary: 'Nog niet gepubliceerd.', body: 'De leergang start **in maart**.' },
    } as never)) as { documentId: string };
    await page.goto(editUrl(CONTENT_TYPES.article, draft.documentId));
    await page.getByRole('link', { name: 'Voorbeeld openen' }).click();
    const frame = page.frameLocator('iframe');
    await frame.getByRole('heading', { level: 1, name: 'Concept: een nieuwe leergang' }).waitFor({ timeout: 30_000 });
    await frame.getByText('in maart').waitFor();
    expect((await fetch(`${app.url}/nieuws/concept-een-nieuwe-leergang`)).status).toBe(404);

    const campaign = await createCampaign(app.strapi, { title: 'Zonder voorbeeldvak', features: ['handboek-actieleren'], themes: [], locale: null });
    await openMailing(CONTENT_TYPES.campaign, campaign.documentId);
    expect(await page.getByText('Voorbeeld instellen').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Voorbeeld openen' }).count()).toBe(0);
  });
  it('speaks Dutch on every page an editor uses: no English Strapi texts, no missing Dutch translations', async () => {
    const article = (await app.strapi.documents(CONTENT_TYPES.article).findFirst({ locale: 'nl' } as never)) as { documentId: string };
    const campaign = (await app.strapi.documents(CONTENT_TYPES.campaign).findFirst({} as never)) as { documentId: string };
    const edition = (await app.strapi.documents(CONTENT_TYPES.edition).findFirst({} as never)) as { documentId: string };
    const subscriber = (await db('subscribers').first('document_id')) as { document_id: string };
    const admin = `${app.url}/admin`;
    const list = (uid: string) => `${admin}/content-manager/collection-types/${uid}`;
    const pages = [
      admin,
      list(CONTENT_TYPES.article),
      `${list(CONTENT_TYPES.article)}/${article.documentId}`,
      list(CONTENT_TYPES.resource),
      list(CONTENT_TYPES.campaign),
      `${list(CONTENT_TYPES.campaign)}/${campaign.documentId}`,
      list(CONTENT_TYPES.edition),
      `${list(CONTENT_TYPES.edition)}/${edition.documentId}`,
      list(CONTENT_TYPES.subscriber),
      `${list(CONTENT_TYPES.subscriber)}/${subscriber.document_id}`,
      `${admin}/content-manager/single-types/${CONTENT_TYPES.welcomeMail}`,
      `${admin}/plugins/desk/subscribers`,
      `${admin}/plugins/upload`,
    ];
    const found: Record<string, string[]> = {};
    for (const address of pages) {
      await page.goto(address);
      await page.waitForLoadState('networkidle');
      await page.locator('main').first().waitFor();
      // Strapi's loading screen says "Loading content." to screen readers in English, hard-coded
      // (no translation id to give it Dutch); what is read is the page once it has loaded.
      // (A locator, not a string predicate: the admin's CSP forbids the eval a string would need.)
      await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached', timeout: 60_000 });
      const english = englishOn(await page.locator('body').innerText());
      if (english.length > 0) found[address.slice(admin.length) || '/'] = english;
    }
    // The media dialog and the date picker of an article.
    await page.goto(`${list(CONTENT_TYPES.article)}/${article.documentId}`);
    await page.locator('main').first().waitFor();
    await page.getByRole('combobox', { name: /Publicatiedatum/ }).click();
    const calendar = englishOn(await page.locator('body').innerText());
    if (calendar.length > 0) found['date picker'] = calendar;
    await page.keyboard.press('Escape');
    expect(found).toEqual({});
    expect([...missingDutch].sort()).toEqual([]);
  });
});
