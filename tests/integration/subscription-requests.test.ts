/**
 * The public subscription edge as an attacker or a mail scanner meets it: every address state costs the request the same work, mail does not echo what a stranger
 * typed, limits count the inbox, the embeddable form keeps one frame policy, and oversized input
 * gets a page. Real CMS over HTTP, real Redis queues, a real worker, the SendGrid stand-in.
 */
import { describe, expect, it } from 'vitest';
import { newLinkKey } from '../../src/core/domain/tokens';
import { mailsTo, waitForMail } from '../support/mail';
import { useSubscriptionApp } from '../support/subscription-app';

const IP_LIMIT = 5;
const t = useSubscriptionApp('subscription-requests', { SUBSCRIBE_LIMIT_PER_IP_HOUR: String(IP_LIMIT), TRUST_PROXY: 'true' });
let ipCounter = 0;
/** Each test speaks from its own address (TRUST_PROXY), so the per-IP limit of one does not touch another. */
const newIp = () => `198.51.100.${(ipCounter += 1)}`;

const subscribeFrom = (ip: string, email: string, extra: Record<string, unknown> = {}) =>
  t.postJson('/api/subscriptions', { email, locale: 'en', themes: [], consent: true, ...extra }, { 'x-forwarded-for': ip });

const frameHeaders = (headers: Headers) => ({ csp: headers.get('content-security-policy') ?? '', xfo: headers.get('x-frame-options') });

describe('the same work for every address state', () => {
  it('answers without reading or writing any subscriber: one request job each, the worker decides afterwards', async () => {
    await t.app.strapi.documents('api::subscriber.subscriber').create({
      data: { email: 'complained.reader@example.org', state: 'complained', preferredLocale: 'en', themes: [], linkKey: newLinkKey() },
    } as never);
    await t.queuesIdle();
    await t.stopWorker();
    const before = await t.allSubscribers();
    const addresses = {
      new: 'never.seen@example.org',
      pending: 'tom.baker@example.org',
      active: 'grace.okafor@example.org',
      unsubscribed: 'sanne.bakker@example.org',
      complained: 'complained.reader@example.org',
    };
    const answers = [];
    for (const email of Object.values(addresses)) answers.push(await subscribeFrom(newIp(), email));
    for (const answer of answers) {
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual(answers[0].body);
    }
    // Nothing stored, nothing mailed yet: the request did not look the address up.
    expect(await t.allSubscribers()).toEqual(before);
    expect(await t.mailQueue.getJobCounts('waiting', 'delayed')).toEqual({ waiting: 0, delayed: 0 });
    const jobs = await t.requestQueue.getJobs(['waiting']);
    expect(jobs).toHaveLength(5);
    for (const job of jobs) {
      // Only what the sign-up needs; the IP only as a keyed hash; gone once handled.
      expect(Object.keys(job.data).sort()).toEqual(['consent', 'email', 'kind', 'locale', 'name', 'themes']);
      expect(Object.keys(job.data.consent).sort()).toEqual(['givenAt', 'ipHash', 'source', 'textVersion']);
      expect(JSON.stringify(job.data)).not.toContain('198.51.100.');
      expect(job.opts.removeOnComplete).toBe(true);
    }

    await t.restartWorker();
    await t.queuesIdle();
    expect(await t.requestQueue.getJobCounts('completed', 'failed')).toEqual({ completed: 0, failed: 0 });
    expect((await t.findSubscriber(addresses.new)).state).toBe('pending');
    expect((await t.findSubscriber(addresses.unsubscribed)).state).toBe('pending');
    expect((await t.findSubscriber(addresses.active)).state).toBe('active');
    expect((await t.findSubscriber(addresses.complained)).state).toBe('complained');
    const kinds = (email: string) => mailsTo(t.sink, email).map((mail) => (mail.html?.includes('/newsletter/confirm?token=') ? 'confirmation' : 'notice'));
    await waitForMail(t.sink, addresses.new);
    expect(kinds(addresses.new)).toEqual(['confirmation']);
    expect(kinds(addresses.pending)).toEqual(['confirmation']);
    expect(kinds(addresses.unsubscribed)).toEqual(['confirmation']);
    expect(kinds(addresses.active)).toEqual(['notice']);
    expect(kinds(addresses.complained)).toEqual([]);
  });

  it('resend: the same answer and one job for any address; only a pending one gets a mail', async () => {
    await t.queuesIdle();
    await t.stopWorker();
    const pendingMails = mailsTo(t.sink, 'tom.baker@example.org').length;
    const ip = newIp();
    const answers = [];
    for (const email of ['tom.baker@example.org', 'pieter.devries@example.org', 'nobody.here@example.org']) {
      answers.push(await t.postJson('/api/subscriptions/resend', { email }, { 'x-forwarded-for': ip }));
    }
    for (const answer of answers) expect([answer.status, answer.body]).toEqual([202, answers[0].body]);
    expect(await t.requestQueue.getJobCounts('waiting')).toEqual({ waiting: 3 });
    await t.restartWorker();
    await t.queuesIdle();
    expect(mailsTo(t.sink, 'tom.baker@example.org')).toHaveLength(pendingMails + 1);
    expect(mailsTo(t.sink, 'pieter.devries@example.org')).toHaveLength(0);
    expect(await t.findSubscriber('nobody.here@example.org')).toBeNull();
  });
});

