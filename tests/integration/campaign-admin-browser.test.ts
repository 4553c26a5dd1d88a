import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { campaigns as demoCampaigns } from '../../database/seed/demo-content';
import { CAMPAIGN_UID, loadCampaign } from '../../src/mailings/campaign/content';
import { chromiumAvailable } from '../support/browser';
import { useCms } from '../support/harness';
import type { TestApp } from '../support/strapi';

/**
 * The campaign's featured items are edited in the admin panel with the item picker: an editor
 * searches a published resource by title, adds it and saves; the order is kept.
 */

const session = useCms({ name: 'campaign-admin', listen: true, editor: true });
let app: TestApp;
let page: Page;

describe.skipIf(!chromiumAvailable)('a campaign in the admin panel (real browser)', () => {
  beforeAll(async () => {
    ({ app, page } = session);
  });

  it('adds a featured resource with the item picker and saves; the order is kept', async () => {
    const found = (await app.strapi.documents(CAMPAIGN_UID).findFirst({ filters: { title: demoCampaigns[0].title } } as never))!;
    await page.goto(`${app.url}/admin/content-manager/collection-types/${CAMPAIGN_UID}/${found.documentId}`);
    await page.getByRole('button', { name: 'Save' }).waitFor();
    await page.getByText('Featured items (order = order in the mail)').first().waitFor();

    await page.locator('li[data-item-row]').nth(2).waitFor();
    await page.getByRole('button', { name: 'Add an item' }).click();
    await page.getByRole('textbox', { name: 'Search by title' }).fill('Handbook');
    await page.getByRole('button', { name: 'Add: Handbook of action learning in care' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByText(/^Saved/)
      .first()
      .waitFor({ timeout: 15_000 });

    const content = (await loadCampaign(app.strapi, { documentId: found.documentId }, { siteUrl: 'https://site.example', publicUrl: app.url }))!;
    expect(content.problems).toEqual([]);
    expect(content.featured.map((item) => item.content.nl?.title)).toEqual([
      'Inspiratiebundel Leercultuur',
      'Rapport: opbrengsten van het lerend netwerk',
      'Lerend netwerk Leercultuur afgerond',
      'Handboek Actieleren in de zorg',
    ]);
  });

  it('creates a campaign in the admin form: saved as a draft, the read-only fields with their defaults (the mailing rules let them pass)', async () => {
    await page.goto(`${app.url}/admin/content-manager/collection-types/${CAMPAIGN_UID}/create`);
    await page.getByRole('button', { name: 'Save' }).waitFor();
    await page.locator('input[name="title"]').fill('Nieuw in het formulier');
    await page.locator('input[name="subjectNl"]').fill('Onderwerp uit het formulier');
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByText(/^Saved/)
      .first()
      .waitFor({ timeout: 15_000 });
    const db = app.strapi.db.connection;
    const row = await db('campaigns')
      .where({ title: 'Nieuw in het formulier' })
      .first('state', 'subject_nl', 'recipients_count', 'submitted_count', 'planned_at', 'sent_at', 'notes');
    expect(row).toMatchObject({ state: 'draft', subject_nl: 'Onderwerp uit het formulier', planned_at: null, sent_at: null, notes: null });
    expect([Number(row.recipients_count), Number(row.submitted_count)]).toEqual([0, 0]);
  });
});
