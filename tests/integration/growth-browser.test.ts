import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, networkDay } from '../../src/growth/counting';
import { GROWTH_TABLE } from '../../src/growth/store';
import { ITEM_COUNTS_TABLE } from '../../src/site/counts/store';
import { chromiumAvailable } from '../support/browser';
import { useCms } from '../support/harness';
import type { TestApp } from '../support/strapi';

/**
 * Audience growth in the admin panel, as the demo editor sees it in a real browser: the home page's
 * chart with its sentence, the statistics page's charts, and "CSV downloaden" giving the days; and
 * "Meest gelezen" / "Most read" with an item's clicks from mails and page views.
 */
const TZ = 'Europe/Amsterdam';
const session = useCms({ name: 'growth-browser', listen: true, editor: true, env: { NEWSLETTER_TZ: TZ } });
let app: TestApp;
let page: Page;
let db: Knex;
const consoleErrors: string[] = [];
const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
let active = 0;
const today = networkDay(new Date(), TZ);
const monthAgo = addDays(today, -30);

/** A stored day with the given active readers and changes; the rest in proportion, so each column differs. */
const storedDay = (day: string, activeTotal: number, signedUp: number) => ({
  day,
  active_total: activeTotal,
  active_nl: activeTotal - 1,
  active_en: 1,
  active_by_theme: JSON.stringify({ zorg: activeTotal }),
  signed_up: signedUp,
  confirmed: signedUp - 1,
  unsubscribed: 1,
  bounced: 0,
  complained: 0,
  computed_at: new Date(),
});

describe.skipIf(!chromiumAvailable)('audience growth in the admin panel (real browser)', () => {
  beforeAll(async () => {
    ({ app, page } = session);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    db = app.strapi.db.connection as unknown as Knex;
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    active = Number(((await db('subscribers').where({ state: 'active' }).count({ n: '*' })) as Array<{ n: number | string }>)[0].n);
    expect(active).toBeGreaterThan(2);
    // Thirty days ago there were two readers fewer than today (the live day counts the demo's active readers).
    await db(GROWTH_TABLE).insert([storedDay(monthAgo, active - 2, 3), storedDay(addDays(today, -1), active, 4)]);
    // Item counts of a published article: opened 7 times from a mail and read 3 times on its page.
    const article = await app.strapi
      .documents('api::article.article')
      .create({ locale: 'nl', status: 'published', data: { title: 'Meest gelezen artikel', slug: 'meest-gelezen', summary: 'S', body: 'B' } } as never);
    await db(ITEM_COUNTS_TABLE).insert([
      { day: today, source: 'mail', mailing: 'campaign:1', item_kind: 'article', item_document_id: article.documentId, openings: 7 },
      { day: addDays(today, -2), source: 'page', mailing: null, item_kind: 'article', item_document_id: article.documentId, openings: 3 },
    ]);
  });

  it('shows the home page chart of active readers with its sentence', async () => {
    await page.goto(`${app.url}/admin`);
    const widget = page.getByTestId('desk-growth-widget');
    await widget.waitFor();
    await widget.locator('.recharts-surface').first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'growth-home-en.png'), fullPage: true });
    expect(await widget.locator('.recharts-line').count()).toBe(1);
    expect(await page.getByTestId('desk-growth-summary').textContent()).toBe(`${active} active readers, 2 more than 30 days ago`);
  });

  it('shows twelve months on the statistics page and downloads them as CSV', async () => {
    await page.goto(`${app.url}/admin/plugins/desk/statistics`);
    await page.getByRole('heading', { name: 'Growth', level: 1 }).waitFor();
    await page.getByTestId('desk-growth-chart').locator('svg.recharts-surface').first().waitFor();
    expect(await page.getByTestId('desk-growth-chart').locator('.recharts-line').count()).toBe(3);
    await page.getByTestId('desk-growth-changes').locator('.recharts-bar').first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'growth-statistics-en.png'), fullPage: true });
    // Most read: the article with its clicks from mails and its page views.
    const mostRead = page.getByTestId('desk-most-read-item');
    await mostRead.first().waitFor();
    expect(await mostRead.count()).toBe(1);
    expect(await mostRead.getByRole('link', { name: 'Meest gelezen artikel' }).count()).toBe(1);
    expect(await mostRead.getByTestId('desk-most-read-clicks').textContent()).toBe('7');
    expect(await mostRead.getByTestId('desk-most-read-views').textContent()).toBe('3');
    // The charts' text alternative: a table per month for screen readers.
    expect(await page.getByRole('table').getByRole('columnheader', { name: 'New sign-ups' }).count()).toBe(1);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('groei-365-dagen.csv');
    const lines = (await streamText(await download.createReadStream())).split('\r\n');
    expect(lines[0]).toMatch(/^day,active_total,active_nl,active_en,signed_up,confirmed,unsubscribed,bounced,complained(,theme:[a-z0-9-]+)+$/);
    expect(lines[1].startsWith(`${monthAgo},${active - 2},${active - 3},1,3,2,1,0,0`)).toBe(true);
    expect(lines[2].startsWith(`${addDays(today, -1)},${active},${active - 1},1,4,3,1,0,0`)).toBe(true);
    expect(lines[3].startsWith(`${today},${active},`)).toBe(true);
  });

  it('speaks Dutch, with a menu link, and our plugin logged no missing texts', async () => {
    await page.evaluate("localStorage.setItem('strapi-admin-language', 'nl')");
    await page.goto(`${app.url}/admin/plugins/desk/statistics`);
    await page.getByRole('button', { name: 'CSV downloaden' }).waitFor();
    expect(await page.getByTestId('desk-growth-summary').textContent()).toBe(`${active} actieve lezers, 2 meer dan 30 dagen geleden`);
    await page.getByRole('heading', { name: 'Meest gelezen' }).waitFor();
    // The list loads after the heading shows: wait for its header row.
    await page.getByTestId('desk-most-read').getByText('Paginaweergaven').waitFor();
    expect(await page.getByRole('link', { name: 'Groei' }).count()).toBeGreaterThan(0);
    await page.evaluate("localStorage.setItem('strapi-admin-language', 'en')");
    expect(consoleErrors.filter((text) => /Missing message: "desk\.|\/desk\//.test(text))).toEqual([]);
  });
});

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
