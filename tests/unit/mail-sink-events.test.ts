import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import {
  eventsForAcceptedMail,
  generateWebhookKeys,
  parseWebhookPrivateKey,
  signEventPost,
  webhookPublicKeyOf,
  type SendGridEvent,
} from '../../scripts/mail-sink/events';
import { startMailSink, type MailSink, type WebhookOptions } from '../../scripts/mail-sink/server';
import type { MailSendBody } from '../../scripts/mail-sink/validate';

const KEYS = generateWebhookKeys();
const API_KEY = 'SG.events-test-key';

function publicKeyObject(publicKeyBase64: string) {
  return createPublicKey({ key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'spki' });
}

/** What a receiver does: verify the signature over timestamp + the raw bytes it received. */
function verifies(publicKeyBase64: string, timestamp: string, body: Buffer, signature: string): boolean {
  return verify('sha256', Buffer.concat([Buffer.from(timestamp), body]), publicKeyObject(publicKeyBase64), Buffer.from(signature, 'base64'));
}

function mail(to: string[], extra: Partial<MailSendBody> = {}): MailSendBody {
  return {
    from: { email: 'nieuwsbrief@netwerkpost.nl' },
    subject: 'Nieuwsbrief',
    personalizations: to.map((email) => ({ to: [{ email }] })),
    content: [{ type: 'text/html', value: '<p>Lees <a href="https://example.org/artikel?a=1&amp;b=2">meer</a></p>' }],
    ...extra,
  };
}

const byType = (events: SendGridEvent[], email: string) => events.filter((e) => e.email === email).map((e) => e.event);

