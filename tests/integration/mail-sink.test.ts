import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { gzipSync } from 'node:zlib';
import { startMailSink, type MailSink } from '../../scripts/mail-sink/server';

const API_KEY = 'SG.mail-sink-test-key';

type Body = Record<string, any>;

function mail(overrides: Body = {}): Body {
  return {
    from: { email: 'nieuwsbrief@netwerkpost.nl', name: 'Netwerkpost' },
    subject: 'Nieuwsbrief maart',
    personalizations: [{ to: [{ email: 'anna@zorg-utrecht.nl', name: 'Anna' }] }],
    content: [
      { type: 'text/plain', value: 'Hallo' },
      { type: 'text/html', value: '<p>Hallo</p>' },
    ],
    ...overrides,
  };
}

function recipients(n: number): Array<{ email: string }> {
  return Array.from({ length: n }, (_, i) => ({ email: `lid${i}@example.nl` }));
}

async function post(sink: MailSink, body: unknown, opts: { key?: string | null; headers?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...opts.headers };
  const key = opts.key === undefined ? API_KEY : opts.key;
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  const payload = typeof body === 'string' ? body : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body);
  return fetch(`${sink.url}/v3/mail/send`, { method: 'POST', headers, body: payload });
}

/** Response body as JSON, loosely typed for assertions. */
async function json(res: Response): Promise<any> {
  return res.json();
}

async function getJson(sink: MailSink, path: string): Promise<any> {
  const res = await fetch(`${sink.url}${path}`);
  expect(res.status).toBe(200);
  return json(res);
}

