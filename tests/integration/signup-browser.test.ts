import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../support/browser';
import { linkIn, waitForMail } from '../support/mail';
import { useSubscriptionApp } from '../support/subscription-app';

const t = useSubscriptionApp('browser');
let browser: Browser;
/** A stand-in for the network's own website (another origin) that embeds the signup form. */
let website: http.Server;
let websiteUrl = '';

describe.skipIf(!chromiumAvailable)('the hosted signup form in a real browser', () => {
  beforeAll(async () => {
    website = http.createServer((_request, response) => {
      response.setHeader('content-type', 'text/html; charset=utf-8');
      response.end(
        `<!doctype html><html lang="nl"><title>Netwerk</title><iframe id="signup" title="Nieuwsbrief" src="${t.app.url}/newsletter?lang=nl" width="600" height="1200"></iframe></html>`,
      );
    });
    await new Promise<void>((resolve) => website.listen(0, '127.0.0.1', resolve));
    // localhost vs 127.0.0.1: another origin than the CMS, as the network's website would be.
    websiteUrl = `http://localhost:${(website.address() as AddressInfo).port}/`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => website?.close(resolve));
  });

  it('fills in the Dutch form, lands on "check your inbox", and confirms with the button of the mail link\'s page', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.app.url}/newsletter?lang=nl`);
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    await page.getByLabel('E-mailadres').fill('Browser.Lezer@Example.org');
    await page.getByLabel('Verandermanagement').check();
    await page.getByLabel(/toestemming|ontvang/i).check();
    await Promise.all([page.waitForURL(/\/newsletter\/check-inbox/), page.getByRole('button').click()]);
    expect(page.url()).toContain('lang=nl');
    expect(await page.locator('h1').textContent()).toMatch(/mail|inbox/i);
    const subscriber = await t.waitForSubscriber('browser.lezer@example.org');
    expect(subscriber).toMatchObject({ state: 'pending', preferredLocale: 'nl', themes: ['verandermanagement'] });
    // The hosted form's page sends no Referer (no-referrer): recorded as a form sign-up, not an API one.
    expect(subscriber.consent).toMatchObject({ source: 'form' });

    const [mail] = await waitForMail(t.sink, 'browser.lezer@example.org');
    await page.goto(linkIn(mail, '/newsletter/confirm'));
    expect((await t.findSubscriber('browser.lezer@example.org')).state).toBe('pending');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Ja, ik wil de nieuwsbrief ontvangen' }).click()]);
    await page.getByRole('heading', { name: 'Je aanmelding is bevestigd' }).waitFor();
    expect((await t.findSubscriber('browser.lezer@example.org')).state).toBe('active');
    await page.close();
  });

  it('embedded on another site, the form shows its error page inside the frame', async () => {
    const page = await browser.newPage();
    await page.goto(websiteUrl);
    const frame = page.frameLocator('#signup');
    // "naam@voorbeeld" passes the browser's own check (type=email) but not the server's (no TLD).
    await frame.getByLabel('E-mailadres').fill('naam@voorbeeld');
    await frame.getByLabel(/toestemming|ontvang/i).check();
    await frame.getByRole('button', { name: 'Aanmelden' }).click();
    await frame.getByRole('alert').waitFor();
    expect(await frame.getByRole('alert').textContent()).toContain('geen geldig e-mailadres');
    await page.close();
  });
});
