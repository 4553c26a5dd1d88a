import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articles, resources, themes } from '../../database/seed/demo-content';
import { chromiumAvailable, launchChromium } from '../support/browser';
import { useCms } from '../support/harness';

/** axe-core (a dev dependency) is injected into each page; without it this test fails, it never skips. */
const AXE = path.resolve(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');

interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

const [mainArticle] = articles;
const bundle = resources.find((resource) => resource.kind === 'bundle')!;
const book = resources.find((resource) => resource.kind === 'book')!;
const theme = themes[2];
const englishOnly = 'visit-from-a-partner-network';

const PAGES: Array<[string, string]> = [
  ['home nl', '/'],
  ['home en', '/en'],
  ['article nl', `/nieuws/${mainArticle.slug.nl}`],
  ['article en', `/en/news/${mainArticle.slug.en}`],
  ['article only in English, at its Dutch URL', `/nieuws/${englishOnly}`],
  ['resource nl', `/inspiratie/${book.slug}`],
  ['resource en', `/en/resources/${book.slug}`],
  ['bundle nl', `/inspiratie/${bundle.slug}`],
  ['bundle en', `/en/resources/${bundle.slug}`],
  ['theme nl', `/themas/${theme.slug}`],
  ['theme en', `/en/themes/${theme.slug}`],
  ['404 nl', '/nieuws/bestaat-niet'],
  ['404 en', '/en/news/does-not-exist'],
];

const app = useCms({ name: 'reading-pages-browser', listen: true, seed: true });
let browser: Browser;
let axeSource = '';

describe.skipIf(!chromiumAvailable)('the reading pages in a real browser, checked with axe-core', () => {
  beforeAll(async () => {
    if (!fs.existsSync(AXE)) throw new Error(`${AXE} is missing: axe-core must be a devDependency (npm install --save-dev axe-core).`);
    axeSource = fs.readFileSync(AXE, 'utf8');
    await app.strapi.documents('api::article.article').create({
      locale: 'en',
      status: 'published',
      data: {
        slug: englishOnly,
        title: 'A visit from a partner network',
        summary: 'Colleagues from Leeds came to see how we learn together.',
        body: 'They stayed for **two days**.',
        publicationDate: '2024-07-01',
      },
    } as never);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it.each(PAGES)(`%s (%s) has no serious or critical axe violations, ${scheme}`, async (_name, pagePath) => {
      // The pages' own CSP allows no script at all: only the test's injected axe is let through.
      const context = await browser.newContext({ bypassCSP: true, colorScheme: scheme });
      const page = await context.newPage();
      const response = await page.goto(`${app.url}${pagePath}`);
      expect(response?.status()).toBe(pagePath.includes('-niet') || pagePath.includes('does-not') ? 404 : 200);
      await page.evaluate(axeSource);
      // A string, evaluated in the page: the test's TypeScript has no DOM types.
      const violations = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)")) as AxeViolation[];
      const summary = violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
      console.log(`[axe] ${pagePath} (${scheme}): ${violations.length} violations${summary.length ? `\n  ${summary.join('\n  ')}` : ''}`);
      expect(summary.filter((line) => /^(serious|critical) /.test(line))).toEqual([]);
      await context.close();
    });
  }

  it('the skip link moves the focus to the main content', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/nieuws/${mainArticle.slug.nl}`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe('Direct naar de inhoud');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('main');
    await page.close();
  });
});
