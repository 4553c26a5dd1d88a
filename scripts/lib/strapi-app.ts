import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { loadStrapi as loadApp } from '../../src/app/load-strapi';
import { APP_ROOT } from '../../src/settings/app-root';
import { disableTelemetry, loadEnvFile } from './env-file';

/**
 * Strapi headless for the commands (seed, gdpr, newsletter): development's `.env` first (variables
 * the shell set win), then the app's composition root (src/app/load-strapi.ts), which the worker
 * uses directly.
 */
export async function loadStrapi(options: { compile?: boolean; logLevel?: string } = {}): Promise<Core.Strapi> {
  disableTelemetry();
  loadEnvFile(path.join(APP_ROOT, '.env'));
  return loadApp(options);
}
