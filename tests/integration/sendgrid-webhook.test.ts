import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import IORedis from 'ioredis';
import { generateWebhookKeys, signEventPost } from '../../scripts/mail-sink/events';
import { FEEDBACK_QUEUE } from '../../src/mailings/feedback/queue';
import { REDIS_URL, testRedisPrefix } from '../support/redis';
import { useCms } from '../support/harness';

/**
 * The Event Webhook endpoint over HTTP on a real Strapi: what it refuses (unsigned, forged,
 * tampered, stale, malformed, oversized, wrong method) in any spelling of its path, and that a
 * verified post is queued with ids only (no address reaches Redis).
 */
const PREFIX = testRedisPrefix('sendgrid-webhook');
// Signed as SendGrid signs (the stand-in's signer): ECDSA P-256, SHA-256 over timestamp + raw body.
const keys = generateWebhookKeys();
const other = generateWebhookKeys();
const app = useCms({
  name: 'sendgrid-webhook',
  listen: true,
  env: { REDIS_PREFIX: PREFIX, SENDGRID_WEBHOOK_PUBLIC_KEY: keys.publicKey, SENDGRID_WEBHOOK_MAX_BYTES: String(128 * 1024) },
});

let redis: IORedis;
let db: Knex;

function signed(body: string, options: { key?: string; timestamp?: number } = {}) {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = signEventPost(options.key ?? keys.privateKey, timestamp, body);
  return { 'Content-Type': 'application/json', 'X-Twilio-Email-Event-Webhook-Signature': signature, 'X-Twilio-Email-Event-Webhook-Timestamp': timestamp };
}

const post = (body: string, headers: Record<string, string>, path = '/webhooks/sendgrid') => fetch(`${app.url}${path}`, { method: 'POST', headers, body });

const event = (fields: Record<string, unknown>) => ({
  email: 'reader@example.org',
  timestamp: Math.floor(Date.now() / 1000),
  event: 'delivered',
  sg_event_id: `ev-${Math.random().toString(36).slice(2)}`,
  sg_message_id: 'msg.1',
  ...fields,
});

async function queuedJobs(): Promise<string[]> {
  const ids = await redis.lrange(`${PREFIX}:${FEEDBACK_QUEUE}:wait`, 0, -1);
  return Promise.all(ids.map(async (id) => (await redis.hget(`${PREFIX}:${FEEDBACK_QUEUE}:${id}`, 'data')) ?? ''));
}

beforeAll(async () => {
  redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  db = app.strapi.db.connection as unknown as Knex;
  await db('subscribers').insert({
    document_id: 'sub-webhook-1',
    email: 'known@example.org',
    state: 'active',
    preferred_locale: 'nl',
    link_key: 'k-webhook-1',
    created_at: new Date(),
    updated_at: new Date(),
  });
});

afterAll(async () => {
  await redis?.quit();
});

describe('POST /webhooks/sendgrid', () => {
  it('queues a verified post with ids only: our events by delivery, others that suppress by subscriber', async () => {
    const before = (await queuedJobs()).length;
    const body = JSON.stringify([
      event({ event: 'processed', mailing: 'edition:3', delivery: 'a1' }),
      event({ event: 'bounce', type: 'bounce', status: '5.1.1', reason: '550 5.1.1 <known@example.org>: no such user', email: 'known@example.org' }),
      event({ event: 'delivered', email: 'stranger@example.org' }),
      event({ event: 'group_resubscribe' }),
      { no: 'event' },
    ]);
    const response = await post(body, signed(body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 5, queued: 2, unmatched: 1, ignored: 1, malformed: 1 });
    const jobs = await queuedJobs();
    expect(jobs).toHaveLength(before + 1);
    const data = JSON.parse(jobs[0]);
    expect(data.events).toHaveLength(2);
    expect(data.events[0]).toMatchObject({ kind: 'processed', mailing: 'edition:3', delivery: 361 });
    expect(data.events[1]).toMatchObject({ kind: 'bounce', subscriber: expect.any(Number), suppress: { state: 'bounced' } });
    expect(jobs[0]).not.toMatch(/@/);
  });

  it('refuses unsigned, forged, tampered and stale posts, in any spelling of the path', async () => {
    const body = JSON.stringify([event({})]);
    for (const path of ['/webhooks/sendgrid', '/Webhooks//SendGrid/', '/webhooks/%73endgrid']) {
      expect((await post(body, { 'Content-Type': 'application/json' }, path)).status, path).toBe(401);
    }
    const forged = await post(body, signed(body, { key: other.privateKey }));
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: string }).error).toMatch(/signature/);
    const headers = signed(body);
    const tampered = Buffer.from(body);
    tampered[tampered.length - 3] ^= 1;
    expect((await post(tampered.toString(), headers)).status).toBe(403);
    const stale = await post(body, signed(body, { timestamp: Math.floor(Date.now() / 1000) - 11 * 60 }));
    expect(stale.status).toBe(403);
    expect(((await stale.json()) as { error: string }).error).toMatch(/timestamp/);
  });

  it('refuses malformed JSON, a body that is not a list, an oversized post and other methods, with a message', async () => {
    const broken = '[{"event": "delivered",';
    const malformed = await post(broken, signed(broken));
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: string }).error).toMatch(/not valid JSON/);
    const object = '{"event":"delivered"}';
    expect((await post(object, signed(object))).status).toBe(400);
    const big = JSON.stringify(Array.from({ length: 600 }, () => event({ reason: 'x'.repeat(200) })));
    const oversized = await post(big, signed(big));
    expect(oversized.status).toBe(413);
    const get = await fetch(`${app.url}/webhooks/sendgrid`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});

describe('when the events cannot be queued', () => {
  it('answers 503 with Retry-After (SendGrid posts again), not a 500', async () => {
    // Nothing listens on port 1: every Redis command fails.
    await app.restart({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    const body = JSON.stringify([event({ mailing: 'edition:3', delivery: 'a1' })]);
    const response = await post(body, signed(body));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('60');
    expect(((await response.json()) as { error: string }).error).toMatch(/post them again/);
  }, 60_000);
});
