import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The queue dashboard's pass: a short-lived, signed cookie value naming an admin user, issued by the
 * desk's admin route to an admin holding `plugin::desk.queues` (checked there by Strapi's own
 * policies) and checked on every dashboard request. The dashboard is a page of its own (Bull
 * Board's UI fetches its API without the admin's bearer token), so it cannot rely on the admin
 * API's authentication; the pass carries that decision over, bound to its purpose and expiry.
 */
export const QUEUE_PASS_COOKIE = 'np_queue_pass';
export const QUEUE_PASS_SECONDS = 15 * 60;
const PURPOSE = 'queue-dashboard';

export function signQueuePass(userId: number, secret: string, now: number = Date.now()): string {
  const payload = `${userId.toString(36)}.${(Math.floor(now / 1000) + QUEUE_PASS_SECONDS).toString(36)}`;
  return `${payload}.${mac(payload, secret)}`;
}

export type QueuePassCheck = { ok: true; userId: number } | { ok: false; reason: 'missing' | 'malformed' | 'invalid' | 'expired' };

export function verifyQueuePass(value: string | undefined, secret: string, now: number = Date.now()): QueuePassCheck {
  if (!value) return { ok: false, reason: 'missing' };
  const match = /^([0-9a-z]{1,10})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, user, expiry, signature] = match;
  const expected = Buffer.from(mac(`${user}.${expiry}`, secret));
  if (!timingSafeEqual(expected, Buffer.from(signature))) return { ok: false, reason: 'invalid' };
  if (parseInt(expiry, 36) * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, userId: parseInt(user, 36) };
}

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(`${PURPOSE}.${payload}`).digest('base64url');
}