describe('signing up again after a suppression (delivery feedback)', () => {
  it('after a bounce: pending again with the reason gone; after a spam report: nothing until an Editor sets it active', async () => {
    const documents = t.app.strapi.documents('api::subscriber.subscriber');
    const suppressed = (email: string, state: 'bounced' | 'complained', reason: string) =>
      documents.create({
        data: { email, state, preferredLocale: 'nl', themes: [], linkKey: newLinkKey(), suppressionReason: reason, suppressedAt: new Date().toISOString() },
      } as never);
    await suppressed('bounced.again@example.org', 'bounced', 'Bounce 5.1.1 Invalid Address');
    const complaint = (await suppressed('complained.again@example.org', 'complained', 'Spam report (marked as spam in the mailbox)')) as unknown as {
      documentId: string;
    };
    await subscribeFrom(newIp(), 'bounced.again@example.org');
    await subscribeFrom(newIp(), 'complained.again@example.org');
    await t.queuesIdle();
    expect(await t.findSubscriber('bounced.again@example.org')).toMatchObject({ state: 'pending', suppressionReason: null, suppressedAt: null });
    expect(await t.findSubscriber('complained.again@example.org')).toMatchObject({
      state: 'complained',
      suppressionReason: 'Spam report (marked as spam in the mailbox)',
    });
    await waitForMail(t.sink, 'bounced.again@example.org');
    expect(mailsTo(t.sink, 'complained.again@example.org')).toEqual([]);
    // An Editor lifts the complaint (the admin panel saves the whole record, the reason included).
    await documents.update({
      documentId: complaint.documentId,
      data: { state: 'active', suppressionReason: 'Spam report (marked as spam in the mailbox)' },
    } as never);
    expect(await t.findSubscriber('complained.again@example.org')).toMatchObject({ state: 'active', suppressionReason: null, suppressedAt: null });
  });
});

describe('mail does not echo what a stranger typed', () => {
  const bait = 'Your account is blocked, log in at https://evil.example';

  it('the confirmation mail greets neutrally, whatever the name field says (the name is still stored)', async () => {
    await subscribeFrom(newIp(), 'echo.victim@example.org', { name: bait });
    const [mail] = await waitForMail(t.sink, 'echo.victim@example.org');
    for (const part of [mail.html ?? '', mail.text ?? '']) {
      expect(part).not.toContain('evil.example');
      expect(part).not.toContain('blocked');
    }
    expect(mail.text).toMatch(/^Hello,$/m);
    expect((await t.findSubscriber('echo.victim@example.org')).name).toBe(bait);
  });

  it('the "already subscribed" notice greets neutrally too', async () => {
    await subscribeFrom(newIp(), 'anna.jansen@example.org', { name: bait, locale: 'nl' });
    const [notice] = await waitForMail(t.sink, 'anna.jansen@example.org');
    expect(notice.text).not.toContain('evil.example');
    expect(notice.text).not.toContain('Anna');
    expect(notice.text).toMatch(/^Hallo,$/m);
  });
});

describe('per-address limits count the inbox', () => {
  const totalMails = (addresses: string[]) => addresses.reduce((sum, address) => sum + mailsTo(t.sink, address).length, 0);

  it.each([
    ['plus-tags', ['inbox+1@example.org', 'inbox+2@example.org', 'inbox+3@example.org', 'inbox+4@example.org', 'inbox@example.org']],
    [
      'Gmail dots and googlemail.com',
      ['j.an.smit@gmail.com', 'jansmit@googlemail.com', 'ja.nsmit+x@gmail.com', 'j.a.n.s.m.i.t@gmail.com', 'jansmit@gmail.com'],
    ],
  ])('%s: at most three confirmation mails a day to one inbox', async (_label, addresses) => {
    const ip = newIp();
    for (const address of addresses) expect((await subscribeFrom(ip, address)).status).toBe(202);
    await t.queuesIdle();
    expect(totalMails(addresses)).toBe(3);
    // Each address is still stored as given.
    for (const address of addresses) expect((await t.findSubscriber(address))?.email).toBe(address);
  });
});

