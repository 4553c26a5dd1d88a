import { createHmac } from 'node:crypto';

/**
 * The consent record keeps an IP only as a keyed hash (TOKEN_SECRET): it can show that two consents
 * came from one address, never which address. One function, so a sign-up's and an import's
 * hashes of one IP are the same value.
 */
export function hashIp(ip: string, secret: string): string {
  return createHmac('sha256', secret).update(`ip:${ip}`).digest('hex').slice(0, 32);
}
