import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { seedDemoContent } from '../../database/seed/seed';
import { createScratchDatabase, type ScratchDatabase } from '../../scripts/lib/scratch-database';
import { createJsonLogger } from '../../src/core/infra/log';
import { createFakeSubscribers } from '../../src/ops/fake-subscribers';
import { assembleEdition } from '../../src/mailings/edition/assemble';
import { createMailingDeps } from '../../src/app/mailing-deps';

export const APP_ROOT = path.resolve(__dirname, '..', '..');
/** Strapi's ESM build does not load under Node's ESM resolver: use its CommonJS build (see tests/support/strapi-module.ts). */
const strapiModule: typeof import('@strapi/strapi') = createRequire(__filename)('@strapi/strapi');

export type DatabaseKind = 'sqlite' | 'postgres';

export type BenchDatabase = ScratchDatabase;

export const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh SQLite file under .tmp/bench/, or a fresh schema in BENCH_DATABASE_URL; drop() removes it. */
export function createBenchDatabase(kind: DatabaseKind): Promise<BenchDatabase> {
  return createScratchDatabase({ client: kind, purpose: 'bench', postgresUrl: PG_URL });
}

/** Secrets and settings shared by the bench process and the worker (random per run, like the tests'). */
export function benchEnv(sinkUrl: string, sinkApiKey: string): Record<string, string> {
  const random = (bytes = 32) => randomBytes(bytes).toString('base64');
  return {
    NODE_ENV: 'test',
    STRAPI_TELEMETRY_DISABLED: 'true',
    HOST: '127.0.0.1',
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1:1337',
    STRAPI_STARTUP_MESSAGE: 'false',
    APP_KEYS: [random(16), random(16)].join(','),
    API_TOKEN_SALT: random(16),
    ADMIN_JWT_SECRET: random(16),
    TRANSFER_TOKEN_SALT: random(16),
    JWT_SECRET: random(16),
    ENCRYPTION_KEY: random(16),
    TOKEN_SECRET: random(),
    SENDGRID_API_URL: sinkUrl,
    SENDGRID_API_KEY: sinkApiKey,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}

export async function compileOnce(): Promise<void> {
  await strapiModule.compileStrapi({ appDir: APP_ROOT });
}

type ListenerSnapshot = Array<[string | symbol, Array<(...args: unknown[]) => void>]>;

export interface BenchStrapi {
  strapi: Core.Strapi;
  db: Knex;
  stop(): Promise<void>;
}

/** Strapi headless on the given database; stop() restores the process listeners its destroy() removes. */
export async function loadStrapi(env: Record<string, string>): Promise<BenchStrapi> {
  Object.assign(process.env, env);
  const listeners: ListenerSnapshot = process.eventNames().map((name) => [name, process.listeners(name as never) as Array<(...args: unknown[]) => void>]);
  const strapi = strapiModule.createStrapi({ appDir: APP_ROOT, distDir: path.join(APP_ROOT, 'dist'), autoReload: false });
  strapi.log.level = 'error';
  await strapi.load();
  return {
    strapi,
    db: strapi.db.connection as unknown as Knex,
    async stop() {
      await strapi.destroy();
      for (const [name, list] of listeners) {
        const present = new Set(process.listeners(name as never));
        for (const listener of list) if (!present.has(listener as never)) process.on(name as never, listener as never);
      }
    },
  };
}

export const quietLog = createJsonLogger('bench', () => undefined);

/** A new article published now in both locales, tagged with the given themes (as in tests/integration/newsletter.test.ts). */
async function publishArticle(strapi: Core.Strapi, slug: string, themes: string[]): Promise<void> {
  const themeIds = await Promise.all(
    themes.map(async (theme) => (await strapi.documents('api::theme.theme').findFirst({ locale: 'nl', filters: { slug: theme } } as never))!.documentId),
  );
  const documents = strapi.documents('api::article.article');
  const data = (locale: string) => ({
    title: `${slug} ${locale}`,
    slug: `${slug}-${locale}`,
    summary: `Summary of ${slug} (${locale})`,
    body: 'Body',
    publicationDate: '2026-11-20',
    themes: themeIds,
  });
  const created = await documents.create({ locale: 'nl', data: data('nl'), status: 'published' } as never);
  await documents.update({ documentId: created.documentId, locale: 'en', data: data('en'), status: 'published' } as never);
}

export interface Prepared {
  editionId: number;
  /** Active subscribers (the synthetic ones plus the demo seed's active ones): the recipients. */
  recipients: number;
  themes: string[];
  seconds: { seed: number; subscribers: number; edition: number };
}

/**
 * Demo seed; the seed's content goes into a first edition marked sent (as the integration test does);
 * N synthetic active subscribers (both locales, random themes); a new article with `articleThemes`
 * themes; an edition assembled for it. The edition stays `scheduled` with its review window ahead
 * (not due), so the worker's start-up tick leaves it alone until the bench sends it.
 */
export async function prepare(app: BenchStrapi, options: { subscribers: number; articleThemes: number; progress: (line: string) => void }): Promise<Prepared> {
  const { strapi, db } = app;
  const deps = createMailingDeps(strapi, quietLog);
  let mark = Date.now();
  const lap = () => {
    const seconds = (Date.now() - mark) / 1000;
    mark = Date.now();
    return seconds;
  };
  await seedDemoContent(strapi);
  const first = await assembleEdition(deps, { now: new Date(), periodKey: 'bench:seed' });
  await db('editions').where({ id: first.editionId }).update({ state: 'sent' });
  const seed = lap();

  const themes = ((await db('themes').distinct('slug').orderBy('slug')) as Array<{ slug: string }>).map((row) => row.slug);
  let reported = 0;
  await createFakeSubscribers(db, {
    count: options.subscribers,
    localeMix: true,
    themesRandom: true,
    themes,
    onProgress: (done) => {
      if (done - reported >= Math.max(50_000, options.subscribers / 4) || done === options.subscribers) {
        reported = done;
        options.progress(`subscribers ${done.toLocaleString('en')}/${options.subscribers.toLocaleString('en')} (${((Date.now() - mark) / 1000).toFixed(0)} s)`);
      }
    },
  });
  // No ANALYZE of its own: the send is timed as a network meets it right after adding readers in
  // bulk, with only the statistics the product itself refreshes (fake-subscribers and the import
  // analyze the subscribers table after writing).
  const subscribersSeconds = lap();

  await publishArticle(strapi, `bench-${Date.now().toString(36)}`, themes.slice(0, options.articleThemes));
  const edition = await assembleEdition(deps, { now: new Date(), periodKey: `bench:${Date.now()}` });
  if (edition.state !== 'scheduled') throw new Error(`the bench edition is ${edition.state}, expected scheduled`);
  const active = await db('subscribers').where({ state: 'active' }).count({ n: '*' }).first();
  return { editionId: edition.editionId, recipients: Number(active?.n ?? 0), themes, seconds: { seed, subscribers: subscribersSeconds, edition: lap() } };
}
