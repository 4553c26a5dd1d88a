import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../../src/mailings/campaign/create';
import { createJsonLogger } from '../../src/core/infra/log';
import { assembleEdition } from '../../src/mailings/edition/assemble';
import { createMailingDeps } from '../../src/app/mailing-deps';
import type { MailingRef } from '../../src/mailings/engine/mailing';
import { BATCHES } from '../../src/mailings/engine/schema';
import { chromiumAvailable, launchChromium } from '../support/browser';
import { testRedisPrefix } from '../support/redis';
import { useCms } from '../support/harness';

/**
 * The archive, the "manage your subscription" page and the web versions (an edition and a campaign,
 * both languages, sent for real through the engine) in a real browser, checked with axe-core.
 */
const AXE = path.resolve(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');
const PREFIX = testRedisPrefix('archive-browser');
const app = useCms({ name: 'archive-browser', listen: true, seed: true, env: { REDIS_PREFIX: PREFIX } });

interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

let browser: Browser;
let axeSource = '';
const pages: Array<[string, string]> = [
  ['archive nl', '/newsletter/archive?lang=nl'],
  ['archive en', '/newsletter/archive?lang=en'],
  ['archive, a page past the end', '/newsletter/archive?lang=nl&page=9'],
  ['manage nl', '/newsletter/manage?lang=nl'],
  ['manage en', '/newsletter/manage?lang=en'],
];

async function sendNow(ref: MailingRef) {
  const db = app.strapi.db.connection as unknown as Knex;
  const deps = createMailingDeps(
    app.strapi,
    createJsonLogger('test', () => undefined),
  );
  await deps.engine.schedule(ref, 'now');
  await deps.engine.plan(ref);
  for (const { batch_no } of await db(BATCHES).where({ mailing_kind: ref.kind, mailing_id: ref.id }).select('batch_no'))
    await deps.engine.sendBatch(ref, Number(batch_no));
  await deps.engine.finish(ref);
}

describe.skipIf(!chromiumAvailable)('the archive and the web versions in a real browser, checked with axe-core', () => {
  beforeAll(async () => {
    if (!fs.existsSync(AXE)) throw new Error(`${AXE} is missing: axe-core must be a devDependency.`);
    axeSource = fs.readFileSync(AXE, 'utf8');
    const edition = await assembleEdition(
      createMailingDeps(
        app.strapi,
        createJsonLogger('test', () => undefined),
      ),
      { now: new Date(), periodKey: `archive-browser:${Date.now()}` },
    );
    await sendNow({ kind: 'edition', id: edition.editionId });
    const campaign = await createCampaign(app.strapi, { title: 'Browser', features: ['inspiratiebundel-leercultuur'] });
    await sendNow({ kind: 'campaign', id: campaign.id });
    for (const locale of ['nl', 'en']) {
      const archive = await (await fetch(`${app.url}/newsletter/archive?lang=${locale}`)).text();
      for (const [, href] of archive.matchAll(/<li><h2><a href="([^"]*)"/g))
        pages.push([`web version ${locale} ${href.split('?')[0].split('/')[2]}`, href.replace(/&amp;/g, '&')]);
    }
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('lists both sent mailings in each language', () => {
    expect(pages.filter(([name]) => name.startsWith('web version'))).toHaveLength(4);
  });

  it('has no serious or critical axe violations on any of these pages, light and dark', async () => {
    const failures: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      for (const [name, pagePath] of pages) {
        // The pages' CSP allows no script: only the test's injected axe is let through.
        const context = await browser.newContext({ bypassCSP: true, colorScheme: scheme });
        const page = await context.newPage();
        const response = await page.goto(`${app.url}${pagePath}`);
        expect(response?.status(), name).toBe(name.includes('past the end') ? 404 : 200);
        await page.evaluate(axeSource);
        const violations = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)")) as AxeViolation[];
        const summary = violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
        console.log(`[axe] ${name} (${scheme}): ${violations.length} violations${summary.length ? `\n  ${summary.join('\n  ')}` : ''}`);
        failures.push(...summary.filter((line) => /^(serious|critical) /.test(line)).map((line) => `${name} (${scheme}): ${line}`));
        await context.close();
      }
    }
    expect(failures).toEqual([]);
  });
});
