import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A short-lived, signed link to the reading page of one language version of an article, resource
 * or theme, draft or published, for the admin panel's Preview. Anyone holding the link sees that
 * version until it expires (PREVIEW_TOKEN_SECONDS), nothing else: the token names the document,
 * language and version it unlocks, and an HMAC with TOKEN_SECRET under its own context (so it can
 * never pass for a reader's link token, nor one of those for it).
 */
export const PREVIEW_KINDS = ['article', 'resource', 'theme'] as const;
export type PreviewKind = (typeof PREVIEW_KINDS)[number];
export type PreviewVersion = 'draft' | 'published';

/** Long enough to look at a draft, short enough that a link copied out of the admin soon stops working. */
export const PREVIEW_TOKEN_SECONDS = 30 * 60;

export interface PreviewClaims {
  kind: PreviewKind;
  documentId: string;
  locale: 'nl' | 'en';
  version: PreviewVersion;
  /** Epoch seconds after which the link is refused. */
  expiresAt: number;
}

export type PreviewCheck = ({ ok: true } & PreviewClaims) | { ok: false; reason: 'malformed' | 'invalid' | 'expired' };

const MAC_CONTEXT = 'netwerkpost/preview/v1\n';
const DOCUMENT_ID = /^[a-z0-9]{1,64}$/;
const VERSION_CODES: Record<PreviewVersion, string> = { draft: 'd', published: 'p' };

export function signPreviewToken(claims: PreviewClaims, secret: string): string {
  if (!DOCUMENT_ID.test(claims.documentId)) throw new Error(`Not a document id: "${claims.documentId}"`);
  const payload = [claims.kind, claims.documentId, claims.locale, VERSION_CODES[claims.version], Math.floor(claims.expiresAt).toString(36)].join('.');
  return `${payload}.${mac(payload, secret)}`;
}

export function verifyPreviewToken(token: unknown, secret: string, now: Date = new Date()): PreviewCheck {
  if (typeof token !== 'string' || token.length > 200) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 6) return { ok: false, reason: 'malformed' };
  const [kind, documentId, locale, versionCode, expiry, signature] = parts;
  const version = (Object.keys(VERSION_CODES) as PreviewVersion[]).find((name) => VERSION_CODES[name] === versionCode);
  if (
    !PREVIEW_KINDS.includes(kind as PreviewKind) ||
    !DOCUMENT_ID.test(documentId) ||
    (locale !== 'nl' && locale !== 'en') ||
    !version ||
    !/^[0-9a-z]{1,12}$/.test(expiry)
  ) {
    return { ok: false, reason: 'malformed' };
  }
  const expected = Buffer.from(mac(parts.slice(0, 5).join('.'), secret));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  const expiresAt = Number.parseInt(expiry, 36);
  if (now.getTime() / 1000 > expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, kind: kind as PreviewKind, documentId, locale, version, expiresAt };
}

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(MAC_CONTEXT).update(payload).digest('base64url');
}
