import { describe, expect, it } from 'vitest';
import { generateWebhookKeys, signEventPost } from '../../scripts/mail-sink/events';
import { readWebhookSettings } from '../../src/settings/webhook';
import { readEventPost, suppressionFor, type FeedbackEvent } from '../../src/mailings/feedback/events';
import { checkTimestamp, parseWebhookPublicKey, verifyEventSignature } from '../../src/core/webhook-signature';
import { deliveryOutcome, STATISTIC_BITS } from '../../src/mailings/engine/delivery-statistics';
import { receiveEventPost, type WebhookDeps } from '../../src/mailings/feedback/webhook';

const keys = generateWebhookKeys();
const NOW = Date.parse('2026-12-01T12:00:00Z');
const seconds = String(Math.floor(NOW / 1000));

describe('signature', () => {
  const key = parseWebhookPublicKey(keys.publicKey);
  const body = Buffer.from('[{"event":"delivered","sg_event_id":"a","timestamp":1}]');

  it('verifies a post signed as SendGrid signs it, and nothing else', () => {
    const signature = signEventPost(keys.privateKey, seconds, body);
    expect(verifyEventSignature(key, signature, seconds, body)).toBe(true);
    const tampered = Buffer.from(body);
    tampered[5] ^= 1;
    expect(verifyEventSignature(key, signature, seconds, tampered)).toBe(false);
    expect(verifyEventSignature(key, signature, String(Number(seconds) + 1), body)).toBe(false);
    expect(verifyEventSignature(key, signEventPost(generateWebhookKeys().privateKey, seconds, body), seconds, body)).toBe(false);
    for (const junk of ['', 'not base64!', Buffer.alloc(300).toString('base64')]) expect(verifyEventSignature(key, junk, seconds, body)).toBe(false);
  });

  it('refuses keys that are not SendGrid verification keys, with a message', () => {
    expect(() => parseWebhookPublicKey('not a key')).toThrow(/SENDGRID_WEBHOOK_PUBLIC_KEY is not a public key/);
    expect(() => parseWebhookPublicKey(keys.privateKey)).toThrow(/SENDGRID_WEBHOOK_PUBLIC_KEY/);
  });

  it('accepts a timestamp within the window either way, and nothing else', () => {
    expect(checkTimestamp(seconds, NOW + 599_000, 600)).toEqual({ ok: true, seconds: Number(seconds) });
    expect(checkTimestamp(seconds, NOW - 599_000, 600).ok).toBe(true);
    expect(checkTimestamp(seconds, NOW + 601_000, 600)).toMatchObject({ ok: false, reason: expect.stringMatching(/stale or replayed/) });
    for (const bad of ['', '12.5', '-1', 'abc', '1e9']) expect(checkTimestamp(bad, NOW, 600).ok).toBe(false);
  });
});

describe('settings', () => {
  it('without a key: no webhook, batches of unknown fate never resent', () => {
    expect(readWebhookSettings({})).toMatchObject({ publicKey: null, unknownFateQuietMs: null, toleranceSeconds: 600 });
  });

  it('with a key: a quiet period of 60 minutes unless set (fractions allowed); bad values refused', () => {
    expect(readWebhookSettings({ SENDGRID_WEBHOOK_PUBLIC_KEY: keys.publicKey }).unknownFateQuietMs).toBe(3_600_000);
    expect(readWebhookSettings({ SENDGRID_WEBHOOK_PUBLIC_KEY: keys.publicKey, UNKNOWN_FATE_QUIET_MINUTES: '0.1' }).unknownFateQuietMs).toBe(6000);
    expect(() => readWebhookSettings({ SENDGRID_WEBHOOK_PUBLIC_KEY: keys.publicKey, UNKNOWN_FATE_QUIET_MINUTES: 'soon' })).toThrow(
      /UNKNOWN_FATE_QUIET_MINUTES must be a number/,
    );
    expect(() => readWebhookSettings({ SENDGRID_WEBHOOK_TOLERANCE_SECONDS: '0' })).toThrow(/SENDGRID_WEBHOOK_TOLERANCE_SECONDS/);
  });
});

