import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoContent } from '../../database/seed/seed';
import { startMailSink, type MailSink } from '../../scripts/mail-sink/server';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { deleteRedisPrefix, testRedisPrefix } from '../support/redis';
import { startStrapi, type TestApp } from '../support/strapi';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PREFIX = testRedisPrefix('browser');
// CI installs Debian's chromium; on a developer machine without it this file says so and skips.
const available = fs.existsSync(CHROMIUM);
if (!available && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium package.`);

let database: TestDatabase;
let app: TestApp;
let sink: MailSink;
let browser: Browser;

describe.skipIf(!available)('the hosted signup form in a real browser', () => {
  beforeAll(async () => {
    sink = await startMailSink({ port: 0 });
    database = await createTestDatabase();
    app = await startStrapi(database, { listen: true, env: { SENDGRID_API_URL: sink.url, REDIS_PREFIX: PREFIX } });
    await seedDemoContent(app.strapi);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await deleteRedisPrefix(PREFIX);
    await app?.stop();
    await database?.drop();
    await sink?.close();
  });

  it('fills in the Dutch form and lands on "check your inbox"', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/newsletter?lang=nl`);
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    await page.getByLabel('E-mailadres').fill('Browser.Lezer@Example.org');
    await page.getByLabel('Verandermanagement').check();
    await page.getByLabel(/toestemming|ontvang/i).check();
    await Promise.all([page.waitForURL(/\/newsletter\/check-inbox/), page.getByRole('button').click()]);
    expect(page.url()).toContain('lang=nl');
    expect(await page.locator('h1').textContent()).toMatch(/mail|inbox/i);
    const subscriber = await app.strapi.db.query('api::subscriber.subscriber').findOne({ where: { email: 'browser.lezer@example.org' } });
    expect(subscriber).toMatchObject({ state: 'pending', preferredLocale: 'nl', themes: ['verandermanagement'] });
    await page.close();
  });
});
