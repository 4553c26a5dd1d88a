import { beforeAll, describe, expect, it } from 'vitest';
import { signLinkToken } from '../../src/core/domain/tokens';
import { linkIn, mailsTo, waitForMail } from '../support/mail';
import { useSubscriptionApp } from '../support/subscription-app';
import { startWorker } from '../support/worker';

const IP_LIMIT = 80;

const t = useSubscriptionApp('subscriptions', { SUBSCRIBE_LIMIT_PER_IP_HOUR: String(IP_LIMIT) });
const subscribe = (email: string, extra: Record<string, unknown> = {}) => t.subscribe(email, extra);
const findSubscriber = (email: string) => t.findSubscriber(email);
const allSubscribers = () => t.allSubscribers();
const postJson = (path: string, body: unknown) => t.postJson(path, body);
const postForm = async (url: string, fields: Array<[string, string]>) => {
  const response = await t.postForm(url, fields);
  return { ...response, text: response.body };
};

describe('the subscription journey', () => {
  const email = 'Journey.Reader@Example.org';
  const stored = 'journey.reader@example.org';
  let preferencesUrl = '';
  let unsubscribeToken = '';

  it('subscribe -> confirmation mail in the reader language -> confirm page -> its button -> active', async () => {
    const response = await subscribe(email, { name: 'Jules' });
    expect(response.status).toBe(202);
    expect(response.body.data.status).toBe('accepted');

    const [mail] = await waitForMail(t.sink, stored);
    const pending = await findSubscriber(stored);
    expect(pending).toMatchObject({ state: 'pending', preferredLocale: 'en', themes: ['verandermanagement'], name: 'Jules' });
    expect(pending.consent).toMatchObject({ textVersion: '2026-11', source: 'api' });
    expect(pending.consent.ipHash).toMatch(/^[0-9a-f]{32}$/);

    expect(mail.html).toContain('lang="en"');
    expect(mail.text).toContain('/newsletter/confirm?token=');
    expect(mail.html).not.toContain(stored.split('@')[0].replace('.', '')); // no raw address in links
    const confirmUrl = linkIn(mail, '/newsletter/confirm');
    const tokenParts = new URL(confirmUrl).searchParams.get('token')!.split('.');
    expect(tokenParts).not.toContain(String(pending.id));
    expect(tokenParts).not.toContain(pending.documentId);

    // Mail scanners fetch every link (HEAD and GET): neither confirms.
    expect((await fetch(confirmUrl, { method: 'HEAD' })).status).toBe(200);
    const page = await fetch(confirmUrl);
    expect(page.status).toBe(200);
    const confirmPage = await page.text();
    expect(confirmPage).toContain('lang="en"');
    expect(confirmPage).toMatch(/<form method="post" action="\/newsletter\/confirm\?token=[^"]+">/);
    expect(confirmPage).toContain('Yes, I want to receive the newsletter');
    expect((await findSubscriber(stored)).state).toBe('pending');

    // The page's button (the form's POST to the same URL) confirms.
    const confirmed = await postForm(confirmUrl, [['confirm', 'yes']]);
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Your subscription is confirmed');
    const active = await findSubscriber(stored);
    expect(active.state).toBe('active');
    expect(active.confirmedAt).toBeTruthy();

    // Confirming twice is harmless, and the link then shows the confirmation.
    expect((await postForm(confirmUrl, [['confirm', 'yes']])).status).toBe(200);
    expect(await (await fetch(confirmUrl)).text()).toContain('Your subscription is confirmed');
    expect((await findSubscriber(stored)).confirmedAt).toEqual(active.confirmedAt);

    // The welcome mail: once (though confirmed twice), in the reader's language, by name, with the newest bundle.
    const [, welcome] = await waitForMail(t.sink, stored, 2);
    await t.queuesIdle();
    expect(mailsTo(t.sink, stored)).toHaveLength(2);
    expect(welcome.subject).toBe("Welcome to the network's newsletter");
    expect(welcome.html).toContain('lang="en"');
    expect(welcome.html).toContain('Hi Jules,');
    expect((await fetch(linkIn(welcome, '/en/resources/inspiratiebundel-leercultuur'))).status).toBe(200);
    preferencesUrl = `${t.app.url}${/href="(\/newsletter\/preferences\?token=[^"]+)"/.exec(confirmed.text)![1].replace(/&amp;/g, '&')}`;
  });

  it('the preferences link shows the choices and changes themes and locale', async () => {
    const page = await fetch(preferencesUrl);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('value="verandermanagement" checked');
    const saved = await postForm(preferencesUrl, [
      ['locale', 'nl'],
      ['themes', 'meten-van-leercultuur'],
      ['themes', 'technologie-in-de-lerende-organisatie'],
    ]);
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('lang="nl"');
    const subscriber = await findSubscriber(stored);
    expect(subscriber.preferredLocale).toBe('nl');
    expect(subscriber.themes).toEqual(['meten-van-leercultuur', 'technologie-in-de-lerende-organisatie']);
    unsubscribeToken = decodeURIComponent(/\/newsletter\/unsubscribe\?token=([^"&]+)/.exec(saved.text)![1]);
  });

  it('the unsubscribe page (GET) never unsubscribes; the RFC 8058 one-click POST does', async () => {
    const url = `${t.app.url}/newsletter/unsubscribe?token=${encodeURIComponent(unsubscribeToken)}`;
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('method="post"');
    expect((await findSubscriber(stored)).state).toBe('active');

    const oneClick = await postForm(url, [['List-Unsubscribe', 'One-Click']]);
    expect(oneClick.status).toBe(200);
    expect(oneClick.headers.get('set-cookie')).toBeNull();
    const subscriber = await findSubscriber(stored);
    expect(subscriber.state).toBe('unsubscribed');
    expect(subscriber.unsubscribedAt).toBeTruthy();
    expect(subscriber.name).toBeNull();
    // Again: still fine, still unsubscribed.
    expect((await postForm(url, [['List-Unsubscribe', 'One-Click']])).status).toBe(200);
  });

  it('the confirm link of an unsubscribed address says why it cannot confirm, and how to sign up again', async () => {
    const { linkKey } = await findSubscriber(stored);
    const token = signLinkToken({ purpose: 'confirm', linkKey, expiresAt: Math.floor(Date.now() / 1000) + 3600 }, process.env.TOKEN_SECRET!);
    const confirmUrl = `${t.app.url}/newsletter/confirm?token=${encodeURIComponent(token)}`;
    for (const response of [
      await fetch(confirmUrl),
      await fetch(`${confirmUrl}&lang=en`),
      await fetch(confirmUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'confirm=yes' }),
    ]) {
      expect(response.status).toBe(410);
      const page = await response.text();
      expect(page).not.toMatch(/copied|meegekopieerd/);
      expect(page).toMatch(/This sign-up can no longer be confirmed|Deze aanmelding kan niet meer worden bevestigd/);
      expect(page).toMatch(/href="\/newsletter\?lang=(en|nl)"/);
    }
    // In the reader's language (changed to Dutch above), or the one asked for.
    expect(await (await fetch(confirmUrl)).text()).toContain(
      'Dit e-mailadres is afgemeld voor de nieuwsbrief, of we kunnen er geen e-mail meer naartoe sturen.',
    );
    expect(await (await fetch(`${confirmUrl}&lang=en`)).text()).toContain(
      'This email address was unsubscribed from the newsletter, or we can no longer send email to it.',
    );
    expect((await findSubscriber(stored)).state).toBe('unsubscribed');
  });
});

describe('hosted pages', () => {
  it.each(['nl', 'en'])('the privacy statement (%s) says what is kept and for how long', async (lang) => {
    const response = await fetch(`${t.app.url}/newsletter/privacy?lang=${lang}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(`<html lang="${lang}">`);
    expect(page).toMatch(lang === 'nl' ? /na 30 dagen/ : /after 30 days/);
    expect(page).not.toMatch(/<script|src=/);
  });

  it("records where consent was given: the form's page (Referer), else `form` for a form post and `api` for JSON", async () => {
    const plain = await postForm('/api/subscriptions', [
      ['email', 'form.reader@example.org'],
      ['locale', 'nl'],
      ['consent', 'true'],
    ]);
    expect(plain.status).toBe(303);
    const embedded = await t.postForm(
      '/api/subscriptions',
      [
        ['email', 'page.reader@example.org'],
        ['locale', 'nl'],
        ['consent', 'true'],
      ],
      { headers: { referer: 'https://zorgnetwerk.example/nieuwsbrief?utm=x' } },
    );
    expect(embedded.status).toBe(303);
    expect((await subscribe('json.reader@example.org')).status).toBe(202);
    expect((await t.waitForSubscriber('form.reader@example.org')).consent.source).toBe('form');
    expect((await t.waitForSubscriber('page.reader@example.org')).consent.source).toBe('https://zorgnetwerk.example/nieuwsbrief');
    expect((await t.waitForSubscriber('json.reader@example.org')).consent.source).toBe('api');
  });

  it('the signup form can be embedded; token pages cannot', async () => {
    const form = await fetch(`${t.app.url}/newsletter?lang=en`);
    expect(form.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(form.headers.get('x-frame-options')).toBeNull();
    const invalid = await fetch(`${t.app.url}/newsletter/preferences?token=nope`);
    expect(invalid.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

describe('no enumeration', () => {
  it('answers a new and an already active address identically, and sends nothing new to the active one beyond one notice', async () => {
    const fresh = await subscribe('brand.new@example.org');
    const existing = await subscribe('anna.jansen@example.org'); // active in the seed
    expect(existing.status).toBe(fresh.status);
    expect(existing.body).toEqual(fresh.body);
    await t.queuesIdle();
    const notices = mailsTo(t.sink, 'anna.jansen@example.org');
    expect(notices).toHaveLength(1);
    expect(notices[0].html).toContain('/newsletter/preferences?token=');
    expect(notices[0].html).not.toContain('/newsletter/confirm');
    // The active subscriber's preferences were not changed by an anonymous request.
    expect((await findSubscriber('anna.jansen@example.org')).themes).toEqual(['meten-van-leercultuur', 'verandermanagement']);
    await subscribe('anna.jansen@example.org');
    await t.queuesIdle();
    expect(mailsTo(t.sink, 'anna.jansen@example.org')).toHaveLength(1);
  });

  it('accepts a honeypot submission like any other and stores nothing', async () => {
    const response = await subscribe('bot@example.org', { website: 'http://spam.example' });
    expect(response.status).toBe(202);
    await t.queuesIdle();
    expect(await findSubscriber('bot@example.org')).toBeNull();
  });
});

describe('bad input gets a clear answer and changes nothing', () => {
  const valid = { email: 'valid.person@example.org', locale: 'nl', themes: ['verandermanagement'], consent: true };
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a malformed address', { email: 'not-an-email' }, 'email'],
    ['CR/LF header injection', { email: 'x@example.org\r\nBcc: victim@example.org' }, 'email'],
    ['a 300-character address', { email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(40)}.nl` }, 'email'],
    ['an unknown theme', { themes: ['astrology'] }, 'themes'],
    ['an unknown locale', { locale: 'de' }, 'locale'],
    ['no consent', { consent: false }, 'consent'],
    ['a name with a line break', { name: 'Eve\nBcc: x' }, 'name'],
  ];

  it.each(cases)('%s -> 400 naming the field', async (_label, change, field) => {
    await t.queuesIdle();
    const before = await allSubscribers();
    const response = await postJson('/api/subscriptions', { ...valid, ...change });
    expect(response.status).toBe(400);
    expect(response.body.error.details.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(response.body.error.message).toMatch(new RegExp(field));
    await t.queuesIdle();
    expect(await allSubscribers()).toEqual(before);
  });

  it.each([
    ['a list', ['a@example.org', 'b@example.org']],
    ['an object', { $ne: '' }],
    ['a number', 42],
  ])('an email given as %s -> 400 saying it must be a single text value', async (_label, email) => {
    const response = await postJson('/api/subscriptions', { ...valid, locale: 'en', email });
    expect(response.status).toBe(400);
    expect(response.body.error.details.errors).toEqual([expect.objectContaining({ field: 'email', code: 'email_not_text' })]);
    expect(response.body.error.message).toContain('must be a single text value');
    const resend = await postJson('/api/subscriptions/resend', { locale: 'en', email });
    expect(resend.body.error.message).toContain('must be a single text value');
  });

  it('a form post with errors gets the form back (400) with the message and what was typed', async () => {
    const response = await postForm('/api/subscriptions', [
      ['email', 'wrong@'],
      ['locale', 'en'],
      ['name', 'Kim'],
      ['consent', 'true'],
    ]);
    expect(response.status).toBe(400);
    expect(response.text).toContain('aria-invalid="true"');
    expect(response.text).toContain('not a valid email address');
    expect(response.text).toContain('value="Kim"');
  });

  it('a huge body -> 413, an unsupported content type -> 415', async () => {
    await t.queuesIdle();
    const before = await allSubscribers();
    const huge = await postJson('/api/subscriptions', { ...valid, name: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
    const text = await fetch(`${t.app.url}/api/subscriptions`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(415);
    await t.queuesIdle();
    expect(await allSubscribers()).toEqual(before);
  });

  it.each([
    ['a tampered token', (t: string) => `${t.slice(0, -2)}${t.endsWith('A') ? 'BB' : 'AA'}`, 400],
    ['a token signed with another secret', () => signLinkToken({ purpose: 'confirm', linkKey: 'A'.repeat(22) }, 'another secret'), 400],
    [
      'an expired token',
      (_t: string, key: string) =>
        signLinkToken({ purpose: 'confirm', linkKey: key, expiresAt: Math.floor(Date.now() / 1000) - 60 }, process.env.TOKEN_SECRET!),
      410,
    ],
    ['a token of another purpose', (_t: string, key: string) => signLinkToken({ purpose: 'preferences', linkKey: key }, process.env.TOKEN_SECRET!), 400],
    ['garbage', () => '<script>', 400],
  ] as const)('%s on the confirm link -> a clear page, nothing changes', async (_label, makeToken, status) => {
    await subscribe('token.case@example.org');
    await t.queuesIdle();
    const subscriber = await t.waitForSubscriber('token.case@example.org');
    const goodToken = signLinkToken(
      { purpose: 'confirm', linkKey: subscriber.linkKey, expiresAt: Math.floor(Date.now() / 1000) + 3600 },
      process.env.TOKEN_SECRET!,
    );
    await t.queuesIdle();
    const before = await allSubscribers();
    const response = await fetch(`${t.app.url}/newsletter/confirm?token=${encodeURIComponent(makeToken(goodToken, subscriber.linkKey))}`);
    expect(response.status).toBe(status);
    const page = await response.text();
    expect(page).toContain('<html lang=');
    expect(page).not.toMatch(/Internal Server Error|\bat .+:\d+:\d+|Exception/);
    await t.queuesIdle();
    expect(await allSubscribers()).toEqual(before);
  });
});

describe('the subscriber list for integrations (API token with the subscribers scope)', () => {
  const SCOPES = ['api::subscriber.subscriber.find', 'api::subscriber.subscriber.create', 'api::subscriber.subscriber.unsubscribe'];
  const tokenOf = async (name: string, type: 'custom' | 'read-only' | 'full-access', permissions: string[] = []) =>
    (
      await t.app.strapi
        .service('admin::api-token')
        .create({ name: `${name} ${Date.now()}`, type, lifespan: null, ...(type === 'custom' ? { permissions } : {}) })
    ).accessKey as string;
  const call = (token: string | null, method: 'GET' | 'POST', path: string, body?: unknown) =>
    fetch(`${t.app.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  let crm = '';

  beforeAll(async () => {
    crm = await tokenOf('CRM koppeling', 'custom', SCOPES);
  });

  it('refuses the Public role, read-only and full-access tokens, and a custom token without the scope (403), writing nothing', async () => {
    const others = [
      null,
      await tokenOf('website', 'read-only'),
      await tokenOf('alles', 'full-access'),
      await tokenOf('artikelen', 'custom', ['api::article.article.find']),
    ];
    for (const token of others) {
      expect((await call(token, 'GET', '/api/subscribers')).status).toBe(403);
      expect((await call(token, 'POST', '/api/subscribers', { email: 'indringer@example.org', consent: true })).status).toBe(403);
      expect((await call(token, 'POST', '/api/subscribers/unsubscribe', { email: 'anna.jansen@example.org' })).status).toBe(403);
    }
    await t.queuesIdle();
    expect(await findSubscriber('indringer@example.org')).toBeNull();
    expect((await findSubscriber('anna.jansen@example.org')).state).toBe('active');
  });

  it('lists readers a page at a time, filtered, without the link key or consent evidence; a bad query is a 400', async () => {
    const response = await call(crm, 'GET', '/api/subscribers?state=active&locale=nl&pageSize=1');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      data: Array<Record<string, unknown>>;
      meta: { pagination: { page: number; pageSize: number; total: number; pageCount: number } };
    };
    expect(body.data).toHaveLength(1);
    expect(body.meta.pagination).toMatchObject({ page: 1, pageSize: 1 });
    expect(body.meta.pagination.total).toBeGreaterThanOrEqual(2);
    expect(body.data[0]).toMatchObject({ state: 'active', locale: 'nl' });
    expect(Object.keys(body.data[0]).sort()).toEqual([
      'confirmedAt',
      'createdAt',
      'documentId',
      'email',
      'locale',
      'name',
      'state',
      'themes',
      'unsubscribedAt',
      'updatedAt',
    ]);
    const second = (await (await call(crm, 'GET', '/api/subscribers?state=active&locale=nl&pageSize=1&page=2')).json()) as { data: Array<{ email: string }> };
    expect(second.data[0].email).not.toBe(body.data[0].email);
    const themed = (await (await call(crm, 'GET', '/api/subscribers?state=active&theme=meten-van-leercultuur')).json()) as { data: Array<{ email: string }> };
    expect(themed.data.map((reader) => reader.email)).toContain('anna.jansen@example.org');
    expect(themed.data.map((reader) => reader.email)).not.toContain('grace.okafor@example.org'); // follows another theme only
    for (const query of ['pageSize=1001', 'page=0', 'state=weg', 'locale=fr', 'theme=<x>'])
      expect((await call(crm, 'GET', `/api/subscribers?${query}`)).status, query).toBe(400);
  });

  it("adds a reader through the reader's own double opt-in: 202, pending, one confirmation mail, the token named as the consent's source", async () => {
    expect((await call(crm, 'POST', '/api/subscribers', { data: { email: 'geen adres', consent: true } })).status).toBe(400);
    expect((await call(crm, 'POST', '/api/subscribers', { data: { email: 'crm.lid@example.org' } })).status).toBe(400); // no consent
    const created = await call(crm, 'POST', '/api/subscribers', { data: { email: 'CRM.Lid@example.org', name: 'Lid', locale: 'nl', consent: true } });
    expect(created.status).toBe(202);
    const [mail] = await waitForMail(t.sink, 'crm.lid@example.org');
    expect(mail.html).toContain('/newsletter/confirm?token=');
    const stored = await findSubscriber('crm.lid@example.org');
    expect(stored).toMatchObject({ state: 'pending', name: 'Lid' });
    expect(stored.consent.source).toMatch(/^api-token:CRM koppeling/);
  });

  it('unsubscribes a reader as their own link does; a bounced reader stays bounced; an unknown address is a 404', async () => {
    const response = await call(crm, 'POST', '/api/subscribers/unsubscribe', { email: 'Pieter.deVries@example.org' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { state: string } }).data.state).toBe('unsubscribed');
    expect(await findSubscriber('pieter.devries@example.org')).toMatchObject({ state: 'unsubscribed', name: null });
    expect((await call(crm, 'POST', '/api/subscribers/unsubscribe', { email: 'niemand@example.org' })).status).toBe(404);
    expect((await call(crm, 'POST', '/api/subscribers/unsubscribe', { email: 'geen adres' })).status).toBe(400);
  });
});

describe('abuse limits', () => {
  it('sends at most three confirmation mails per address per day, silently', async () => {
    const address = 'limit.test@example.org';
    for (let i = 0; i < 5; i += 1) {
      const response = await subscribe(address);
      expect(response.status).toBe(202);
    }
    await t.queuesIdle();
    await waitForMail(t.sink, address, 3);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailsTo(t.sink, address)).toHaveLength(3);
    const resend = await postJson('/api/subscriptions/resend', { email: address });
    expect(resend.status).toBe(202);
    await t.queuesIdle();
    expect(mailsTo(t.sink, address)).toHaveLength(3);
  });

  it('a worker killed mid-job does not lose the confirmation mail', async () => {
    const address = 'crash.test@example.org';
    t.sink.setFaults({ delayMs: 4000 });
    await subscribe(address);
    // Wait until the worker holds the job (its SendGrid request is in flight), then kill it hard.
    const deadline = Date.now() + 15_000;
    while ((await t.mailQueue.getJobCounts('active')).active === 0) {
      if (Date.now() > deadline) throw new Error('the job never became active');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await t.worker.kill('SIGKILL');
    t.sink.clearFaults();
    const before = mailsTo(t.sink, address).length;
    t.worker = await startWorker();
    await t.worker
      .waitFor((event) => event.event === 'mail.submitted' && event.kind === 'confirmation', 60_000)
      .catch(async (error) => {
        console.log('DEBUG', JSON.stringify(await t.mailQueue.getJobCounts()), JSON.stringify(t.worker.events));
        throw error;
      });
    const after = await waitForMail(t.sink, address, before + 1);
    expect(after.length).toBeGreaterThan(before);
    expect((await findSubscriber(address)).state).toBe('pending');
  });

  it('over the per-IP limit answers 429 with Retry-After', async () => {
    let limited: Awaited<ReturnType<typeof subscribe>> | undefined;
    for (let i = 0; i < IP_LIMIT + 1 && !limited; i += 1) {
      const response = await postJson('/api/subscriptions/resend', { email: `ip${i}@example.org` });
      if (response.status === 429) limited = response;
      else expect(response.status).toBe(202);
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited!.body.error.name).toBe('TooManyRequestsError');
  });
});