describe('confirm links: scanners change nothing', () => {
  it('HEAD and GET leave a pending sign-up pending; the POST of the page confirms', async () => {
    await subscribeFrom(newIp(), 'scanned.link@example.org');
    const [mail] = await waitForMail(t.sink, 'scanned.link@example.org');
    const confirmUrl = /https?:\/\/[^\s]+\/newsletter\/confirm\?token=[^\s]+/.exec(mail.text ?? '')![0];
    for (let i = 0; i < 3; i += 1) {
      expect((await fetch(confirmUrl, { method: 'HEAD' })).status).toBe(200);
      expect((await fetch(confirmUrl)).status).toBe(200);
    }
    expect((await t.findSubscriber('scanned.link@example.org')).state).toBe('pending');
    expect((await t.postForm(confirmUrl, [['confirm', 'yes']])).status).toBe(200);
    expect((await t.findSubscriber('scanned.link@example.org')).state).toBe('active');
  });
});

describe('one frame policy for the embeddable form', () => {
  const embeddable = (headers: Headers) => {
    const { csp, xfo } = frameHeaders(headers);
    expect(csp).toContain('frame-ancestors *');
    expect(csp).not.toContain("frame-ancestors 'none'");
    expect(xfo).toBeNull();
  };
  const form = (ip: string, fields: Array<[string, string]>) => t.postForm('/api/subscriptions', fields, { headers: { 'x-forwarded-for': ip } });

  it('the form, its error page, its redirect, the check-inbox page and its 429 may all be framed', async () => {
    embeddable((await fetch(`${t.app.url}/newsletter?lang=en`)).headers);
    embeddable((await fetch(`${t.app.url}/newsletter/check-inbox?lang=en`)).headers);
    const ip = newIp();
    const invalid = await form(ip, [
      ['email', 'wrong@'],
      ['locale', 'en'],
      ['consent', 'true'],
    ]);
    expect(invalid.status).toBe(400);
    embeddable(invalid.headers);
    const accepted = await form(ip, [
      ['email', 'framed.reader@example.org'],
      ['locale', 'en'],
      ['consent', 'true'],
    ]);
    expect(accepted.status).toBe(303);
    embeddable(accepted.headers);
    let limited = accepted;
    for (let i = 0; i < IP_LIMIT && limited.status !== 429; i += 1)
      limited = await form(ip, [
        ['email', 'wrong@'],
        ['consent', 'true'],
      ]);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('text/html');
    embeddable(limited.headers);
  });

  it('pages opened from mail links still refuse every frame', async () => {
    const { csp, xfo } = frameHeaders((await fetch(`${t.app.url}/newsletter/confirm?token=nope`)).headers);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(xfo).toBe('DENY');
  });
});

describe('oversized input gets a page', () => {
  it('a form post over 16 KiB: 413 with the signup form and a message, framable; JSON keeps its JSON 413', async () => {
    await t.queuesIdle();
    const before = await t.allSubscribers();
    const response = await t.postForm(
      '/api/subscriptions?lang=en',
      [
        ['email', 'big.form@example.org'],
        ['name', 'x'.repeat(20_000)],
        ['consent', 'true'],
      ],
      { headers: { 'x-forwarded-for': newIp() } },
    );
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.body).toContain('<form method="post" action="/api/subscriptions">');
    expect(response.body).toContain('What you entered is too long (at most 16 KiB in all)');
    expect(response.body).toContain('role="alert"');
    expect(frameHeaders(response.headers).csp).toContain('frame-ancestors *');
    expect(frameHeaders(response.headers).xfo).toBeNull();
    const json = await t.postJson('/api/subscriptions', { email: 'big.json@example.org', name: 'x'.repeat(20_000) });
    expect(json.status).toBe(413);
    expect(json.body.error.name).toBe('PayloadTooLargeError');
    await t.queuesIdle();
    expect(await t.allSubscribers()).toEqual(before);
  });

  it.each([
    ['10 KB (read by the app)', 10_000, 'GET'],
    ['100 KB (refused by the HTTP parser)', 100_000, 'GET'],
    ['1 MB', 1_000_000, 'GET'],
    ['100 KB, HEAD', 100_000, 'HEAD'],
  ])('a %s token on a mail link: the invalid-link page, not a reset', async (_label, size, method) => {
    const response = await fetch(`${t.app.url}/newsletter/confirm?token=${'A'.repeat(size)}`, { method });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(frameHeaders(response.headers).csp).toContain("frame-ancestors 'none'");
    if (method === 'GET') expect(await response.text()).toContain('Deze link werkt niet');
  });

  it('any other oversized request head gets a 431 answer, not a reset; the server keeps serving', async () => {
    const response = await fetch(`${t.app.url}/api/articles?q=${'a'.repeat(100_000)}`);
    expect(response.status).toBe(431);
    expect((await fetch(`${t.app.url}/newsletter?lang=nl`)).status).toBe(200);
  });
});
