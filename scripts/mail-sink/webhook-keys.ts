/**
 * Signing keys of the stand-in's Event Webhook, in the encodings SendGrid shows them
 * (shared/contracts/sendgrid-event-webhook.md, "Signature").
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** A webhook signing key pair, both as SendGrid shows keys: base64 of DER, no PEM armour. */
export interface WebhookKeys {
  /** base64 of the DER SubjectPublicKeyInfo: what the CMS gets as SENDGRID_WEBHOOK_PUBLIC_KEY. */
  publicKey: string;
  /** base64 of the DER PKCS#8 private key: what the stand-in gets as MAIL_SINK_WEBHOOK_PRIVATE_KEY. */
  privateKey: string;
}

/** A fresh ECDSA P-256 key pair for signing Event Webhook posts. */
export function generateWebhookKeys(): WebhookKeys {
  const pair = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
  });
  return { publicKey: pair.publicKey.toString('base64'), privateKey: pair.privateKey.toString('base64') };
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Parses a base64 DER PKCS#8 private key and insists on a P-256 EC key, so that a wrong value is
 * refused when the stand-in starts rather than producing posts no receiver can verify.
 * Throws a TypeError naming what is wrong.
 */
export function parseWebhookPrivateKey(privateKeyBase64: string): KeyObject {
  const compact = privateKeyBase64.replace(/\s+/g, '');
  // Buffer.from(…, 'base64') skips characters it does not know; check first so a typo is not silently "fixed".
  if (compact === '' || !BASE64.test(compact)) throw new TypeError('the webhook private key must be base64 (of a DER PKCS#8 key)');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(compact, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new TypeError('the webhook private key is not a DER PKCS#8 private key');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new TypeError('the webhook private key must be an EC key on P-256 (prime256v1), as SendGrid uses');
  }
  return key;
}

/** The public key (base64 DER SPKI) that verifies posts signed with `privateKeyBase64`. */
export function webhookPublicKeyOf(privateKeyBase64: string): string {
  const publicKey = createPublicKey(parseWebhookPrivateKey(privateKeyBase64));
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

/**
 * The value of `X-Twilio-Email-Event-Webhook-Signature` for one post: ECDSA P-256 over SHA-256 of
 * the bytes of `timestamp` (the `X-Twilio-Email-Event-Webhook-Timestamp` value, Unix seconds as a
 * string) immediately followed by the raw body, as base64 of the ASN.1 DER signature.
 *
 * `rawBody` must be exactly the bytes that are posted (a string is taken as UTF-8). A receiver
 * verifies with `verify('sha256', Buffer.concat([Buffer.from(timestamp), body]), publicKey, signature)`.
 */
export function signEventPost(privateKeyBase64: string, timestamp: string, rawBody: Buffer | string): string {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), body]);
  return sign('sha256', signed, { key: parseWebhookPrivateKey(privateKeyBase64), dsaEncoding: 'der' }).toString('base64');
}
