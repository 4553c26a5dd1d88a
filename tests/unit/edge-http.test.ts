import { describe, expect, it } from 'vitest';
import { CorsConfigError, ownOrigin, readCorsSettings } from '../../src/settings/cors';
import { readAdminLoginLimits } from '../../src/settings/admin-login';
import { checkContentQuery, QueryShapeError, type AttributeShape } from '../../src/edge/content-query';
import { decideCors } from '../../src/edge/cors-policy';
import { isQueryInputError } from '../../src/edge/query-errors';
import { isUnder, MalformedPathError, normaliseRequestPath } from '../../src/core/web/request-path';
import { checkSameOrigin } from '../../src/core/web/same-origin';

describe('request path', () => {
  it.each([
    ['/API/articles', '/api/articles'],
    ['/Api/Articles/', '/api/articles'],
    ['//api//articles', '/api/articles'],
    ['/%61pi/articles', '/api/articles'],
    ['/api%2Farticles', '/api/articles'],
    ['/api\\articles', '/api/articles'],
    ['/', '/'],
    ['', '/'],
  ])('%s reads as %s', (raw, expected) => {
    expect(normaliseRequestPath(raw)).toBe(expected);
  });

  it('refuses malformed percent-encoding and NUL bytes', () => {
    expect(() => normaliseRequestPath('/api/%zz')).toThrow(MalformedPathError);
    expect(() => normaliseRequestPath('/api/%E0%A4%A')).toThrow(MalformedPathError);
    expect(() => normaliseRequestPath('/api/a%00b')).toThrow(MalformedPathError);
  });

  it('matches a prefix only at a segment boundary', () => {
    expect(isUnder('/api', '/api')).toBe(true);
    expect(isUnder('/api/articles', '/api')).toBe(true);
    expect(isUnder('/apix', '/api')).toBe(false);
  });
});

describe('CORS settings', () => {
  it('defaults to the CMS own origin: PUBLIC_URL, else HOST and PORT', () => {
    expect(readCorsSettings({})).toEqual({ origins: ['http://127.0.0.1:1337'], publicRead: true });
    expect(ownOrigin({ PUBLIC_URL: 'https://cms.example.org/base/' })).toBe('https://cms.example.org');
    expect(ownOrigin({ HOST: '0.0.0.0', PORT: '8080' })).toBe('http://localhost:8080');
  });

  it('reads an explicit, de-duplicated list of origins', () => {
    const settings = readCorsSettings({ CORS_ORIGINS: ' https://www.example.org , https://www.example.org/,http://localhost:3000', CORS_PUBLIC_READ: 'false' });
    expect(settings).toEqual({ origins: ['https://www.example.org', 'http://localhost:3000'], publicRead: false });
  });

  it('refuses a wildcard and what is not an origin, naming the variable', () => {
    expect(() => readCorsSettings({ CORS_ORIGINS: '*' })).toThrow(CorsConfigError);
    expect(() => readCorsSettings({ CORS_ORIGINS: 'https://*.example.org' })).toThrow(/CORS_ORIGINS/);
    expect(() => readCorsSettings({ CORS_ORIGINS: 'www.example.org' })).toThrow(/CORS_ORIGINS/);
    expect(() => readCorsSettings({ CORS_ORIGINS: 'ftp://example.org' })).toThrow(/CORS_ORIGINS/);
    expect(() => readCorsSettings({ CORS_PUBLIC_READ: 'yes' })).toThrow(/CORS_PUBLIC_READ/);
  });
});

