import { describe, expect, it } from 'vitest';
import { newLinkKey, signLinkToken, verifyLinkToken } from '../../src/core/domain/tokens';
import { oldViewToken } from '../support/old-view-token';

const SECRET = 'test secret';
const key = newLinkKey();

describe('link tokens', () => {
  it('round-trips purpose and link key', () => {
    const token = signLinkToken({ purpose: 'preferences', linkKey: key }, SECRET);
    expect(verifyLinkToken(token, 'preferences', SECRET)).toEqual({ ok: true, linkKey: key, purpose: 'preferences', expiresAt: undefined });
  });

  it('contains no address or database id and is URL-safe', () => {
    const token = signLinkToken({ purpose: 'confirm', linkKey: key, expiresAt: 2_000_000_000 }, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(token).not.toContain('@');
  });

  it('refuses a token of another purpose', () => {
    const token = signLinkToken({ purpose: 'preferences', linkKey: key }, SECRET);
    expect(verifyLinkToken(token, 'unsubscribe', SECRET)).toEqual({ ok: false, reason: 'wrong-purpose' });
  });

  it('refuses a token whose purpose was edited (the signature covers it)', () => {
    const token = signLinkToken({ purpose: 'preferences', linkKey: key }, SECRET);
    expect(verifyLinkToken(`u${token.slice(1)}`, 'unsubscribe', SECRET)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses tampering, another secret and garbage', () => {
    const token = signLinkToken({ purpose: 'confirm', linkKey: key }, SECRET);
    const tampered = token.replace(key, newLinkKey());
    expect(verifyLinkToken(tampered, 'confirm', SECRET)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyLinkToken(token, 'confirm', 'rotated secret')).toEqual({ ok: false, reason: 'invalid' });
    for (const garbage of [undefined, 42, '', 'a.b.c', 'x.y.z.w', '<script>', 'c.' + key + '.0.' + 'A'.repeat(500)]) {
      expect(verifyLinkToken(garbage, 'confirm', SECRET).ok).toBe(false);
    }
  });

  it('expires confirm tokens', () => {
    const now = new Date('2026-01-10T12:00:00Z');
    const expiresAt = Math.floor(now.getTime() / 1000) + 7 * 86_400;
    const token = signLinkToken({ purpose: 'confirm', linkKey: key, expiresAt }, SECRET);
    expect(verifyLinkToken(token, 'confirm', SECRET, now).ok).toBe(true);
    expect(verifyLinkToken(token, 'confirm', SECRET, new Date((expiresAt + 1) * 1000))).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses malformed link keys when signing', () => {
    expect(() => signLinkToken({ purpose: 'confirm', linkKey: 'a.b' }, SECRET)).toThrow();
  });

  it("no longer knows the view purpose: an old mail's view token, with or without expiry, is a token of no purpose", () => {
    for (const token of [oldViewToken(key, SECRET), oldViewToken(key, SECRET, 1_700_000_000)]) {
      for (const purpose of ['confirm', 'preferences', 'unsubscribe'] as const)
        expect(verifyLinkToken(token, purpose, SECRET)).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});
