import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoContent } from '../../database/seed/seed';
import { articles as demoArticles } from '../../database/seed/demo-content';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { deleteRedisPrefix, testRedisPrefix } from '../support/redis';
import { startStrapi, type TestApp } from '../support/strapi';
import { freePort } from '../../scripts/lib/free-port';

/**
 * The HTTP edge: CORS never hands admin credentials to another
 * origin, guards hold for every spelling of a path, and no response names the server software.
 */
let database: TestDatabase;
let app: TestApp;
let ownOrigin: string;
const foreign = 'https://www.example.org';
const editor = { email: 'edge-editor@example.org', password: 'Edge-hardening-password-1' };
const redisPrefix = testRedisPrefix('edge');
const draft = demoArticles.find((article) => !article.published)!;

beforeAll(async () => {
  database = await createTestDatabase();
  // A known port, so that the default allow-list (the CMS's own http://HOST:PORT) is known too.
  const port = await freePort();
  ownOrigin = `http://127.0.0.1:${port}`;
  app = await startStrapi(database, { listen: true, env: { PORT: String(port), PUBLIC_URL: '', CORS_ORIGINS: '', REDIS_PREFIX: redisPrefix } });
  await seedDemoContent(app.strapi, { accounts: { editor } });
});

afterAll(async () => {
  await app?.stop();
  await database?.drop();
  await deleteRedisPrefix(redisPrefix);
});

async function login(origin?: string) {
  return fetch(`${app.url}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
    body: JSON.stringify(editor),
  });
}

function refreshCookie(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

describe('CORS', () => {
  it('gives another origin no admin access token: no CORS headers on /admin/access-token', async () => {
    const cookie = refreshCookie(await login());
    expect(cookie).toContain('strapi_admin_refresh=');
    const response = await fetch(`${app.url}/admin/access-token`, {
      method: 'POST',
      headers: { origin: foreign, cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('answers no admin login or preflight from another origin', async () => {
    const response = await login(foreign);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    for (const path of ['/admin/access-token', '/admin/login', '/ADMIN/access-token']) {
      const preflight = await fetch(`${app.url}${path}`, {
        method: 'OPTIONS',
        headers: { origin: foreign, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(preflight.headers.get('access-control-allow-origin'), path).toBeNull();
      expect(preflight.headers.get('access-control-allow-credentials'), path).toBeNull();
    }
  });

  it('answers the CMS own origin with credentials', async () => {
    const response = await login(ownOrigin);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ownOrigin);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    const token = await fetch(`${app.url}/admin/access-token`, {
      method: 'POST',
      headers: { origin: ownOrigin, cookie: refreshCookie(response), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(token.status).toBe(200);
    expect(token.headers.get('access-control-allow-origin')).toBe(ownOrigin);
  });

  it('lets another origin read the public API, without credentials', async () => {
    const response = await fetch(`${app.url}/api/articles`, { headers: { origin: foreign } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(foreign);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    const post = await fetch(`${app.url}/api/subscriptions`, { method: 'OPTIONS', headers: { origin: foreign, 'access-control-request-method': 'POST' } });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('still works without an Origin header', async () => {
    expect((await login()).status).toBe(200);
    expect((await fetch(`${app.url}/api/articles`)).status).toBe(200);
  });
});

describe('drafts stay private whatever the path spelling', () => {
  it.each(['/api/articles', '/API/articles', '/Api/articles', '//api//articles', '/%61pi/articles', '/api/articles/', '/api/Articles'])(
    '%s?status=draft serves no draft',
    async (path) => {
      const response = await fetch(`${app.url}${path}?status=draft&pagination[pageSize]=100`);
      expect(await response.text()).not.toContain(draft.title.nl);
    },
  );

  it('findOne of a draft by documentId is 404 in every spelling, also with a non-bearer Authorization', async () => {
    const document = await app.strapi.documents('api::article.article').findFirst({ locale: 'nl', status: 'draft', filters: { slug: draft.slug.nl } });
    for (const path of ['/api/articles', '/API/articles', '/Api/ARTICLES', '/api/articles/../articles']) {
      const response = await fetch(`${app.url}${path}/${document!.documentId}?status=draft`);
      expect(await response.text(), path).not.toContain(draft.title.nl);
    }
    const basic = await fetch(`${app.url}/api/articles?status=draft&pagination[pageSize]=100`, { headers: { authorization: 'Basic eDp5' } });
    expect(basic.status).toBe(200);
    expect(await basic.text()).not.toContain(draft.title.nl);
  });

  it('answers a path with malformed percent-encoding with 400', async () => {
    const response = await fetch(`${app.url}/api/articles%zz`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/not valid/);
  });
});

describe('the 16 KiB body limit holds for every spelling', () => {
  const big = JSON.stringify({ email: 'big@example.org', locale: 'nl', consent: true, name: 'x'.repeat(100_000) });

  it.each(['/api/subscriptions', '/API/subscriptions', '//api/subscriptions', '/api/Subscriptions', '/api/subscriptions/', '/%61pi/subscriptions'])(
    '%s refuses 100 KB with 413',
    async (path) => {
      const response = await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
      expect(response.status).toBe(413);
    },
  );

  function chunked(path: string, headers: Record<string, string> = {}): Promise<number> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        `${app.url}${path}`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...headers } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      for (let i = 0; i < 10; i++) request.write(big.slice(i * 10_000, (i + 1) * 10_000));
      request.end(big.slice(100_000));
    });
  }

  it('refuses a body of unknown length (chunked, no Content-Length) on those paths', async () => {
    expect(await chunked('/api/subscriptions')).toBe(411);
    expect(await chunked('/API/subscriptions')).toBe(411);
  });

  it('refuses a compressed body on those paths', async () => {
    const response = await fetch(`${app.url}/api/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: 'x',
    });
    expect(response.status).toBe(415);
  });
});

describe('no X-Powered-By', () => {
  it('on any kind of response', async () => {
    const responses = await Promise.all([
      fetch(`${app.url}/_health`),
      fetch(`${app.url}/api/articles`),
      fetch(`${app.url}/api/nothing-here`),
      fetch(`${app.url}/api/articles?filters[title][$between]=a`),
      fetch(`${app.url}/newsletter?lang=nl`),
      fetch(`${app.url}/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"email":"nobody@example.org","password":"x"}',
      }),
    ]);
    for (const response of responses) expect(response.headers.get('x-powered-by'), response.url).toBeNull();
  });
});
