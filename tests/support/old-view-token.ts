import { createHmac } from 'node:crypto';

/**
 * A view token as mails sent before carried on "view in browser" (`?token=`): purpose code `v`,
 * the reader's link key, an expiry (`0`: none), signed like every link token. The product no longer
 * makes these; tests use them to show that such links still open the web version, with nothing
 * personal on it.
 */
export function oldViewToken(linkKey: string, secret: string, expiresAt = 0): string {
  const payload = `v.${linkKey}.${expiresAt ? expiresAt.toString(36) : '0'}`;
  return `${payload}.${createHmac('sha256', secret).update(`netwerkpost/link-token/v1\n${payload}`).digest('base64url')}`;
}
