import type { Browser, Page } from 'playwright-core';
import { seedDemoContent } from '../../database/seed/seed';
import { launchChromium, logIn, type EditorLogin } from './browser';
import { createTestDatabase, type TestDatabase } from './database';
import { deleteRedisPrefix, testRedisPrefix } from './redis';
import { startStrapi, type TestApp } from './strapi';

/** The demo editor (role Editor) the admin-panel browser tests log in as (created by the seed). */
export const DEMO_EDITOR: EditorLogin = { email: 'redactie@example.org', password: 'Redactie-Test-2026!' };
/** The demo author (role Author). */
export const DEMO_AUTHOR: EditorLogin = { email: 'auteur@example.org', password: 'Auteur-Test-2026!' };

export interface EditorSession {
  app: TestApp;
  page: Page;
  stop(): Promise<void>;
}

/**
 * What every admin-panel browser test starts from: a fresh database with the demo content, the CMS
 * listening, and the demo editor logged in in Debian's chromium (English admin). `env` adds to the
 * CMS's environment (e.g. the mail stand-in's URL); a worker started afterwards inherits it.
 */
export async function startEditorSession(name: string, options: { env?: Record<string, string> } = {}): Promise<EditorSession> {
  const prefix = testRedisPrefix(name);
  let database: TestDatabase | undefined;
  let app: TestApp | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    await deleteRedisPrefix(prefix);
    await app?.stop();
    await database?.drop();
  };
  try {
    database = await createTestDatabase();
    app = await startStrapi(database, { listen: true, env: { REDIS_PREFIX: prefix, ...options.env } });
    await seedDemoContent(app.strapi, { accounts: { editor: DEMO_EDITOR, author: DEMO_AUTHOR } });
    browser = await launchChromium();
    const page = await browser.newPage({ locale: 'en-GB' });
    await logIn(page, app.url, DEMO_EDITOR);
    return { app, page, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