describe('mail sink (keep mode)', () => {
  let sink: MailSink;

  beforeAll(async () => {
    sink = await startMailSink({ port: 0, apiKey: API_KEY });
  });
  afterAll(async () => {
    await sink.close();
  });
  beforeEach(() => {
    sink.reset();
    sink.clearFaults();
  });

  it('listens on a random loopback port', () => {
    expect(sink.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sink.port).toBeGreaterThan(0);
  });

  it('401 without an Authorization header', async () => {
    const res = await post(sink, mail(), { key: null });
    expect(res.status).toBe(401);
    const body = await json(res);
    expect(body).toEqual({ errors: [{ message: expect.any(String), field: null, help: null }] });
    expect(sink.messages()).toHaveLength(0);
    expect(sink.counts()).toMatchObject({ requests: 1, rejected: 1, accepted: 0 });
  });

  it('401 with the wrong API key', async () => {
    const res = await post(sink, mail(), { key: 'SG.wrong' });
    expect(res.status).toBe(401);
    expect((await json(res)).errors[0].field).toBeNull();
  });

  it('202 with an empty body and X-Message-Id, and stores the request', async () => {
    const body = mail({ categories: ['nieuwsbrief'], custom_args: { campaign: 'maart' } });
    const res = await post(sink, body);
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    const id = res.headers.get('x-message-id');
    expect(id).toMatch(/^[A-Za-z0-9_-]{16,}$/);

    const stored = sink.messages();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ messageId: id, recipients: 1, body });
    expect(Date.parse(stored[0]!.receivedAt)).not.toBeNaN();

    const viaHttp = await getJson(sink, '/__sink/messages');
    expect(viaHttp).toHaveLength(1);
    expect(viaHttp[0].messageId).toBe(id);
    expect((await getJson(sink, `/__sink/messages/${id}`)).body).toEqual(body);
    expect(await getJson(sink, '/__sink/counts')).toEqual({
      requests: 1,
      accepted: 1,
      rejected: 0,
      recipientsAccepted: 1,
      status429: 0,
      status500: 0,
    });
  });

  it('lists one entry per recipient with personalization data', async () => {
    const body = mail({
      subject: 'Hallo -naam-',
      headers: { 'X-Netwerk': 'utrecht' },
      custom_args: { campaign: 'maart' },
      categories: ['nieuwsbrief'],
      personalizations: [
        { to: [{ email: 'anna@example.nl' }], cc: [{ email: 'cc@example.nl' }], substitutions: { '-naam-': 'Anna' } },
        {
          to: [{ email: 'bob@example.nl', name: 'Bob' }],
          subject: 'Speciaal voor -naam-',
          substitutions: { '-naam-': 'Bob' },
          custom_args: { recipient: 'b' },
          headers: { 'X-Netwerk': 'amsterdam' },
        },
      ],
    });
    const res = await post(sink, body);
    expect(res.status).toBe(202);
    const id = res.headers.get('x-message-id');

    const list = await getJson(sink, '/__sink/recipients');
    expect(list).toHaveLength(3);
    expect(list.map((r: any) => [r.email, r.subject])).toEqual([
      ['anna@example.nl', 'Hallo Anna'],
      ['cc@example.nl', 'Hallo Anna'],
      ['bob@example.nl', 'Speciaal voor Bob'],
    ]);
    expect(list[2]).toMatchObject({
      messageId: id,
      type: 'to',
      name: 'Bob',
      substitutions: { '-naam-': 'Bob' },
      customArgs: { campaign: 'maart', recipient: 'b' },
      categories: ['nieuwsbrief'],
      headers: { 'X-Netwerk': 'amsterdam' },
    });
    expect(list[1]).toMatchObject({ type: 'cc', customArgs: { campaign: 'maart' }, headers: { 'X-Netwerk': 'utrecht' } });
    expect(await getJson(sink, '/__sink/recipients?email=BOB@example.nl')).toHaveLength(1);
    expect(sink.recipients()).toEqual(list);
    expect(sink.counts().recipientsAccepted).toBe(3);
  });

  it('400 for a duplicate address, naming the field', async () => {
    const res = await post(sink, mail({ personalizations: [{ to: [{ email: 'anna@example.nl' }], bcc: [{ email: 'Anna@Example.nl' }] }] }));
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.errors).toContainEqual({
      message: expect.stringContaining('personalizations.0.to.0.email'),
      field: 'personalizations.0.bcc.0.email',
      help: null,
    });
    expect(sink.messages()).toHaveLength(0);
    expect(sink.counts()).toMatchObject({ requests: 1, rejected: 1 });
  });

  it('400 for 1001 recipients, 202 for 1000', async () => {
    const tooMany = await post(
      sink,
      mail({ personalizations: [{ to: recipients(800) }, { to: [{ email: 'x@example.nl' }], bcc: recipients(1001).slice(801) }] }),
    );
    expect(tooMany.status).toBe(400);
    expect((await json(tooMany)).errors.map((e: any) => e.field)).toContain('personalizations');

    const ok = await post(sink, mail({ personalizations: [{ to: recipients(1000) }] }));
    expect(ok.status).toBe(202);
    expect(sink.counts().recipientsAccepted).toBe(1000);
  });

  it('400 for invalid JSON and for non-object bodies', async () => {
    for (const payload of ['{"personalizations": [', '', 'null', '[]', '"mail"']) {
      const res = await post(sink, payload);
      expect(res.status).toBe(400);
      expect((await json(res)).errors.length).toBeGreaterThan(0);
    }
  });

  it('413 for a body over 30 MB, and keeps working afterwards', async () => {
    const huge = Buffer.alloc(30_000_100, 0x41);
    Buffer.from('{"x":"').copy(huge, 0);
    Buffer.from('"}').copy(huge, huge.length - 2);
    const res = await post(sink, huge);
    expect(res.status).toBe(413);
    expect((await json(res)).errors[0]).toMatchObject({ field: null, help: null });

    const after = await post(sink, mail());
    expect(after.status).toBe(202);
    expect(sink.counts()).toMatchObject({ requests: 2, rejected: 1, accepted: 1 });
  });

  it('accepts a gzip-compressed body', async () => {
    const res = await post(sink, gzipSync(JSON.stringify(mail())), { headers: { 'Content-Encoding': 'gzip' } });
    expect(res.status).toBe(202);
  });

  it('429 with X-RateLimit-* and Retry-After for the next N requests, then success', async () => {
    const set = await fetch(`${sink.url}/__sink/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ status429: 2, resetAfterSeconds: 7 }),
    });
    expect(set.status).toBe(200);
    expect(await json(set)).toMatchObject({ status429: 2, resetAfterSeconds: 7 });

    for (let i = 0; i < 2; i++) {
      const before = Math.floor(Date.now() / 1000);
      const res = await post(sink, mail());
      expect(res.status).toBe(429);
      expect(res.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
      expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
      const reset = Number(res.headers.get('x-ratelimit-reset'));
      expect(reset).toBeGreaterThanOrEqual(before + 7);
      expect(reset).toBeLessThanOrEqual(before + 8);
      expect(res.headers.get('retry-after')).toBe('7');
      expect((await json(res)).errors[0].message).toMatch(/too many requests/i);
    }
    const ok = await post(sink, mail());
    expect(ok.status).toBe(202);
    expect(sink.counts()).toEqual({
      requests: 3,
      accepted: 1,
      rejected: 0,
      recipientsAccepted: 1,
      status429: 2,
      status500: 0,
    });
    expect(sink.messages()).toHaveLength(1);
  });

  it('500 for the next N requests', async () => {
    sink.setFaults({ status500: 1 });
    const res = await post(sink, mail());
    expect(res.status).toBe(500);
    expect((await json(res)).errors).toHaveLength(1);
    expect((await post(sink, mail())).status).toBe(202);
    expect(sink.counts()).toMatchObject({ status500: 1, accepted: 1 });
    expect(sink.messages()).toHaveLength(1);
  });

  it('rejectAddress gives 400 naming the field until the faults are cleared', async () => {
    sink.setFaults({ rejectAddress: 'Kapot@Example.nl' });
    const body = mail({
      personalizations: [{ to: [{ email: 'anna@example.nl' }], cc: [{ email: 'kapot@example.nl' }] }],
    });
    const res = await post(sink, body);
    expect(res.status).toBe(400);
    expect((await json(res)).errors[0].field).toBe('personalizations.0.cc.0.email');
    expect((await post(sink, mail())).status).toBe(202);

    const cleared = await fetch(`${sink.url}/__sink/faults`, { method: 'DELETE' });
    expect(cleared.status).toBe(200);
    expect((await post(sink, body)).status).toBe(202);
    expect(sink.counts()).toMatchObject({ requests: 3, accepted: 2, rejected: 1 });
  });

  it('delayMs delays every answer', async () => {
    sink.setFaults({ delayMs: 150 });
    const started = Date.now();
    expect((await post(sink, mail())).status).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('rejects invalid faults', async () => {
    expect(() => sink.setFaults({ status429: -1 })).toThrow(TypeError);
    const res = await fetch(`${sink.url}/__sink/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ status500: 'many' }),
    });
    expect(res.status).toBe(400);
    const notJson = await fetch(`${sink.url}/__sink/faults`, { method: 'POST', body: '{"status500":1}' });
    expect(notJson.status).toBe(415);
    expect(sink.faults()).toEqual({ resetAfterSeconds: 1 });
  });

  it('DELETE /__sink/messages resets store and counts', async () => {
    await post(sink, mail());
    const res = await fetch(`${sink.url}/__sink/messages`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(sink.messages()).toHaveLength(0);
    expect(sink.counts().requests).toBe(0);
  });

  it('renders the mail per recipient with substitutions, escaping everything', async () => {
    const body = mail({
      subject: '<script>alert("s")</script> Hallo %naam%',
      personalizations: [
        { to: [{ email: 'anna@example.nl' }], substitutions: { '%naam%': 'Anna' } },
        {
          to: [{ email: 'bob@example.nl' }],
          substitutions: { '%naam%': 'Bob & "Co"', '%link%': 'https://netwerkpost.nl/u/b' },
          headers: { 'X-Netwerk': 'amsterdam' },
        },
        { to: [{ email: 'cor@example.nl' }], subject: 'Eigen onderwerp voor %naam%', substitutions: { '%naam%': 'Cor' } },
      ],
      content: [
        { type: 'text/plain', value: 'Beste %naam%, <b>tekst</b>' },
        { type: 'text/html', value: '<p>Beste %naam%</p><script>alert(1)</script><a href="%link%">afmelden</a>' },
      ],
    });
    const res = await post(sink, body);
    expect(res.status).toBe(202);
    const id = res.headers.get('x-message-id')!;

    const pageRes = await fetch(`${sink.url}/messages/${id}?to=bob@example.nl`);
    expect(pageRes.status).toBe(200);
    expect(pageRes.headers.get('content-type')).toMatch(/^text\/html/);
    expect(pageRes.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await pageRes.text();

    // Nothing from the mail reaches the page unescaped.
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;s&quot;)&lt;/script&gt; Hallo Bob &amp; &quot;Co&quot;');
    // Bob's substitutions, not Anna's.
    expect(html).not.toContain('Hallo Anna');
    expect(html).not.toContain('%naam%');
    // The HTML part lives in a sandboxed srcdoc iframe, escaped once.
    const iframe = /<iframe\b[^>]*>/.exec(html)?.[0] ?? '';
    expect(iframe).toMatch(/\bsandbox="[^"]*"/);
    expect(iframe).not.toMatch(/allow-scripts|allow-same-origin/);
    expect(iframe).toContain(
      'srcdoc="&lt;p&gt;Beste Bob &amp; &quot;Co&quot;&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;a href=&quot;https://netwerkpost.nl/u/b&quot;&gt;afmelden&lt;/a&gt;"',
    );
    // Text part, escaped; personalization headers.
    expect(html).toContain('Beste Bob &amp; &quot;Co&quot;, &lt;b&gt;tekst&lt;/b&gt;');
    expect(html).toContain('X-Netwerk');
    expect(html).toContain('amsterdam');

    // Per-personalization subject override.
    const cor = await (await fetch(`${sink.url}/messages/${id}?to=COR@example.nl`)).text();
    expect(cor).toContain('Eigen onderwerp voor Cor');
    expect(cor).not.toMatch(/<script/i);

    // Unknown recipient / message.
    expect((await fetch(`${sink.url}/messages/${id}?to=nobody@example.nl`)).status).toBe(404);
    expect((await fetch(`${sink.url}/messages/does-not-exist`)).status).toBe(404);

    // The index page lists it, escaped.
    const index = await (await fetch(`${sink.url}/`)).text();
    expect(index).toContain(`/messages/${id}`);
    expect(index).toContain('&lt;script&gt;alert(&quot;s&quot;)&lt;/script&gt;');
    expect(index).not.toMatch(/<script/i);
    expect(index).toContain('nieuwsbrief@netwerkpost.nl');
  });

  it('404 for unknown routes, 405 for other methods on the send endpoint', async () => {
    const unknown = await fetch(`${sink.url}/v3/nope`);
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).errors[0].message).toBe('not found');
    expect((await fetch(`${sink.url}/v3/mail/send`)).status).toBe(405);
    expect((await fetch(`${sink.url}//evil.example/v3/mail/send`)).status).toBe(404);
  });
});

