import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KoaBoardAdapter, type BoardContext } from '../../src/ops/koa-adapter';
import { QUEUE_PASS_SECONDS, signQueuePass, verifyQueuePass } from '../../src/ops/pass';

const SECRET = 'test-secret-for-the-queue-pass';

describe('the queue dashboard pass', () => {
  it('names its admin until it expires', () => {
    const now = Date.UTC(2026, 11, 1, 12);
    const pass = signQueuePass(42, SECRET, now);
    expect(verifyQueuePass(pass, SECRET, now + 1000)).toEqual({ ok: true, userId: 42 });
    expect(verifyQueuePass(pass, SECRET, now + QUEUE_PASS_SECONDS * 1000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a missing, malformed, altered or foreign pass', () => {
    const pass = signQueuePass(7, SECRET);
    expect(verifyQueuePass(undefined, SECRET).ok).toBe(false);
    expect(verifyQueuePass('', SECRET)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyQueuePass('7.abc', SECRET)).toEqual({ ok: false, reason: 'malformed' });
    const [, expiry, signature] = pass.split('.');
    expect(verifyQueuePass(`1.${expiry}.${signature}`, SECRET)).toEqual({ ok: false, reason: 'invalid' }); // another admin
    expect(verifyQueuePass(`7.${(parseInt(expiry, 36) + 999).toString(36)}.${signature}`, SECRET)).toEqual({ ok: false, reason: 'invalid' }); // longer life
    expect(verifyQueuePass(pass, 'another-secret')).toEqual({ ok: false, reason: 'invalid' });
  });
});

function context(method: string): BoardContext & { headersSet: Record<string, string> } {
  const headersSet: Record<string, string> = {};
  return {
    method,
    query: {},
    headers: {},
    request: { body: { a: 1 } },
    status: 404,
    body: undefined,
    type: '',
    headersSet,
    set: (field, value) => void (headersSet[field] = value),
  };
}

describe('the Koa adapter for Bull Board', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'np-board-'));
  fs.mkdirSync(path.join(dir, 'static'));
  fs.writeFileSync(path.join(dir, 'static', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'not public');
  fs.writeFileSync(path.join(dir, 'index.ejs'), '<base href="<%= basePath %>"><script type="application/json"><%- uiConfig %></script>');
  const adapter = new KoaBoardAdapter('/queue-board')
    .setStaticPath('/static', path.join(dir, 'static'))
    .setViewsPath(dir)
    .setUIConfig({ boardTitle: 'x' })
    .setErrorHandler((error) => ({ status: 500, body: { error: error.message } }))
    .setQueues(new Map())
    .setEntryRoute({
      method: 'get',
      route: ['/', '/queue/:queueName'],
      handler: ({ basePath, uiConfig }) => ({ name: 'index.ejs', params: { basePath: `${basePath}/`, uiConfig: JSON.stringify(uiConfig) } }),
    })
    .setApiRoutes([
      {
        method: 'get',
        route: '/api/queues/:queueName/:jobId',
        spec: {} as never,
        handler: async (request?: { params: Record<string, string> }) => ({ body: { params: request!.params } }),
      },
      {
        method: ['put', 'post'],
        route: '/api/queues/:queueName/retry',
        spec: {} as never,
        handler: async (request?: { body: unknown }) => ({ status: 204 as const, body: { body: request!.body } }),
      },
      {
        method: 'get',
        route: '/api/broken',
        spec: {} as never,
        handler: async () => {
          throw new Error('kaput');
        },
      },
    ] as never);

  it('routes API calls with their decoded parameters, methods and bodies', async () => {
    const get = context('GET');
    expect(await adapter.handle('/api/queues/newsletter/send-edition-1-2', get)).toBe(true);
    expect([get.status, get.body]).toEqual([200, { params: { queueName: 'newsletter', jobId: 'send-edition-1-2' } }]);
    const post = context('POST');
    expect(await adapter.handle('/api/queues/mail/retry', post)).toBe(true);
    expect([post.status, post.body]).toEqual([204, { body: { a: 1 } }]);
    expect(await adapter.handle('/api/queues/mail/retry', context('DELETE'))).toBe(false);
    const broken = context('GET');
    await adapter.handle('/api/broken', broken);
    expect([broken.status, broken.body]).toEqual([500, { error: 'kaput' }]);
  });

  it('renders the entry page for each of its routes', async () => {
    for (const sub of ['/', '/queue/mail']) {
      const page = context('GET');
      expect(await adapter.handle(sub, page)).toBe(true);
      expect(page.type).toBe('text/html');
      expect(page.body).toBe('<base href="/queue-board/"><script type="application/json">{"boardTitle":"x"}</script>');
    }
  });

  it('serves files of its static folder only', async () => {
    const file = context('GET');
    expect(await adapter.handle('/static/app.js', file)).toBe(true);
    expect(file.type).toBe('application/javascript');
    for (const escape of ['/static/../secret.txt', '/static/%2e%2e/secret.txt', '/static/..%2fsecret.txt', '/static/missing.js', '/static/']) {
      expect(await adapter.handle(escape, context('GET')), escape).toBe(false);
    }
  });
});
