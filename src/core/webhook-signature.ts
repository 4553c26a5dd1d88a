import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/**
 * SendGrid's signed Event Webhook: each post carries an ECDSA (P-256) signature over the timestamp
 * header followed by the raw body bytes, SHA-256, base64 of the ASN.1 DER signature. Verified on
 * the bytes as received: parsing and re-serialising the JSON would change them.
 */
export const SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

export class WebhookKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookKeyError';
  }
}

/** The key as SendGrid shows it: base64 of the DER SubjectPublicKeyInfo (a PEM block is accepted too). */
export function parseWebhookPublicKey(raw: string): KeyObject {
  const text = raw.trim();
  let key: KeyObject;
  try {
    key = text.startsWith('-----BEGIN') ? createPublicKey(text) : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new WebhookKeyError(
      'SENDGRID_WEBHOOK_PUBLIC_KEY is not a public key: paste the "Verification Key" SendGrid shows for the signed Event Webhook (base64).',
    );
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || (curve !== 'prime256v1' && curve !== 'P-256')) {
    throw new WebhookKeyError('SENDGRID_WEBHOOK_PUBLIC_KEY must be an ECDSA P-256 key, as SendGrid gives for the signed Event Webhook.');
  }
  return key;
}

/** True when `signature` (base64 DER) signs `timestamp` + `rawBody` with the key. Never throws. */
export function verifyEventSignature(key: KeyObject, signature: string, timestamp: string, rawBody: Buffer): boolean {
  const der = Buffer.from(signature.trim(), 'base64');
  if (der.length < 8 || der.length > 80) return false;
  try {
    return verify('sha256', Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]), { key, dsaEncoding: 'der' }, der);
  } catch {
    return false;
  }
}

export type TimestampCheck = { ok: true; seconds: number } | { ok: false; reason: string };

/** The timestamp header: whole Unix seconds, at most `toleranceSeconds` from now either way. */
export function checkTimestamp(raw: string, nowMs: number, toleranceSeconds: number): TimestampCheck {
  if (!/^\d{1,12}$/.test(raw.trim())) return { ok: false, reason: 'the timestamp header is not a Unix time in seconds' };
  const seconds = Number(raw.trim());
  if (Math.abs(nowMs / 1000 - seconds) > toleranceSeconds)
    return { ok: false, reason: `the timestamp is more than ${toleranceSeconds} s from now (stale or replayed post)` };
  return { ok: true, seconds };
}