describe('reading events', () => {
  const base = { email: 'Reader@Example.org', timestamp: 1_764_590_400, sg_event_id: 'e1', sg_message_id: 'm.1' };

  it('maps our custom args to the delivery and keeps kinds apart', () => {
    const post = readEventPost([
      { ...base, event: 'delivered', mailing: 'campaign:4', delivery: 'z' },
      { ...base, sg_event_id: 'e2', event: 'bounce', type: 'blocked' },
      { ...base, sg_event_id: 'e3', event: 'open', sg_machine_open: true, mailing: 'edition:1', delivery: '10' },
      { ...base, sg_event_id: 'e4', event: 'group_unsubscribe', asm_group_id: 1 },
      { ...base, sg_event_id: 'e5', event: 'delivered', mailing: 'newsletter:4', delivery: 'z' },
      { ...base, sg_event_id: 'e6', event: 'group_resubscribe' },
      { ...base, sg_event_id: 'e7', event: 'processed', timestamp: 'yesterday' },
      'not an event',
    ]);
    expect(post.events.map((event) => [event.kind, event.mailing ?? null, event.delivery ?? null])).toEqual([
      ['delivered', 'campaign:4', 35],
      ['blocked', null, null],
      ['machine-open', 'edition:1', 36],
      ['unsubscribe', null, null],
      ['delivered', null, null],
    ]);
    expect(post.events[0].email).toBe('reader@example.org');
    expect(post).toMatchObject({ malformed: 2, ignored: 1 });
    expect(() => readEventPost({ events: [] })).toThrow(/JSON array of SendGrid events/);
  });

  it('the suppression rules: hard bounces, bad-address drops, spam reports and unsubscribes; never soft bounces or deferrals', () => {
    const rule = (raw: Record<string, unknown>) => {
      const [event] = readEventPost([{ ...base, ...raw }]).events;
      return event.suppress ?? null;
    };
    expect(
      rule({
        event: 'bounce',
        type: 'bounce',
        status: '5.1.1',
        bounce_classification: 'Invalid Address',
        reason: '550 5.1.1 <reader@example.org>: Recipient address rejected',
      }),
    ).toEqual({
      state: 'bounced',
      reason: 'Bounce 5.1.1 Invalid Address: 550 5.1.1 <address>: Recipient address rejected',
    });
    expect(rule({ event: 'bounce', type: 'blocked', status: '5.7.1' })).toBeNull();
    expect(rule({ event: 'deferred', response: '451 try later' })).toBeNull();
    expect(rule({ event: 'dropped', reason: 'Bounced Address' })?.state).toBe('bounced');
    expect(rule({ event: 'dropped', reason: 'Invalid' })?.state).toBe('bounced');
    expect(rule({ event: 'dropped', reason: 'Spam Reporting Address' })?.state).toBe('complained');
    expect(rule({ event: 'dropped', reason: 'Unsubscribed Address' })?.state).toBe('unsubscribed');
    expect(rule({ event: 'dropped', reason: 'Duplicate' })).toBeNull();
    expect(rule({ event: 'spamreport' })?.state).toBe('complained');
    expect(rule({ event: 'unsubscribe' })?.state).toBe('unsubscribed');
    expect(suppressionFor({}, 'delivered')).toBeNull();
  });

  it('a delivery outcome only moves forward: a refusal outranks a delivery, which outranks a deferral', () => {
    expect(deliveryOutcome(STATISTIC_BITS.deferred)).toBe('deferred');
    expect(deliveryOutcome(STATISTIC_BITS.deferred | STATISTIC_BITS.delivered)).toBe('delivered');
    expect(deliveryOutcome(STATISTIC_BITS.delivered | STATISTIC_BITS.bounced)).toBe('bounced');
    expect(deliveryOutcome(STATISTIC_BITS.opens)).toBeNull();
  });
});

describe('the endpoint', () => {
  function deps(found: Record<string, number> = {}) {
    const queued: FeedbackEvent[][] = [];
    const asked: string[][] = [];
    const value: WebhookDeps = {
      publicKey: parseWebhookPublicKey(keys.publicKey),
      toleranceSeconds: 600,
      now: () => NOW,
      subscribersByEmail: async (emails) => (asked.push(emails), new Map(Object.entries(found))),
      enqueue: async (events) => void queued.push(events),
    };
    return { value, queued, asked };
  }
  const headers = (body: string, key = keys.privateKey) => ({
    'x-twilio-email-event-webhook-signature': signEventPost(key, seconds, body),
    'x-twilio-email-event-webhook-timestamp': seconds,
  });

  it('queues events without addresses, looking up only those that suppress without a delivery', async () => {
    const body = JSON.stringify([
      { email: 'a@example.org', timestamp: 1, event: 'delivered', sg_event_id: 'x1', mailing: 'edition:2', delivery: '1' },
      { email: 'known@example.org', timestamp: 1, event: 'spamreport', sg_event_id: 'x2' },
      { email: 'unknown@example.org', timestamp: 1, event: 'bounce', sg_event_id: 'x3' },
      { email: 'other@example.org', timestamp: 1, event: 'delivered', sg_event_id: 'x4' },
    ]);
    const d = deps({ 'known@example.org': 7 });
    const answer = await receiveEventPost(headers(body), Buffer.from(body), d.value);
    expect(answer).toEqual({ status: 200, body: { received: 4, queued: 2, unmatched: 2, ignored: 0, malformed: 0 } });
    expect(d.asked).toEqual([['known@example.org', 'unknown@example.org']]);
    expect(d.queued[0]).toEqual([
      { id: 'x1', kind: 'delivered', at: 1, mailing: 'edition:2', delivery: 1 },
      { id: 'x2', kind: 'spamreport', at: 1, subscriber: 7, suppress: { state: 'complained', reason: expect.any(String) } },
    ]);
    expect(JSON.stringify(d.queued)).not.toMatch(/@/);
  });

  it('refuses before reading anything it cannot trust', async () => {
    const body = '[]';
    const d = deps();
    expect((await receiveEventPost({}, Buffer.from(body), d.value)).status).toBe(401);
    expect((await receiveEventPost(headers(body, generateWebhookKeys().privateKey), Buffer.from(body), d.value)).status).toBe(403);
    expect(
      (await receiveEventPost({ ...headers(body), 'x-twilio-email-event-webhook-timestamp': String(Number(seconds) - 3600) }, Buffer.from(body), d.value))
        .status,
    ).toBe(403);
    expect((await receiveEventPost(headers('[{'), Buffer.from('[{'), d.value)).status).toBe(400);
    expect((await receiveEventPost(headers('{}'), Buffer.from('{}'), d.value)).status).toBe(400);
    expect(d.queued).toEqual([]);
    expect(await receiveEventPost(headers(body), Buffer.from(body), d.value)).toMatchObject({ status: 200, body: { received: 0, queued: 0 } });
    expect(d.queued).toEqual([]);
  });
});
