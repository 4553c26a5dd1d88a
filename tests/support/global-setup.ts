import path from 'node:path';
import { strapiModule } from './strapi-module';

/** Compiles the Strapi app once per test run; every integration file loads the compiled app. */
export default async function setup(): Promise<void> {
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  const started = Date.now();
  await strapiModule.compileStrapi({ appDir: path.resolve(__dirname, '..', '..') });
  console.log(`[tests] Strapi compiled in ${Date.now() - started} ms (database: ${process.env.DATABASE_CLIENT ?? 'sqlite'})`);
}
