import type { Core } from '@strapi/strapi';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { TestDatabase } from './database';
import { strapiModule } from './strapi-module';

const APP_ROOT = path.resolve(__dirname, '..', '..');

export interface TestApp {
  strapi: Core.Strapi;
  /** Base URL of the HTTP server, when started with listen. */
  url: string;
  stop(): Promise<void>;
}

const testSecrets: Record<string, string> = {
  APP_KEYS: [randomBytes(16).toString('base64'), randomBytes(16).toString('base64')].join(','),
  API_TOKEN_SALT: randomBytes(16).toString('base64'),
  ADMIN_JWT_SECRET: randomBytes(16).toString('base64'),
  TRANSFER_TOKEN_SALT: randomBytes(16).toString('base64'),
  JWT_SECRET: randomBytes(16).toString('base64'),
  ENCRYPTION_KEY: randomBytes(16).toString('base64'),
  TOKEN_SECRET: randomBytes(32).toString('base64'),
};

/**
 * Boots the compiled app (see global-setup) on the given database. With `listen`, it also serves
 * HTTP on a free loopback port. Several boots in one file are fine as long as the previous one stopped.
 */
export async function startStrapi(database: TestDatabase, options: { listen?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
  Object.assign(process.env, {
    NODE_ENV: 'test',
    STRAPI_TELEMETRY_DISABLED: 'true',
    HOST: '127.0.0.1',
    PORT: '0',
    STRAPI_STARTUP_MESSAGE: 'false',
    ...testSecrets,
    ...database.env,
    ...options.env,
  });
  const listeners = snapshotProcessListeners();
  const strapi = strapiModule.createStrapi({ appDir: APP_ROOT, distDir: path.join(APP_ROOT, 'dist'), autoReload: false });
  strapi.log.level = 'error';
  await strapi.load();
  let url = '';
  if (options.listen) {
    await strapi.listen();
    const address = strapi.server.httpServer.address() as AddressInfo;
    url = `http://127.0.0.1:${address.port}`;
    process.env.PUBLIC_URL = url;
  }
  return {
    strapi,
    url,
    async stop() {
      await strapi.destroy();
      restoreProcessListeners(listeners);
    },
  };
}

type ListenerSnapshot = Array<[string | symbol, Array<(...args: unknown[]) => void>]>;

/**
 * Strapi's destroy() calls process.removeAllListeners(), which also removes the test runner's own
 * IPC listeners in this worker process; they are put back afterwards.
 */
function snapshotProcessListeners(): ListenerSnapshot {
  return process.eventNames().map((name) => [name, process.listeners(name as never) as Array<(...args: unknown[]) => void>]);
}

function restoreProcessListeners(snapshot: ListenerSnapshot): void {
  for (const [name, listeners] of snapshot) {
    const present = new Set(process.listeners(name as never));
    for (const listener of listeners) if (!present.has(listener as never)) process.on(name as never, listener as never);
  }
}
