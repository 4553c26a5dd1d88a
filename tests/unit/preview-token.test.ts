import { describe, expect, it } from 'vitest';
import { signPreviewToken, verifyPreviewToken, type PreviewClaims } from '../../src/core/domain/preview-token';
import { signLinkToken, verifyLinkToken } from '../../src/core/domain/tokens';

const SECRET = 'preview-test-secret-0123456789abcdef';
const NOW = new Date('2026-12-07T12:00:00Z');
const claims: PreviewClaims = {
  kind: 'article',
  documentId: 'k3j2h4g5f6d7s8a9p0o1i2u3',
  locale: 'nl',
  version: 'draft',
  expiresAt: NOW.getTime() / 1000 + 1800,
};

describe('preview tokens', () => {
  it('unlock the one document, language and version they name, until they expire', () => {
    const token = signPreviewToken(claims, SECRET);
    expect(verifyPreviewToken(token, SECRET, NOW)).toEqual({ ok: true, ...claims });
    expect(verifyPreviewToken(token, SECRET, new Date(NOW.getTime() + 1801_000))).toEqual({ ok: false, reason: 'expired' });
    expect(verifyPreviewToken(token, 'another-secret-0123456789abcdef', NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuse any changed part', () => {
    const parts = signPreviewToken(claims, SECRET).split('.');
    const changes: Array<[number, string]> = [
      [0, 'resource'],
      [1, 'aaaaaaaaaaaaaaaaaaaaaaaa'],
      [2, 'en'],
      [3, 'p'],
      [4, (Number.parseInt(parts[4], 36) + 1).toString(36)],
    ];
    for (const [index, value] of changes) {
      const changed = [...parts];
      changed[index] = value;
      expect(verifyPreviewToken(changed.join('.'), SECRET, NOW).ok).toBe(false);
    }
    for (const malformed of ['', 'a.b', `${parts.join('.')}.x`, 'page.x.nl.d.1.sig', null, 42, 'x'.repeat(300)]) {
      expect(verifyPreviewToken(malformed, SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it("are never taken for a reader's link token, nor the other way round", () => {
    const preview = signPreviewToken(claims, SECRET);
    expect(verifyLinkToken(preview, 'preferences', SECRET, NOW).ok).toBe(false);
    const link = signLinkToken({ purpose: 'preferences', linkKey: 'abcdefghijklmnop' }, SECRET);
    expect(verifyPreviewToken(link, SECRET, NOW).ok).toBe(false);
  });
});
