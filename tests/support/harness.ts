import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { seedDemoContent, type SeedOptions } from '../../database/seed/seed';
import { startMailSink, type MailSink } from '../../scripts/mail-sink/server';
import { chromiumAvailable, launchChromium, logIn, type EditorLogin } from './browser';
import { killLeftoverChildren } from './children';
import { createScratchDatabase } from '../../scripts/lib/scratch-database';
import { createTestDatabase, type TestDatabase } from './database';
import { snapshotDatabase, type DatabaseSnapshot } from './db-snapshot';
import { deleteRedisPrefix, testRedisPrefix } from './redis';
import { startStrapi, type TestApp } from './strapi';
import { startWorker, type WorkerProcess } from './worker';
import { cmsServices } from '../../src/app/cms';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set for the project whose files share one CMS per process (vitest.config.mts). */
    sharedCms: boolean;
    /** How the shared CMS of each test process makes its database (named by the global setup, which drops them at the end). */
    sharedDatabase: { client: 'sqlite' | 'postgres'; postgresUrl: string; purpose: string; redisPrefix: string };
  }
}

/** The demo editor (role Editor) the admin-panel browser tests log in as (created by the seed). */
export const DEMO_EDITOR: EditorLogin = { email: 'redactie@example.org', password: 'Redactie-Test-2026!' };
/** The demo author (role Author). */
export const DEMO_AUTHOR: EditorLogin = { email: 'auteur@example.org', password: 'Auteur-Test-2026!' };

/** The SendGrid stand-in every CMS of a test process sends to. */
const SINK_API_KEY = 'SG.test-harness';

export interface CmsOptions {
  /** Names the file's Redis prefix (queues, rate limits), removed at the end of the file. */
  name: string;
  /** Serve HTTP (app.url; PUBLIC_URL points there). Without it, PUBLIC_URL is unset as on a CMS that never listened. */
  listen?: boolean;
  /** Load the demo content (with these options) before the file's own set-up. */
  seed?: boolean | SeedOptions;
  /**
   * Settings of this file, in process.env for the file's duration: the CMS reads them when a part
   * of it is first used after the file starts (mail, queues, limits, webhook, newsletter settings),
   * the worker at its start, the test's own engine when it is built. Settings the CMS only reads
   * while booting (CORS, HOST/PORT, TRUST_PROXY aside) are for files that boot their own.
   */
  env?: Record<string, string>;
  /** Start a worker process (`npm run worker`) with these extra settings once the content is in. */
  worker?: boolean | Record<string, string>;
  /** Log in to the admin panel in chromium (English admin) as this account (the demo editor by default); implies the demo seed with the demo accounts. */
  editor?: boolean | EditorLogin;
}

export interface Cms {
  readonly app: TestApp;
  readonly strapi: Core.Strapi;
  /** Base URL of the CMS (when listening). */
  readonly url: string;
  /** The CMS's database connection. */
  readonly db: Knex;
  /** The SendGrid stand-in the CMS, its workers and the test's engines send to (emptied for each file). */
  readonly sink: MailSink;
  /** This file's Redis prefix (REDIS_PREFIX). */
  readonly redisPrefix: string;
  /** The logged-in admin page (option `editor`). */
  readonly page: Page;
  readonly browser: Browser;
  /** The worker started by option `worker` (or the last startWorker). */
  readonly worker: WorkerProcess;
  /** A further worker process with the file's settings plus `env`; stopped at the end of the file. */
  startWorker(env?: Record<string, string>): Promise<WorkerProcess>;
  /**
   * Stops the CMS and boots it again on the same database (what a deployment's restart does),
   * with `env` added to the file's settings (for a file apart: settings read only at boot).
   */
  restart(options?: { listen?: boolean; env?: Record<string, string> }): Promise<void>;
}

/** The CMS a test process keeps between files (project `shared`); kept on globalThis so it outlives any one file. */
interface SharedCms {
  app: TestApp;
  sink: MailSink;
  database: TestDatabase;
  snapshot: DatabaseSnapshot;
  /** process.env right after the boot (PUBLIC_URL included), what every file starts from. */
  bootEnv: NodeJS.ProcessEnv;
  bootPrefix: string;
}
const holder = globalThis as { __netwerkpostSharedCms?: SharedCms };

