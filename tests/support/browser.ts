import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Shared pieces of the browser tests: Debian's chromium (never a downloaded browser), and for the
 * admin panel an admin build that matches src/admin, and logging in as an editor does.
 */
const APP_ROOT = path.resolve(__dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = fs.existsSync(CHROMIUM);
// CI installs Debian's chromium; on a developer machine without it, browser tests say so and skip.
if (!chromiumAvailable && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium package.`);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

function newestChange(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const full = path.join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestChange(full) : fs.statSync(full).mtimeMs);
  }, 0);
}

/**
 * The admin panel is served from dist/build. CI builds it before the tests (`npm run build`); on a
 * developer machine it is built here when missing or older than the sources it bundles (~30 s).
 */
export function ensureAdminBuild(): void {
  const index = path.join(APP_ROOT, 'dist', 'build', 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  // The admin bundle also takes shared facts from src/core, the desk's names and types from src/mailings/desk and the import's fields from src/gdpr/import.
  const sources = Math.max(
    ...['admin', 'plugins', 'core', path.join('mailings', 'desk'), path.join('gdpr', 'import')].map((dir) => newestChange(path.join(APP_ROOT, 'src', dir))),
  );
  if (built > sources) return;
  console.log('[tests] building the admin panel (dist/build is missing or older than src/admin)');
  const result = spawnSync(process.execPath, [path.join(APP_ROOT, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js'), 'build'], {
    cwd: APP_ROOT,
    // Not production: that would demand every secret, and the build itself needs none of them.
    env: { ...process.env, NODE_ENV: 'development', STRAPI_TELEMETRY_DISABLED: 'true' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`strapi build failed:\n${result.stdout}\n${result.stderr}`);
}

export interface EditorLogin {
  email: string;
  password: string;
}

/** Logs in on the admin panel's own login page, in English, and waits for the home page. */
export async function logIn(page: Page, baseUrl: string, editor: EditorLogin): Promise<void> {
  // The admin starts in Dutch; these sessions choose English (as an editor does in the menu), unless the test already chose.
  await page.addInitScript("if (!localStorage.getItem('strapi-admin-language')) localStorage.setItem('strapi-admin-language', 'en')");
  await page.goto(`${baseUrl}/admin/auth/login`);
  await page.locator('input[name="email"]').fill(editor.email);
  await page.locator('input[name="password"]').fill(editor.password);
  // A bound against a hang, not a speed expectation: on a busy machine the admin's first load is slow.
  await Promise.all([page.waitForURL((url) => !url.pathname.includes('/auth/'), { timeout: 120_000 }), page.locator('button[type="submit"]').click()]);
}