describe('CORS policy', () => {
  const settings = { origins: ['https://cms.example.org'], publicRead: true };
  const ask = (origin: string, method: string, path: string, requestedMethod?: string) => decideCors({ origin, method, path, requestedMethod }, settings);

  it('gives a listed origin everything, with credentials', () => {
    expect(ask('https://cms.example.org', 'POST', '/admin/access-token')).toEqual({ allowed: true, credentials: true });
  });

  it('gives other origins nothing on admin routes, also in a preflight or another spelling', () => {
    for (const path of ['/admin/access-token', '/admin/login', '/ADMIN/login', '/content-manager/collection-types/x']) {
      expect(ask('https://www.example.org', 'POST', path)).toEqual({ allowed: false, credentials: false });
      expect(ask('https://www.example.org', 'OPTIONS', path, 'POST')).toEqual({ allowed: false, credentials: false });
      expect(ask('https://www.example.org', 'GET', path)).toEqual({ allowed: false, credentials: false });
    }
  });

  it('lets other origins read the public API without credentials, and only read', () => {
    expect(ask('https://www.example.org', 'GET', '/API/articles')).toEqual({ allowed: true, credentials: false });
    expect(ask('https://www.example.org', 'OPTIONS', '/api/articles', 'GET')).toEqual({ allowed: true, credentials: false });
    expect(ask('https://www.example.org', 'POST', '/api/subscriptions')).toEqual({ allowed: false, credentials: false });
    expect(ask('https://www.example.org', 'OPTIONS', '/api/subscriptions', 'POST')).toEqual({ allowed: false, credentials: false });
    expect(decideCors({ origin: 'https://www.example.org', method: 'GET', path: '/api/articles' }, { ...settings, publicRead: false }).allowed).toBe(false);
    expect(ask('https://www.example.org', 'GET', '/api/%zz').allowed).toBe(false);
  });
});

describe('admin login limits', () => {
  it('defaults to 10 failures per IP and per account in 15 minutes', () => {
    expect(readAdminLoginLimits({})).toMatchObject({ perIp: 10, perAccount: 10, windowSeconds: 900, redisPrefix: 'netwerkpost' });
    expect(readAdminLoginLimits({ ADMIN_LOGIN_LIMIT_PER_IP: '3', ADMIN_LOGIN_WINDOW_MINUTES: '1' })).toMatchObject({ perIp: 3, windowSeconds: 60 });
    expect(() => readAdminLoginLimits({ ADMIN_LOGIN_LIMIT_PER_ACCOUNT: '0' })).toThrow(/ADMIN_LOGIN_LIMIT_PER_ACCOUNT/);
  });
});

describe('content query shape', () => {
  const models: Record<string, Record<string, AttributeShape>> = {
    article: {
      title: { type: 'string' },
      count: { type: 'integer' },
      day: { type: 'date' },
      body: { type: 'blocks' },
      themes: { type: 'relation', target: 'theme' },
      createdBy: { type: 'relation', target: 'admin', private: true },
    },
    theme: { name: { type: 'string' } },
  };
  const check = (query: Record<string, unknown>) => checkContentQuery(query, 'article', (uid) => models[uid]);
  const refused = (query: Record<string, unknown>) => {
    expect(() => check(query)).toThrow(QueryShapeError);
  };

  it('accepts what Strapi documents', () => {
    check({
      filters: {
        title: { $eq: 'a' },
        themes: { name: { $in: ['x', 'y'] } },
        $or: [{ count: { $gt: '1' } }, { day: { $between: ['2020-01-01', '2021-01-01'] } }],
      },
    });
    check({
      sort: ['title:asc', 'count'],
      fields: 'title,count',
      populate: { themes: { fields: ['name'], sort: 'name:desc' } },
      pagination: { page: '2', pageSize: '10' },
    });
    check({ sort: { themes: { name: 'asc' } }, populate: 'themes', locale: 'en', status: 'published' });
  });

  it.each([
    { filters: { title: { $between: 'a' } } },
    { filters: { title: { $eq: { $eq: 'a' } } } },
    { filters: { $and: 'x' } },
    { filters: { '0': '' } },
    { filters: { count: { $gt: 'abc' } } },
    { filters: { title: { $regex: 'a' } } },
    { filters: { createdBy: { id: { $eq: '1' } } } },
    { filters: { count: { $contains: '1' } } },
    { filters: { body: { $eq: 'x' } } },
    { sort: 'title:sideways' },
    { sort: [{ title: 'sideways' }] },
    { sort: 'themes:asc' },
    { fields: [{ a: 'b' }] },
    { fields: 'themes' },
    { populate: { nonexistent: { populate: 'x' } } },
    { populate: { themes: { bogus: 'x' } } },
    { pagination: { page: '-1' } },
    { pagination: { pageSize: 'abc' } },
    { pagination: { page: '1', start: '0' } },
    { locale: ['nl', 'en'] },
    { status: { a: 'b' } },
  ])('refuses %j', (query) => refused(query));
});