describe('webhook keys and signature', () => {
  it('signs timestamp + raw body so that node:crypto verifies it with the base64 DER SPKI key', () => {
    const body = Buffer.from(JSON.stringify([{ email: 'a@example.org', event: 'processed' }]));
    const signature = signEventPost(KEYS.privateKey, '1767225600', body);
    expect(verifies(KEYS.publicKey, '1767225600', body, signature)).toBe(true);
    const flipped = Buffer.from(body);
    flipped[5] = (flipped[5] as number) ^ 0x01;
    expect(verifies(KEYS.publicKey, '1767225600', flipped, signature)).toBe(false);
    expect(verifies(KEYS.publicKey, '1767225601', body, signature)).toBe(false);
    expect(signEventPost(KEYS.privateKey, '1', 'é')).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('derives the public key from the private one and refuses keys SendGrid would not use', () => {
    expect(webhookPublicKeyOf(KEYS.privateKey)).toBe(KEYS.publicKey);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    for (const bad of ['', 'not base64!', 'AAAA', rsa, p384, KEYS.publicKey]) expect(() => parseWebhookPrivateKey(bad)).toThrow(TypeError);
  });
});

describe('events for an accepted request', () => {
  const addresses = ['bounce-a@x.nl', 'blocked-b@x.nl', 'dropped-c@x.nl', 'defer-d@x.nl', 'spam-e@x.nl', 'unsub-f@x.nl', 'groupunsub-g@x.nl', 'h@x.nl'];
  const events = eventsForAcceptedMail(mail(addresses), 'MSGID123', { now: 1_767_225_600 });

  it('gives each address pattern the events of the contract, in order', () => {
    expect(Object.fromEntries(addresses.map((a) => [a, byType(events, a)]))).toEqual({
      'bounce-a@x.nl': ['processed', 'bounce'],
      'blocked-b@x.nl': ['processed', 'bounce'],
      'dropped-c@x.nl': ['processed', 'dropped'],
      'defer-d@x.nl': ['processed', 'deferred', 'delivered'],
      'spam-e@x.nl': ['processed', 'delivered', 'spamreport'],
      'unsub-f@x.nl': ['processed', 'delivered', 'unsubscribe'],
      'groupunsub-g@x.nl': ['processed', 'delivered', 'group_unsubscribe'],
      'h@x.nl': ['processed', 'delivered'],
    });
    const find = (email: string, event: string) => events.find((e) => e.email === email && e.event === event);
    expect(find('bounce-a@x.nl', 'bounce')).toMatchObject({
      type: 'bounce',
      status: '5.1.1',
      reason: '550 5.1.1 The email account that you tried to reach does not exist',
      bounce_classification: 'Invalid Address',
    });
    expect(find('blocked-b@x.nl', 'bounce')).toMatchObject({ type: 'blocked', status: '5.7.1', bounce_classification: 'Reputation' });
    expect(find('dropped-c@x.nl', 'dropped')).toMatchObject({ reason: 'Bounced Address' });
    expect(find('defer-d@x.nl', 'deferred')).toMatchObject({ attempt: '1', response: '451 4.7.1 try again later' });
    expect(find('groupunsub-g@x.nl', 'group_unsubscribe')).toMatchObject({ asm_group_id: 1 });
    expect(byType(eventsForAcceptedMail(mail(['BOUNCE-Upper@X.nl']), 'M'), 'BOUNCE-Upper@X.nl')).toEqual(['processed', 'bounce']);
  });

  it("has SendGrid's common fields: unique ids, one sg_message_id per personalization, ordered timestamps", () => {
    const ids = events.map((e) => e.sg_event_id);
    expect(new Set(ids).size).toBe(events.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    for (const e of events) {
      expect(e.sg_message_id.startsWith('MSGID123.')).toBe(true);
      expect(typeof e.timestamp).toBe('number');
      expect(e).not.toHaveProperty('category');
    }
    const messageIds = addresses.map((a) => new Set(events.filter((e) => e.email === a).map((e) => e.sg_message_id)));
    for (const set of messageIds) expect(set.size).toBe(1);
    expect(new Set(messageIds.map((set) => [...set][0])).size).toBe(addresses.length);
    for (const a of addresses) {
      const times = events.filter((e) => e.email === a).map((e) => e.timestamp);
      expect(times).toEqual([...times].sort((x, y) => x - y));
      expect(times[0]).toBe(1_767_225_600);
    }
    expect(events.find((e) => e.event === 'delivered')?.['smtp-id']).toMatch(/^<MSGID123\.\d+@/);
  });

  it('adds open and click with tracking on (machine opens for mpp-*), and only to delivered mail', () => {
    const tracked = eventsForAcceptedMail(
      mail(['h@x.nl', 'mpp-i@x.nl', 'click-j@x.nl', 'bounce-k@x.nl'], {
        tracking_settings: { open_tracking: { enable: true }, click_tracking: { enable: true } },
        categories: ['nieuwsbrief', 'editie'],
      }),
      'M',
    );
    expect(byType(tracked, 'h@x.nl')).toEqual(['processed', 'delivered', 'open']);
    expect(byType(tracked, 'click-j@x.nl')).toEqual(['processed', 'delivered', 'open', 'click']);
    expect(byType(tracked, 'bounce-k@x.nl')).toEqual(['processed', 'bounce']);
    const open = (email: string) => tracked.find((e) => e.email === email && e.event === 'open');
    expect(open('h@x.nl')?.sg_machine_open).toBe(false);
    expect(open('mpp-i@x.nl')?.sg_machine_open).toBe(true);
    expect(tracked.find((e) => e.event === 'click')?.url).toBe('https://example.org/artikel?a=1&b=2');
    for (const e of tracked) expect(e.category).toEqual(['nieuwsbrief', 'editie']);
    // Without tracking settings: no engagement but the address patterns'.
    expect(byType(eventsForAcceptedMail(mail(['click-j@x.nl']), 'M'), 'click-j@x.nl')).toEqual(['processed', 'delivered']);
  });

  it("puts custom args at the top level: the personalization's over the message's, SendGrid's fields over both", () => {
    const body = mail([], {
      custom_args: { mailing: 'edition:12', shared: 'message', event: 'spoofed', sg_event_id: 'spoofed' },
      personalizations: [{ to: [{ email: 'a@x.nl' }], custom_args: { delivery: 'k3', shared: 'personalization', email: 'spoofed' } }],
    });
    for (const e of eventsForAcceptedMail(body, 'M')) {
      expect(e).toMatchObject({ mailing: 'edition:12', delivery: 'k3', shared: 'personalization', email: 'a@x.nl' });
      expect(['processed', 'delivered']).toContain(e.event);
      expect(e.sg_event_id).not.toBe('spoofed');
    }
  });

  it('gives none in sandbox mode', () => {
    expect(eventsForAcceptedMail(mail(['a@x.nl'], { mail_settings: { sandbox_mode: { enable: true } } }), 'M')).toEqual([]);
    expect(eventsForAcceptedMail(mail(['a@x.nl'], { mail_settings: { sandbox_mode: { enable: false } } }), 'M')).toHaveLength(2);
  });
});

// ---------------------------------------------------------------------------
// Over HTTP: the stand-in posting to a local receiver

interface ReceivedPost {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  events: SendGridEvent[];
}

/** A webhook endpoint on 127.0.0.1 that records every post; `failNext` posts are answered 500. */
class Receiver {
  posts: ReceivedPost[] = [];
  failNext = 0;
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (this.failNext > 0) {
        this.failNext--;
        res.writeHead(500).end('try later');
        return;
      }
      const raw = Buffer.concat(chunks);
      this.posts.push({ headers: req.headers, raw, events: JSON.parse(raw.toString('utf8')) as SendGridEvent[] });
      res.writeHead(204).end();
    });
  });
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/sendgrid`;
  }

  events(): SendGridEvent[] {
    return this.posts.flatMap((p) => p.events);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

async function send(sink: MailSink, body: unknown, key: string | null = API_KEY): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  return fetch(`${sink.url}/v3/mail/send`, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function control(sink: MailSink, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const init: RequestInit = { method };
  if (body !== undefined) init.headers = { 'Content-Type': 'application/json' };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(`${sink.url}${path}`, init);
  return { status: res.status, json: await res.json() };
}

function recipients(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `lid${i}@example.nl`);
}

describe('the stand-in posts signed events', () => {
  const receiver = new Receiver();
  let sink: MailSink;
  const webhook = (extra: Partial<WebhookOptions> = {}): WebhookOptions => ({ url: receiver.url, privateKey: KEYS.privateKey, backoffMs: 5, ...extra });

  beforeAll(async () => {
    await receiver.start();
    sink = await startMailSink({ port: 0, apiKey: API_KEY });
  });
  afterEach(() => {
    sink.setWebhook(null);
    receiver.posts = [];
    receiver.failNext = 0;
  });
  afterAll(async () => {
    await sink.close();
    await receiver.stop();
  });

  it('as SendGrid does: JSON arrays with the signature headers over exactly the bytes posted (@sendgrid/mail sending)', async () => {
    sink.setWebhook(webhook());
    expect(sink.webhookPublicKey).toBe(KEYS.publicKey);
    const client = new Client();
    client.setApiKey(API_KEY);
    client.setDefaultRequest('baseUrl', sink.url);
    const mailer = new MailService();
    mailer.setClient(client);
    const [response] = await mailer.send({
      from: 'nieuwsbrief@netwerkpost.nl',
      subject: 'Editie 12',
      html: '<p>Hallo</p>',
      personalizations: [
        { to: 'anna@example.nl', customArgs: { delivery: 'a1' } },
        { to: 'bounce-bob@example.nl', customArgs: { delivery: 'a2' } },
      ],
      customArgs: { mailing: 'edition:12' },
    });
    expect(response.statusCode).toBe(202);
    const messageId = String(response.headers['x-message-id']);
    await sink.flushEvents();
    expect(receiver.posts.length).toBeGreaterThan(0);
    for (const post of receiver.posts) {
      expect(post.headers['content-type']).toBe('application/json');
      expect(post.headers['user-agent']).toBe('SendGrid Event API');
      const timestamp = String(post.headers['x-twilio-email-event-webhook-timestamp']);
      expect(timestamp).toMatch(/^\d{10}$/);
      expect(verifies(KEYS.publicKey, timestamp, post.raw, String(post.headers['x-twilio-email-event-webhook-signature']))).toBe(true);
      expect(Array.isArray(JSON.parse(post.raw.toString('utf8')))).toBe(true);
    }
    const events = receiver.events();
    expect(events.map((e) => `${e.email} ${e.event} ${String(e.delivery)}`).sort()).toEqual([
      'anna@example.nl delivered a1',
      'anna@example.nl processed a1',
      'bounce-bob@example.nl bounce a2',
      'bounce-bob@example.nl processed a2',
    ]);
    for (const e of events) expect(e).toMatchObject({ mailing: 'edition:12', sg_message_id: expect.stringMatching(new RegExp(`^${messageId}\\.`)) });
    expect(sink.eventCounts()).toMatchObject({ queued: 4, posted: 4, pending: 0, postsFailed: 0 });
  });

  it('posts nothing for refused or sandbox requests, and also posts in count mode', async () => {
    sink.setWebhook(webhook());
    sink.setFaults({ status500: 1 });
    expect((await send(sink, mail(['a@x.nl']))).status).toBe(500);
    sink.setFaults({ status429: 1 });
    expect((await send(sink, mail(['a@x.nl']))).status).toBe(429);
    sink.setFaults({ rejectAddress: 'a@x.nl' });
    expect((await send(sink, mail(['a@x.nl']))).status).toBe(400);
    sink.clearFaults();
    expect((await send(sink, mail(['a@x.nl']), null)).status).toBe(401);
    expect((await send(sink, { ...mail(['a@x.nl']), from: {} })).status).toBe(400);
    // SendGrid answers a sandbox request 200 (not 202), keeps and sends nothing.
    expect((await send(sink, mail(['a@x.nl'], { mail_settings: { sandbox_mode: { enable: true } } }))).status).toBe(200);
    await sink.flushEvents();
    expect(sink.eventCounts().queued).toBe(0);
    expect(receiver.posts).toHaveLength(0);

    const counting = await startMailSink({ port: 0, mode: 'count', webhook: webhook() });
    try {
      expect((await send(counting, mail(['a@x.nl', 'b@x.nl']))).status).toBe(202);
      await counting.flushEvents();
      expect(receiver.events()).toHaveLength(4);
    } finally {
      await counting.close();
    }
  });

  it('batches at most maxBatch events per post, and flush() posts without waiting for flushMs', async () => {
    sink.setWebhook(webhook({ maxBatch: 3, flushMs: 600_000 }));
    expect((await send(sink, mail(recipients(10)))).status).toBe(202);
    await sink.flushEvents();
    expect(receiver.posts.map((p) => p.events.length).every((n) => n >= 1 && n <= 3)).toBe(true);
    expect(receiver.posts.length).toBe(7);
    expect(new Set(receiver.events().map((e) => e.sg_event_id)).size).toBe(20);
    expect(sink.eventCounts()).toMatchObject({ queued: 20, posted: 20, postsOk: 7, pending: 0 });
  });

  it('retries a post answered 500, and gives up after maxAttempts when the receiver is unreachable', async () => {
    sink.setWebhook(webhook());
    receiver.failNext = 1;
    expect((await send(sink, mail(recipients(3)))).status).toBe(202);
    await sink.flushEvents();
    expect(new Set(receiver.events().map((e) => e.sg_event_id)).size).toBe(6);
    expect(sink.eventCounts()).toMatchObject({ queued: 6, posted: 6, postsFailed: 1, retries: 1, givenUp: 0 });

    const closed = new Receiver();
    await closed.start();
    await closed.stop(); // its port now refuses connections
    sink.setWebhook({ url: closed.url, privateKey: KEYS.privateKey, maxAttempts: 3, backoffMs: 1 });
    expect((await send(sink, mail(['a@x.nl']))).status).toBe(202);
    await sink.flushEvents();
    expect(sink.eventCounts()).toMatchObject({ queued: 2, posted: 0, postsFailed: 3, retries: 2, givenUp: 2, pending: 0 });
  });

  it('duplicates: events posted again, with the same sg_event_id, in a later post', async () => {
    sink.setWebhook(webhook({ duplicates: 1 }));
    expect((await send(sink, mail(recipients(2)))).status).toBe(202);
    await sink.flushEvents();
    const postsOf = new Map<string, number[]>();
    receiver.posts.forEach((post, index) => {
      for (const e of post.events) postsOf.set(e.sg_event_id, [...(postsOf.get(e.sg_event_id) ?? []), index]);
    });
    expect(postsOf.size).toBe(4);
    for (const [, posts] of postsOf) {
      expect(posts).toHaveLength(2);
      expect(posts[1]).toBeGreaterThan(posts[0] as number);
    }
    expect(sink.eventCounts()).toMatchObject({ queued: 4, duplicated: 4, posted: 8 });
  });

  it('shuffle: a delivered may come before its processed', async () => {
    sink.setWebhook(webhook({ shuffle: true }));
    expect((await send(sink, mail(['a@x.nl']))).status).toBe(202);
    await sink.flushEvents();
    expect(receiver.events().map((e) => e.event)).toEqual(['delivered', 'processed']);
  });

  it('delayMs holds events back', async () => {
    sink.setWebhook(webhook({ delayMs: 600_000 }));
    expect((await send(sink, mail(['a@x.nl']))).status).toBe(202);
    expect(sink.eventCounts()).toMatchObject({ queued: 2, pending: 2, posted: 0 });
    expect(receiver.posts).toHaveLength(0);
  });

  it('is controlled under /__sink/webhook', async () => {
    expect(await control(sink, 'GET', '/__sink/webhook')).toEqual({ status: 200, json: { configured: false } });
    expect((await control(sink, 'PUT', '/__sink/webhook', { shuffle: true })).status).toBe(409);
    expect(sink.webhookPublicKey).toBeNull();

    sink.setWebhook(webhook());
    const view = await control(sink, 'GET', '/__sink/webhook');
    expect(view.json).toMatchObject({
      configured: true,
      url: receiver.url,
      publicKey: KEYS.publicKey,
      delayMs: 0,
      duplicates: 0,
      shuffle: false,
      counts: { queued: 0 },
    });
    const put = await control(sink, 'PUT', '/__sink/webhook', { duplicates: 1, shuffle: true });
    expect(put).toMatchObject({ status: 200, json: { duplicates: 1, shuffle: true, delayMs: 0 } });
    for (const bad of [{ duplicates: 2 }, { shuffle: 'yes' }, { delayMs: -1 }, { colour: 'red' }, []]) {
      const refused = await control(sink, 'PUT', '/__sink/webhook', bad);
      expect(refused.status).toBe(400);
      expect(refused.json.errors[0].message).toEqual(expect.any(String));
    }
    expect((await fetch(`${sink.url}/__sink/webhook`, { method: 'PUT', body: '{}' })).status).toBe(415);
    expect((await control(sink, 'DELETE', '/__sink/webhook')).status).toBe(405);

    expect((await send(sink, mail(['a@x.nl']))).status).toBe(202);
    const flushed = await control(sink, 'POST', '/__sink/webhook/flush');
    expect(flushed).toMatchObject({ status: 200, json: { counts: { queued: 2, duplicated: 2, posted: 4, pending: 0 } } });
    expect(receiver.posts[0]?.events.map((e) => e.event)).toEqual(['delivered', 'processed']);
  });

  it('refuses invalid webhook options', async () => {
    expect(() => sink.setWebhook({ url: 'ftp://127.0.0.1/x', privateKey: KEYS.privateKey })).toThrow(TypeError);
    expect(() => sink.setWebhook({ url: receiver.url, privateKey: 'nonsense' })).toThrow(TypeError);
    expect(() => sink.setWebhook({ url: receiver.url, privateKey: KEYS.privateKey, duplicates: 1.5 })).toThrow(TypeError);
    await expect(startMailSink({ port: 0, webhook: { url: receiver.url, privateKey: KEYS.publicKey } })).rejects.toThrow(TypeError);
  });
});
