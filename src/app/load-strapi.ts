import path from 'node:path';
import { compileStrapi, createStrapi, type Core } from '@strapi/strapi';
import { APP_ROOT } from '../config/app-root';

/**
 * The composition root's first step for every process that is not the CMS (worker, CLI, seed):
 * Strapi without its HTTP server. It reads the environment only; development's `.env` is loaded
 * by the dev commands (scripts/), never here. `compile: false` runs the compiled app in `dist/`.
 */
export async function loadStrapi(options: { compile?: boolean; logLevel?: string } = {}): Promise<Core.Strapi> {
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  const dirs = options.compile === false ? { appDir: APP_ROOT, distDir: path.join(APP_ROOT, 'dist') } : await compileStrapi({ appDir: APP_ROOT });
  const app = createStrapi({ ...dirs, autoReload: false });
  if (options.logLevel) app.log.level = options.logLevel;
  await app.load();
  return app;
}
