import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * Signed, purpose-bound link tokens for mail links. A token names a subscriber only by their random
 * link key (not a database id, not an address), the purpose it may be used for, and an optional
 * expiry; an HMAC-SHA256 over all three with TOKEN_SECRET makes it unforgeable. Changing the secret
 * invalidates every link at once.
 */
export type TokenPurpose = 'confirm' | 'preferences' | 'unsubscribe';

/**
 * Mails sent before carried a fourth purpose, `v` (view), on "view in browser". It is gone: the web
 * version shows nothing personal, so a token there had nothing left to unlock. Such a token now
 * reads as malformed, and the web version ignores any token in its address.
 */
const PURPOSE_CODES: Record<TokenPurpose, string> = { confirm: 'c', preferences: 'p', unsubscribe: 'u' };
const PURPOSES_BY_CODE = new Map(Object.entries(PURPOSE_CODES).map(([purpose, code]) => [code, purpose as TokenPurpose]));
const MAC_CONTEXT = 'netwerkpost/link-token/v1\n';
const LINK_KEY_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export interface LinkTokenClaims {
  purpose: TokenPurpose;
  /** The subscriber's random link key. */
  linkKey: string;
  /** Epoch seconds after which the token is refused; undefined for links that stay valid. */
  expiresAt?: number;
}

export type TokenCheck =
  { ok: true; linkKey: string; purpose: TokenPurpose; expiresAt?: number } | { ok: false; reason: 'malformed' | 'invalid' | 'wrong-purpose' | 'expired' };

/** A new random link key for a subscriber (128 bits, URL-safe). */
export function newLinkKey(): string {
  return randomBytes(16).toString('base64url');
}

export function signLinkToken(claims: LinkTokenClaims, secret: string): string {
  if (!LINK_KEY_PATTERN.test(claims.linkKey)) throw new Error('A link key is 16-64 URL-safe characters.');
  const payload = `${PURPOSE_CODES[claims.purpose]}.${claims.linkKey}.${claims.expiresAt ? claims.expiresAt.toString(36) : '0'}`;
  return `${payload}.${mac(payload, secret)}`;
}

export function verifyLinkToken(token: unknown, expected: TokenPurpose, secret: string, now: Date = new Date()): TokenCheck {
  if (typeof token !== 'string' || token.length > 200) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 4) return { ok: false, reason: 'malformed' };
  const [code, linkKey, expiry, signature] = parts;
  const purpose = PURPOSES_BY_CODE.get(code);
  if (!purpose || !LINK_KEY_PATTERN.test(linkKey) || !/^[0-9a-z]{1,12}$/.test(expiry)) return { ok: false, reason: 'malformed' };

  const expectedMac = Buffer.from(mac(`${code}.${linkKey}.${expiry}`, secret));
  const givenMac = Buffer.from(signature);
  if (givenMac.length !== expectedMac.length || !timingSafeEqual(givenMac, expectedMac)) return { ok: false, reason: 'invalid' };
  if (purpose !== expected) return { ok: false, reason: 'wrong-purpose' };

  const expiresAt = expiry === '0' ? undefined : Number.parseInt(expiry, 36);
  if (expiresAt !== undefined && now.getTime() / 1000 > expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, linkKey, purpose, expiresAt };
}

/**
 * The secret as a key object, made once per secret: given the string, createHmac prepares a new key
 * for every token, which was most of the cost of the three tokens each newsletter recipient gets.
 */
const keys = new Map<string, KeyObject>();

function macKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= 8) keys.clear(); // a process uses one secret (tests a few)
    keys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  }
  return key;
}

function mac(payload: string, secret: string): string {
  return createHmac('sha256', macKey(secret))
    .update(MAC_CONTEXT + payload)
    .digest('base64url');
}
