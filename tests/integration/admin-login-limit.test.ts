import IORedis from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCms } from '../support/harness';
import { deleteRedisPrefix, REDIS_URL, testRedisPrefix } from '../support/redis';

/**
 * Failed admin logins are limited in Redis per IP and per account across IPs (Strapi's own limit is
 * off: it counted logins that succeed). "The window passes" is simulated by removing the window's
 * keys, as Redis does when they expire.
 */
const redisPrefix = testRedisPrefix('admin-login');
const editor = { email: 'limit-editor@example.org', password: 'Limit-test-password-1' };
const app = useCms({ name: 'admin-login', seed: { accounts: { editor } }, env: { REDIS_PREFIX: redisPrefix } });
const limits = { ADMIN_LOGIN_LIMIT_PER_IP: '4', ADMIN_LOGIN_LIMIT_PER_ACCOUNT: '3', ADMIN_LOGIN_WINDOW_MINUTES: '15', REDIS_PREFIX: redisPrefix };

async function boot(trustProxy: boolean) {
  await deleteRedisPrefix(redisPrefix);
  await app.restart({ listen: true, env: { ...limits, TRUST_PROXY: String(trustProxy) } });
}

function post(path: string, body: unknown, ip?: string) {
  return fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(ip ? { 'x-forwarded-for': ip } : {}) },
    body: JSON.stringify(body),
  });
}

/** Strict-Transport-Security (global::strict-transport) of a few kinds of answer: pages, API, errors. */
async function strictTransport(headers: Record<string, string>): Promise<Array<string | null>> {
  const paths = ['/_health', '/api/articles', '/api/nothing-here', '/newsletter?lang=nl', '/admin'];
  return Promise.all(paths.map(async (path) => (await fetch(`${app.url}${path}`, { headers, redirect: 'manual' })).headers.get('strict-transport-security')));
}

async function expectLimited(response: Response) {
  expect(response.status).toBe(429);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  const body = (await response.json()) as { error: { message: string } };
  expect(body).toMatchObject({ data: null, error: { status: 429, name: 'RateLimitError' } });
  expect(body.error.message).toMatch(/Too many attempts\. Try again in \d+ minutes?\./);
}

describe('without a trusted proxy', () => {
  beforeAll(() => boot(false));

  it('limits failures per IP, across accounts, and X-Forwarded-For does not get around it', async () => {
    for (let i = 0; i < 4; i++) {
      expect((await post('/admin/login', { email: `guess${i}@example.org`, password: 'wrong' }, `10.1.0.${i}`)).status).toBe(400);
    }
    await expectLimited(await post('/admin/login', editor, '10.1.0.99'));
    await expectLimited(await post('/ADMIN//login/', editor));
  });

  it('lets the right password in once the window has passed', async () => {
    await deleteRedisPrefix(redisPrefix);
    expect((await post('/admin/login', editor)).status).toBe(200);
  });

  it('sends no Strict-Transport-Security over plain HTTP, whatever X-Forwarded-Proto claims', async () => {
    expect(await strictTransport({})).toEqual([null, null, null, null, null]);
    expect(await strictTransport({ 'x-forwarded-proto': 'https' })).toEqual([null, null, null, null, null]);
  });

  it('stores neither the address nor the IP in Redis', async () => {
    await post('/admin/login', { email: editor.email, password: 'wrong' });
    const redis = new IORedis(REDIS_URL);
    try {
      const keys = await redis.keys(`${redisPrefix}:*`);
      expect(keys.length).toBeGreaterThanOrEqual(2);
      expect(keys.join(' ')).not.toMatch(/limit-editor|example\.org|127\.0\.0\.1/);
    } finally {
      await redis.quit();
    }
  });
});

describe('behind a trusted proxy', () => {
  beforeAll(() => boot(true));

  it('limits failures per account across IPs; then even the right password is refused', async () => {
    for (let i = 1; i <= 3; i++) {
      expect((await post('/admin/login', { email: editor.email, password: `wrong-${i}` }, `10.2.0.${i}`)).status).toBe(400);
    }
    await expectLimited(await post('/admin/login', editor, '10.2.0.4'));
    await expectLimited(await post('/admin/login', { ...editor, email: ' LIMIT-Editor@Example.org ' }, '10.2.0.5'));
    // Another account from one of those IPs is not affected.
    expect((await post('/admin/login', { email: 'someone-else@example.org', password: 'wrong' }, '10.2.0.1')).status).toBe(400);
    await deleteRedisPrefix(redisPrefix);
    expect((await post('/admin/login', editor, '10.2.0.6')).status).toBe(200);
  });

  it('sends Strict-Transport-Security when the proxy says the request came over HTTPS, only then', async () => {
    expect(await strictTransport({ 'x-forwarded-proto': 'https' })).toEqual(Array(5).fill('max-age=31536000; includeSubDomains'));
    expect(await strictTransport({ 'x-forwarded-proto': 'http' })).toEqual([null, null, null, null, null]);
    expect(await strictTransport({})).toEqual([null, null, null, null, null]);
  });

  it('does not count successful logins', async () => {
    await deleteRedisPrefix(redisPrefix);
    for (let i = 1; i <= 5; i++) expect((await post('/admin/login', editor, `10.3.0.${i}`)).status).toBe(200);
    // From one address, more often than Strapi's own limit (5 per address and IP) allowed.
    for (let i = 1; i <= 7; i++) expect((await post('/admin/login', editor, '10.3.1.1')).status).toBe(200);
  });

  it('guards forgot-password the same way, counting every request', async () => {
    await deleteRedisPrefix(redisPrefix);
    // An address without an account: nothing is mailed, but the requests count all the same.
    const email = 'no-account@example.org';
    for (let i = 1; i <= 3; i++) expect((await post('/admin/forgot-password', { email }, `10.4.0.${i}`)).status).toBe(204);
    await expectLimited(await post('/admin/forgot-password', { email }, '10.4.0.9'));
  });
});

describe('while Redis cannot be reached', () => {
  beforeAll(() => app.restart({ listen: true, env: { ...limits, TRUST_PROXY: 'true', REDIS_URL: 'redis://127.0.0.1:1' } }));

  it('still limits failures, counted in the CMS process, and lets the right password in below the limit', async () => {
    expect((await post('/admin/login', editor, '10.5.0.1')).status).toBe(200);
    for (let i = 1; i <= 3; i++) {
      expect((await post('/admin/login', { email: editor.email, password: `wrong-${i}` }, `10.5.0.${i}`)).status).toBe(400);
    }
    await expectLimited(await post('/admin/login', editor, '10.5.0.4'));
  });
});
