import path from 'node:path';
import { compileStrapi, createStrapi, type Core } from '@strapi/strapi';
import { APP_ROOT } from '../settings/app-root';
import { loadEnvFile } from '../settings/env-file';

/**
 * The composition root's first step for every process that is not the CMS (worker, CLI, seed):
 * Strapi without its HTTP server. It reads the environment only; development's `.env` is loaded
 * by loadCommandStrapi, for the commands. `compile: false` runs the compiled app in `dist/`.
 */
export async function loadStrapi(options: { compile?: boolean; logLevel?: string; ownSignals?: boolean } = {}): Promise<Core.Strapi> {
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  const dirs = options.compile === false ? { appDir: APP_ROOT, distDir: path.join(APP_ROOT, 'dist') } : await compileStrapi({ appDir: APP_ROOT });
  const before = new Set([...process.listeners('SIGTERM'), ...process.listeners('SIGINT')]);
  const app = createStrapi({ ...dirs, autoReload: false });
  if (options.ownSignals) {
    // createStrapi makes Strapi destroy itself and exit on SIGTERM/SIGINT. A process that stops in
    // its own order (the worker: active jobs first, so a batch SendGrid accepted is recorded, then
    // Strapi) takes those handlers off at once: left on while Strapi loads, a Ctrl+C then destroyed
    // a Strapi not yet loaded, which crashed with a stack trace (conditionProvider).
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      for (const listener of process.listeners(signal)) if (!before.has(listener)) process.off(signal, listener);
    }
  }
  if (options.logLevel) app.log.level = options.logLevel;
  await app.load();
  return app;
}

/**
 * Strapi for the commands (mailings, gdpr, seed): development's `.env` first (variables the shell
 * set win), so that settings read before Strapi loads see it too.
 */
export async function loadCommandStrapi(options: { compile?: boolean; logLevel?: string } = {}): Promise<Core.Strapi> {
  loadEnvFile(path.join(APP_ROOT, '.env'));
  return loadStrapi(options);
}
