import { compileStrapi, createStrapi, type Core } from '@strapi/strapi';
import { APP_ROOT } from '../../src/config/app-root';
import { disableTelemetry, loadEnvFile } from './env-file';
import path from 'node:path';

/**
 * Loads Strapi without its HTTP server, for commands (seed, worker, CLI): compiles the TypeScript
 * sources first (incremental, so a no-op when nothing changed).
 */
export async function loadStrapi(options: { compile?: boolean; logLevel?: string } = {}): Promise<Core.Strapi> {
  disableTelemetry();
  loadEnvFile(path.join(APP_ROOT, '.env'));
  const dirs = options.compile === false
    ? { appDir: APP_ROOT, distDir: path.join(APP_ROOT, 'dist') }
    : await compileStrapi({ appDir: APP_ROOT });
  const app = createStrapi({ ...dirs, autoReload: false });
  if (options.logLevel) app.log.level = options.logLevel;
  await app.load();
  return app;
}
