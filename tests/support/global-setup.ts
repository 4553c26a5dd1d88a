import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { deleteRedisPrefix } from '../../scripts/lib/redis-server';
import { redisAnswers, startPrivateRedis } from '../../scripts/lib/redis-server';
import { CHROMIUM, chromiumAvailable, ensureAdminBuild } from './browser';
import { createTestDatabase } from './database';
import { testRedisPrefix } from './redis';
import { strapiModule } from './strapi-module';

const APP_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Once per test run: compiles the Strapi app (every integration file loads the compiled app), builds
 * the admin panel when it is missing or older than its sources (browser tests), and
 * makes sure Redis answers: REDIS_URL when it does, else a private redis-server like `npm run dev`;
 * and makes the scratch database the shared CMS of project `shared` runs on (tests/support/harness.ts).
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
  const shared = await createTestDatabase();
  const sharedPrefix = testRedisPrefix('shared-boot');
  project.provide('sharedDatabase', { client: shared.client, env: shared.env, redisPrefix: sharedPrefix });
  return async () => {
    await shared.drop();
    // The shared CMS's copy of its freshly booted database (tests/support/db-snapshot.ts).
    if (shared.client === 'postgres') await createScratchSchemaDropper(shared.env)();
    await deleteRedisPrefix(process.env.REDIS_URL || redisUrl, sharedPrefix).catch(() => undefined);
    privateRedis?.kill();
  };
}

function createScratchSchemaDropper(env: Record<string, string>): () => Promise<void> {
  return async () => {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${env.DATABASE_SCHEMA}_snapshot" CASCADE`);
    } finally {
      await client.end();
    }
  };
}
