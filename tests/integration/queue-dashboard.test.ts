import { describe, expect, it } from 'vitest';
import { QUEUE_PASS_COOKIE, signQueuePass } from '../../src/ops/pass';
import { chromiumAvailable, launchChromium, logIn } from '../support/browser';
import { DEMO_AUTHOR, DEMO_EDITOR, useCms } from '../support/harness';

/**
 * The queue dashboard (Bull Board at /queue-board, src/middlewares/queue-dashboard.ts): nobody
 * gets in without the pass that the desk gives an admin holding plugin::desk.queues, whatever the
 * path's spelling; the Editor opens it from the admin panel's menu and sees the worker's queues;
 * the Author has no menu entry and is refused the pass.
 */
const session = useCms({ name: 'queue-dashboard', listen: true, editor: true });

async function tokenOf(login: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${session.app.url}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(login),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { token: string } }).data.token;
}

const passFor = async (token: string) => fetch(`${session.app.url}/desk/queue-pass`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });

function cookieOf(response: Response): string {
  const header = response.headers.get('set-cookie') ?? '';
  const match = new RegExp(`${QUEUE_PASS_COOKIE}=([^;]+)`).exec(header);
  expect(match, header).not.toBeNull();
  expect(header).toMatch(/httponly/i);
  expect(header).toMatch(/samesite=strict/i);
  expect(header).toMatch(/path=\/queue-board/i);
  return `${QUEUE_PASS_COOKIE}=${match![1]}`;
}

describe.skipIf(!chromiumAvailable)('the queue dashboard (admins with the permission only)', () => {
  it('answers 401 without a valid pass, however the path is spelled', async () => {
    const forged = `${QUEUE_PASS_COOKIE}=${signQueuePass(1, 'not-the-secret')}`;
    for (const path of [
      '/queue-board/',
      '/queue-board',
      '/Queue-Board/api/queues',
      '//queue-board//api/queues',
      '/%71ueue-board/api/queues',
      '/queue-board/static/js/x.js',
    ]) {
      for (const cookie of [undefined, forged]) {
        const response = await fetch(`${session.app.url}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
        expect(response.status, `${path} ${cookie ? 'forged' : 'no pass'}`).toBe(401);
        expect(await response.text()).toContain('Wachtrijen / Queues');
      }
    }
  });

  it('gives the pass to the Editor only, and the pass opens the board and its API', async () => {
    expect((await fetch(`${session.app.url}/desk/queue-pass`, { method: 'POST' })).status).toBe(401);
    expect((await passFor(await tokenOf(DEMO_AUTHOR))).status).toBe(403);

    const issued = await passFor(await tokenOf(DEMO_EDITOR));
    expect(issued.status).toBe(200);
    expect(((await issued.json()) as { data: { url: string } }).data.url).toBe('/queue-board/');
    const cookie = cookieOf(issued);

    const page = await fetch(`${session.app.url}/queue-board/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<base href="/queue-board/"');
    const script = /src="(static\/js\/main[^"]+)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    expect((await fetch(`${session.app.url}/queue-board/${script}`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${session.app.url}/queue-board/static/../../package.json`, { headers: { cookie } })).status).toBe(404);

    const api = await fetch(`${session.app.url}/queue-board/api/queues?activeQueue=newsletter&page=1&jobsPerPage=10`, { headers: { cookie } });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: Array<{ name: string }> }).queues.map((queue) => queue.name);
    expect(names).toEqual(expect.arrayContaining(['newsletter', 'mail', 'subscription-requests', 'maintenance']));
  });

  it('the pass is Secure when the public URL is https, also over a plain connection (a TLS proxy without TRUST_PROXY)', async () => {
    const token = await tokenOf(DEMO_EDITOR);
    const plain = await passFor(token);
    cookieOf(plain);
    expect(plain.headers.get('set-cookie')).not.toMatch(/;\s*secure/i);
    const own = process.env.PUBLIC_URL;
    process.env.PUBLIC_URL = 'https://cms.example.org';
    try {
      const behindTls = await passFor(token);
      expect(behindTls.status).toBe(200);
      cookieOf(behindTls);
      expect(behindTls.headers.get('set-cookie')).toMatch(/;\s*secure/i);
    } finally {
      process.env.PUBLIC_URL = own;
    }
  });

  it('takes changes (pause, retry, clean...) only from its own origin, in any path spelling', async () => {
    const cookie = cookieOf(await passFor(await tokenOf(DEMO_EDITOR)));
    const url = session.app.url;
    const change = (action: 'pause' | 'resume', headers: Record<string, string>, path = '/queue-board') =>
      fetch(`${url}${path}/api/queues/maintenance/${action}`, { method: 'PUT', headers: { cookie, ...headers } });
    const paused = async () => {
      const answer = (await (await fetch(`${url}/queue-board/api/queues?activeQueue=maintenance`, { headers: { cookie } })).json()) as {
        queues: Array<{ name: string; isPaused: boolean }>;
      };
      return answer.queues.find((queue) => queue.name === 'maintenance')!.isPaused;
    };
    const forged: Array<[Record<string, string>, string?]> = [
      [{ origin: 'https://evil.example' }],
      [{ origin: 'https://evil.example', referer: `${url}/queue-board/` }],
      [{ referer: 'https://evil.example/page' }],
      [{ origin: 'null' }],
      [{}],
      [{ origin: 'https://evil.example' }, '/Queue-Board/'],
      [{ origin: 'https://evil.example' }, '//queue-board'],
    ];
    for (const [headers, path] of forged) {
      const refused = await change('pause', headers, path);
      expect(refused.status, JSON.stringify(headers)).toBe(403);
      expect(((await refused.json()) as { error: string }).error).toContain('only accepted from the queue dashboard');
    }
    expect(await paused()).toBe(false);

    expect((await change('pause', { origin: url })).status).toBe(200);
    expect(await paused()).toBe(true);
    expect((await change('resume', { referer: `${url}/queue-board/queue/maintenance` })).status).toBe(200);
    expect(await paused()).toBe(false);
  });

  it('the Editor opens it from the admin menu and sees the queues; the Author has no menu entry', async () => {
    const { page, app } = session;
    await page.goto(`${app.url}/admin`);
    await page.getByRole('link', { name: 'Queues' }).click();
    await page.getByRole('button', { name: 'Open the queue dashboard' }).click();
    await page.waitForURL(`${app.url}/queue-board/`);
    await page.getByText('subscription-requests').first().waitFor({ timeout: 20_000 });
    expect(await page.getByText('newsletter').count()).toBeGreaterThan(0);
    // The board's own changes carry the browser's Origin, which the guard accepts.
    const fromBoard = (action: string) => page.evaluate(async (path) => (await fetch(path, { method: 'PUT' })).status, `api/queues/maintenance/${action}`);
    expect(await fromBoard('pause')).toBe(200);
    expect(await fromBoard('resume')).toBe(200);

    const browser = await launchChromium();
    try {
      const author = await browser.newPage({ locale: 'en-GB' });
      await logIn(author, app.url, DEMO_AUTHOR);
      await author.getByRole('link', { name: 'Content Manager' }).first().waitFor();
      expect(await author.getByRole('link', { name: 'Queues' }).count()).toBe(0);
      const refused = await author.goto(`${app.url}/queue-board/`);
      expect(refused?.status()).toBe(401);
    } finally {
      await browser.close();
    }
  });
});
