import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { deleteRedisPrefix } from '../../scripts/lib/redis-server';
import { redisAnswers, startPrivateRedis } from '../../scripts/lib/redis-server';
import { CHROMIUM, chromiumAvailable, ensureAdminBuild } from './browser';
import { testRedisPrefix } from './redis';
import { strapiModule } from './strapi-module';

const APP_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Once per test run: compiles the Strapi app (every integration file loads the compiled app), builds
 * the admin panel when it is missing or older than its sources (browser tests), and
 * makes sure Redis answers: REDIS_URL when it does, else a private redis-server like `npm run dev`;
 * and names the run's databases for the shared CMSs of project `shared` (tests/support/harness.ts),
 * removed at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  let privateRedis: ChildProcess | undefined;
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (!(await redisAnswers(redisUrl))) {
    const redis = await startPrivateRedis(APP_ROOT, 6391);
    privateRedis = redis.child;
    process.env.REDIS_URL = redis.url;
    console.log(`[tests] no Redis at ${redisUrl}: started a private redis-server at ${redis.url}`);
  }
  const started = Date.now();
  await strapiModule.compileStrapi({ appDir: APP_ROOT });
  console.log(`[tests] Strapi compiled in ${Date.now() - started} ms (database: ${process.env.DATABASE_CLIENT ?? 'sqlite'})`);
  // Without chromium the browser tests skip themselves: acceptable on a laptop, never in CI, where
  // a skipped browser test would be a passing run that tested nothing an editor does.
  if (!chromiumAvailable) {
    if (process.env.CI === 'true')
      throw new Error(`CI: no chromium at ${CHROMIUM}; the admin-panel browser tests cannot be skipped here (apt-get install chromium)`);
    console.warn(`[tests] no chromium at ${CHROMIUM}: the browser tests are SKIPPED (apt-get install chromium)`);
  }
  // The admin-panel browser tests need a current admin build; here, outside any test's time limit.
  if (chromiumAvailable) ensureAdminBuild();
  // Each test process of project `shared` boots its CMS on a database of its own, named after this
  // run, so that this run's teardown removes them all (and never another run's).
  const run = randomBytes(4).toString('hex');
  const client = process.env.DATABASE_CLIENT === 'postgres' ? 'postgres' : 'sqlite';
  const postgresUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databasePurpose = `tests_shared_${run}`;
  const sharedPrefix = testRedisPrefix(`shared-boot-${run}`);
  project.provide('sharedDatabase', { client, postgresUrl, purpose: databasePurpose, redisPrefix: sharedPrefix });
  return async () => {
    await dropSharedDatabases(client, postgresUrl, databasePurpose);
    // Each process's CMS booted under `<prefix>-<its pool id>` (a glob: Redis's SCAN MATCH takes one).
    await deleteRedisPrefix(process.env.REDIS_URL || redisUrl, `${sharedPrefix}-*`).catch(() => undefined);
    privateRedis?.kill();
  };
}

/** The shared CMSs' databases of this run: SQLite files in their folder, or PostgreSQL schemas (with their snapshots). */
async function dropSharedDatabases(client: 'sqlite' | 'postgres', postgresUrl: string, purpose: string): Promise<void> {
  if (client === 'sqlite') {
    fs.rmSync(path.join(APP_ROOT, '.tmp', purpose), { recursive: true, force: true });
    return;
  }
  const { Client } = await import('pg');
  const pg = new Client({ connectionString: postgresUrl });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ name: string }>(`SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE $1`, [
      `${purpose}\\_%`,
    ]);
    for (const { name } of rows) await pg.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await pg.end();
  }
}
