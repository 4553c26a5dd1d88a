import type { Core } from '@strapi/strapi';
import { readSecretList } from '../src/settings/secrets';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => ({
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  url: env('PUBLIC_URL', ''),
  // Behind a reverse proxy, X-Forwarded-For gives the client's address (per-IP limits need it).
  proxy: { koa: env.bool('TRUST_PROXY', false) },
  app: {
    keys: readSecretList('APP_KEYS'),
  },
  // Nothing phones home: no update check (telemetry is off in package.json and the environment).
  logger: {
    updates: { enabled: false },
    startup: { enabled: env.bool('STRAPI_STARTUP_MESSAGE', true) },
  },
});

export default config;
