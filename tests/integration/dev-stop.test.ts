import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmsDevelopCommand } from '../../scripts/lib/cms-command';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { deleteRedisPrefix, testRedisPrefix } from '../support/redis';
import { until } from '../support/until';
import { freePort } from '../../scripts/lib/free-port';

/**
 * Stopping `npm run dev` (scripts/dev.ts): the CMS runs as dev starts it (cmsDevelopCommand:
 * `strapi develop`, its primary process forking the one that serves) and is stopped as dev stops
 * it on Ctrl+C: the terminal's SIGINT to every process of the group, then the dev command's
 * SIGTERM to the CMS it started. Both processes end, and nothing is printed but Strapi's own
 * shutdown lines: no stack trace. `strapi develop` compiles into the app's dist/ (emptying it
 * first), so it runs on a copy of the app, never in the dist/ the other test files load.
 */
const APP_ROOT = path.resolve(__dirname, '..', '..');
const COPIED = ['config', 'src', 'database', 'workers', 'public', 'emails', 'package.json', 'tsconfig.json', 'favicon.png'];
const redisPrefix = testRedisPrefix('dev-stop');
let appCopy: string;
let database: TestDatabase;

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  // Lower case: Strapi's email plugin cannot load a provider from a path with capitals (config/plugins.ts).
  appCopy = path.join(os.tmpdir(), `np-dev-stop-${randomBytes(6).toString('hex')}`);
  fs.mkdirSync(appCopy);
  for (const entry of COPIED) fs.cpSync(path.join(APP_ROOT, entry), path.join(appCopy, entry), { recursive: true });
  // The admin panel as dev's own build step leaves it (global setup built it for this worktree).
  if (fs.existsSync(path.join(APP_ROOT, 'dist', 'build')))
    fs.cpSync(path.join(APP_ROOT, 'dist', 'build'), path.join(appCopy, 'dist', 'build'), { recursive: true });
  fs.symlinkSync(path.join(APP_ROOT, 'node_modules'), path.join(appCopy, 'node_modules'), 'dir');
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
  await deleteRedisPrefix(redisPrefix);
  if (appCopy) fs.rmSync(appCopy, { recursive: true, force: true });
});

describe('stopping npm run dev', () => {
  it("Ctrl+C and the dev command's SIGTERM stop the CMS without a stack trace", async () => {
    const port = await freePort();
    const secret = () => randomBytes(16).toString('base64');
    const { command, args } = cmsDevelopCommand(appCopy);
    // A process group of its own, as the terminal gives dev and everything dev starts.
    const cms = spawn(command, args, {
      cwd: appCopy,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...database.env,
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        REDIS_PREFIX: redisPrefix,
        ADMIN_AUTO_OPEN: 'false',
        STRAPI_TELEMETRY_DISABLED: 'true',
        APP_KEYS: `${secret()},${secret()}`,
        API_TOKEN_SALT: secret(),
        ADMIN_JWT_SECRET: secret(),
        TRANSFER_TOKEN_SALT: secret(),
        JWT_SECRET: secret(),
        ENCRYPTION_KEY: secret(),
        TOKEN_SECRET: randomBytes(32).toString('base64'),
      },
    });
    let stderr = '';
    let stdout = '';
    cms.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    cms.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<void>((resolve) => cms.once('exit', () => resolve()));
    try {
      await until(
        'the CMS answers',
        async () => {
          if (cms.exitCode !== null) throw new Error(`the CMS exited (${cms.exitCode}):\n${stderr}\n${stdout.slice(-3000)}`);
          return (await fetch(`http://127.0.0.1:${port}/_health`).catch(() => null))?.status === 204;
        },
        240_000,
      );
      // The admin panel, built by dev's own step rather than by develop, is served.
      const admin = await fetch(`http://127.0.0.1:${port}/admin`);
      expect(admin.status).toBe(200);
      expect(await admin.text()).toContain('<div id="strapi"');

      process.kill(-cms.pid!, 'SIGINT');
      cms.kill('SIGTERM');
      await exited;
      await until('every process of the CMS has ended', async () => !groupAlive(cms.pid!), 30_000);
    } finally {
      if (groupAlive(cms.pid!)) process.kill(-cms.pid!, 'SIGKILL');
    }
    expect(stderr).not.toMatch(/conditionProvider|TypeError|\n\s+at /);
    expect(stdout).toContain('Shutting down Strapi');
    expect(await fetch(`http://127.0.0.1:${port}/_health`).catch(() => null)).toBeNull();
  }, 360_000);
});