describe('mail sink (count mode)', () => {
  let sink: MailSink;

  beforeAll(async () => {
    sink = await startMailSink({ port: 0, mode: 'count' });
  });
  afterAll(async () => {
    await sink.close();
  });

  it('validates and counts requests and recipients without storing them', async () => {
    expect(sink.mode).toBe('count');
    for (let i = 0; i < 3; i++) {
      const res = await post(sink, mail({ personalizations: [{ to: recipients(250) }, { to: [{ email: `extra${i}@example.nl` }] }] }), {
        key: 'SG.any-key-is-fine',
      });
      expect(res.status).toBe(202);
      expect(res.headers.get('x-message-id')).toBeTruthy();
    }
    const bad = await post(sink, mail({ personalizations: [{ to: [{ email: 'no' }] }] }));
    expect(bad.status).toBe(400);
    expect(await post(sink, mail(), { key: null }).then((r) => r.status)).toBe(401);

    expect(sink.counts()).toEqual({
      requests: 5,
      accepted: 3,
      rejected: 2,
      recipientsAccepted: 753,
      status429: 0,
      status500: 0,
    });
    expect(sink.messages()).toEqual([]);
    expect(await getJson(sink, '/__sink/messages')).toEqual([]);
    expect(await getJson(sink, '/__sink/recipients')).toEqual([]);
    expect(await getJson(sink, '/__sink/counts')).toMatchObject({ accepted: 3, recipientsAccepted: 753 });
  });
});