describe('query-layer errors', () => {
  const thrownAt = (message: string, frame: string) => {
    const error = new Error(message);
    error.stack = `Error: ${message}\n    at ${frame}\n    at somewhere (/app/x.js:1:1)`;
    return error;
  };

  it('recognises errors caused by the query', () => {
    expect(
      isQueryInputError(thrownAt('Operator $and must be an array', 'processWhere (/app/node_modules/@strapi/database/dist/query/helpers/where.js:97:23)')),
    ).toBe(true);
    expect(isQueryInputError(thrownAt('You must specify 2 values', 'QueryBuilder.whereBetween (/app/node_modules/knex/lib/query/querybuilder.js:664:5)'))).toBe(
      true,
    );
    expect(isQueryInputError(Object.assign(new Error('invalid input syntax for type integer'), { code: '22P02' }))).toBe(true);
    expect(isQueryInputError(new Error('select ... - no such column: t0.0'))).toBe(true);
  });

  it('leaves server faults alone', () => {
    expect(isQueryInputError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isQueryInputError(Object.assign(new Error('relation "articles" does not exist'), { code: '42P01' }))).toBe(false);
    expect(isQueryInputError(thrownAt('Knex: Timeout acquiring a connection', 'Client.acquireConnection (/app/node_modules/knex/lib/client.js:312:26)'))).toBe(
      false,
    );
    expect(isQueryInputError('not an error')).toBe(false);
  });
});

describe("state-changing requests from the CMS's own origin only", () => {
  const own = ['https://cms.example.org', 'http://127.0.0.1:1337'];

  it('reads always pass, whatever they name', () => {
    for (const method of ['GET', 'head', 'OPTIONS']) expect(checkSameOrigin({ method, origin: 'https://evil.example' }, own)).toEqual({ ok: true });
  });

  it('a change passes with an own Origin, or without one with an own Referer', () => {
    expect(checkSameOrigin({ method: 'PUT', origin: 'https://cms.example.org' }, own)).toEqual({ ok: true });
    expect(checkSameOrigin({ method: 'post', origin: 'https://CMS.example.org:443' }, own)).toEqual({ ok: true });
    expect(checkSameOrigin({ method: 'DELETE', referer: 'http://127.0.0.1:1337/queue-board/queue/mail?status=failed' }, own)).toEqual({ ok: true });
  });

  it('a change is refused from another origin, from `null`, or naming none', () => {
    expect(checkSameOrigin({ method: 'PUT', origin: 'https://evil.example' }, own)).toEqual({ ok: false, claimed: 'https://evil.example' });
    expect(checkSameOrigin({ method: 'PUT', origin: 'http://cms.example.org' }, own)).toEqual({ ok: false, claimed: 'http://cms.example.org' });
    expect(checkSameOrigin({ method: 'PUT', origin: 'https://cms.example.org.evil.example' }, own).ok).toBe(false);
    // Origin wins over Referer: a forged page cannot borrow an own Referer.
    expect(checkSameOrigin({ method: 'PUT', origin: 'https://evil.example', referer: 'https://cms.example.org/queue-board/' }, own).ok).toBe(false);
    expect(checkSameOrigin({ method: 'PUT', referer: 'https://evil.example/page' }, own)).toEqual({ ok: false, claimed: 'https://evil.example' });
    expect(checkSameOrigin({ method: 'PUT', origin: 'null' }, own)).toEqual({ ok: false, claimed: 'null' });
    expect(checkSameOrigin({ method: 'PUT', referer: 'not a url' }, own)).toEqual({ ok: false, claimed: 'not a url' });
    expect(checkSameOrigin({ method: 'PUT' }, own)).toEqual({ ok: false, claimed: null });
    expect(checkSameOrigin({ method: 'PUT', origin: '', referer: '' }, own)).toEqual({ ok: false, claimed: null });
  });
});