/**
 * Gives a test file the real parts it asks for, set up before its tests and taken down after them:
 *
 *   const cms = useCms({ name: 'archive', listen: true, seed: true, env: { NEWSLETTER_BATCH_SIZE: '2' } });
 *   it('...', async () => { await fetch(`${cms.url}/newsletter/archive`); cms.sink.recipients(); });
 *
 * Call it once, at the top of the file, before the file's own beforeAll (which runs after it and may
 * add content). In the `shared` project (vitest.config.mts) the files of one process share one
 * booted CMS: each file starts from the database as it stood right after the boot, an empty
 * stand-in, its own Redis prefix and its own settings. Files in the `apart` project get a CMS of their own.
 */
export function useCms(options: CmsOptions): Cms {
  const sharedMode = inject('sharedCms') === true;
  const prefix = options.env?.REDIS_PREFIX ?? testRedisPrefix(options.name);
  const fileEnv = { ...options.env, REDIS_PREFIX: prefix };
  const workers: WorkerProcess[] = [];
  let own: { app: TestApp; sink: MailSink; database: TestDatabase } | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let worker: WorkerProcess | undefined;

  const current = () => {
    const parts = sharedMode ? holder.__netwerkpostSharedCms : own;
    if (!parts) throw new Error('useCms: the CMS is not started (use it inside tests and hooks, after useCms was called at the top of the file)');
    return parts;
  };
  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useCms: no ${what} (see the options of useCms)`);
    return value;
  };

  const cms: Cms = {
    get app() {
      return current().app;
    },
    get strapi() {
      return current().app.strapi;
    },
    get url() {
      return current().app.url;
    },
    get db() {
      return current().app.strapi.db.connection as unknown as Knex;
    },
    get sink() {
      return current().sink;
    },
    redisPrefix: prefix,
    get page() {
      return required(page, 'page (option editor)');
    },
    get browser() {
      return required(browser, 'browser (option editor)');
    },
    get worker() {
      return required(worker, 'worker (option worker, or startWorker)');
    },
    async startWorker(env = {}) {
      const started = await startWorker(env);
      workers.push(started);
      worker = started;
      return started;
    },
    async restart(again = {}) {
      if (sharedMode) {
        // The next files expect the CMS as it booted: only settings they set themselves may differ.
        if (again.env || again.listen === false)
          throw new Error('useCms: a shared CMS restarts as it booted (put the file in the apart project for other boot settings)');
        const shared = current() as SharedCms;
        await shared.app.stop();
        shared.app = await startStrapi(shared.database, { listen: true, env: { ...sharedBootEnv(shared), ...fileEnv } });
        // A new port: the next files' PUBLIC_URL (mail links, the worker's) must name it.
        shared.bootEnv = { ...shared.bootEnv, PUBLIC_URL: shared.app.url };
      } else {
        const parts = current() as NonNullable<typeof own>;
        await parts.app.stop();
        parts.app = await startStrapi(parts.database, { listen: again.listen ?? options.listen, env: { ...sinkEnv(parts.sink), ...fileEnv, ...again.env } });
      }
    },
  };

  beforeAll(async () => {
    if (sharedMode) {
      const shared = holder.__netwerkpostSharedCms ?? (holder.__netwerkpostSharedCms = await bootShared());
      await shared.snapshot.restore(shared.app.strapi.db.connection as unknown as Knex);
      shared.sink.reset();
      shared.sink.clearFaults();
      shared.sink.setWebhook(null);
      setProcessEnv({ ...shared.bootEnv, ...fileEnv }, options.listen ? [] : ['PUBLIC_URL']);
      // Koa reads its proxy setting per request; config/server.ts takes it from TRUST_PROXY.
      shared.app.strapi.server.app.proxy = process.env.TRUST_PROXY === 'true';
      // What the CMS built on first use came from the previous file's (or the boot's) settings.
      await closeLazyConnections(shared.app.strapi);
    } else {
      const sink = await startMailSink({ port: 0, apiKey: SINK_API_KEY, maxStored: 100_000 });
      const database = await createTestDatabase();
      own = { sink, database, app: await startStrapi(database, { listen: options.listen, env: { ...sinkEnv(sink), ...fileEnv } }) };
    }
    const strapi = current().app.strapi;
    const editor = options.editor === true ? DEMO_EDITOR : options.editor || undefined;
    if (options.seed || editor) {
      const seedOptions = typeof options.seed === 'object' ? options.seed : {};
      await seedDemoContent(strapi, editor ? { accounts: { editor: DEMO_EDITOR, author: DEMO_AUTHOR }, ...seedOptions } : seedOptions);
    }
    // Without chromium the browser tests skip themselves (tests/support/browser.ts).
    if (editor && chromiumAvailable) {
      browser = await launchChromium();
      page = await browser.newPage({ locale: 'en-GB' });
      await logIn(page, current().app.url, editor);
    }
    if (options.worker) await cms.startWorker(options.worker === true ? {} : options.worker);
  });

  afterAll(async () => {
    await Promise.all(workers.splice(0).map((each) => each.kill('SIGTERM')));
    const left = await killLeftoverChildren();
    if (left > 0) console.warn(`[harness] ${options.name}: ended ${left} worker or CLI process(es) the file left running`);
    await browser?.close();
    if (sharedMode) {
      const shared = holder.__netwerkpostSharedCms;
      // Events the stand-in still holds would reach the CMS after the file's Redis prefix is gone.
      shared?.sink.setWebhook(null);
      // The CMS opens its Redis connections and queues on first use, with the settings of that
      // moment: closed now, the next file's use opens them with its own settings.
      if (shared) await closeLazyConnections(shared.app.strapi);
      await deleteRedisPrefix(prefix);
      if (shared) setProcessEnv(shared.bootEnv);
    } else {
      await own?.app.stop();
      await deleteRedisPrefix(prefix);
      await own?.database.drop();
      await own?.sink.close();
      own = undefined;
    }
  });

  return cms;
}

function sinkEnv(sink: MailSink): Record<string, string> {
  return { SENDGRID_API_URL: sink.url, SENDGRID_API_KEY: SINK_API_KEY };
}

function sharedBootEnv(shared: SharedCms): Record<string, string> {
  return { ...sinkEnv(shared.sink), REDIS_PREFIX: shared.bootPrefix };
}

async function bootShared(): Promise<SharedCms> {
  const { client, postgresUrl, purpose, redisPrefix } = inject('sharedDatabase');
  // One CMS per test process: the run's processes of project `shared` work side by side, each on a database of its own.
  const made = await createScratchDatabase({ client, postgresUrl, purpose });
  const database: TestDatabase = { ...made, drop: async () => undefined };
  const bootPrefix = `${redisPrefix}-${process.env.VITEST_POOL_ID ?? '0'}`;
  const sink = await startMailSink({ port: 0, apiKey: SINK_API_KEY, maxStored: 100_000 });
  const app = await startStrapi(database, { listen: true, env: { ...sinkEnv(sink), REDIS_PREFIX: bootPrefix } });
  const snapshot = await snapshotDatabase(app.strapi.db.connection as unknown as Knex, client);
  const shared: SharedCms = { app, sink, database, snapshot, bootEnv: { ...process.env }, bootPrefix };
  // Nothing else in this process would close them: the process ends when its last file is done.
  return shared;
}

/** Makes process.env exactly `env`, without the keys in `unset`. */
function setProcessEnv(env: NodeJS.ProcessEnv, unset: string[] = []): void {
  for (const key of Object.keys(process.env)) if (!(key in env) || unset.includes(key)) delete process.env[key];
  for (const [key, value] of Object.entries(env)) if (value !== undefined && !unset.includes(key)) process.env[key] = value;
}

/**
 * Closes the connections and queues the CMS's composition root opened on first use (src/app/cms.ts),
 * without stopping the CMS itself; it builds them again, from the settings of that moment, when
 * they are next used.
 */
async function closeLazyConnections(strapi: Core.Strapi): Promise<void> {
  await cmsServices(strapi).close();
}
