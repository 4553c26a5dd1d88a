import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A counted item link: the address a mail gives one of our own items (an article, or a resource or
 * bundle read on its reading page) when item counts are on, `/r/<token>`. The token names the
 * mailing it was sent in and the item, never a reader: every reader of a variant gets the same
 * link. An HMAC with TOKEN_SECRET under its own context (so it can never pass for a reader's link
 * token or a preview link, nor one of those for it) makes it unforgeable, so the redirect can only
 * ever lead to one of our own items' pages, never to an address a link carries.
 *
 * The item's slug at send time rides along: the redirect looks up the item's current slug (an
 * editor may change it after the mail went out) and falls back to this one when the database does
 * not answer, so a link keeps working while counting is impossible.
 */
export const ITEM_LINK_PATH = '/r';

export type CountedMailingKind = 'edition' | 'campaign';
export type CountedItemKind = 'article' | 'resource';

export interface ItemLinkClaims {
  mailing: { kind: CountedMailingKind; id: number };
  item: { kind: CountedItemKind; documentId: string; locale: 'nl' | 'en'; slug: string };
}

export type ItemLinkCheck = ({ ok: true } & ItemLinkClaims) | { ok: false; reason: 'malformed' | 'invalid' };

const MAC_CONTEXT = 'netwerkpost/item-link/v1\n';
const MAILING_CODES: Record<CountedMailingKind, string> = { edition: 'e', campaign: 'c' };
const ITEM_CODES: Record<CountedItemKind, string> = { article: 'a', resource: 'r' };
const DOCUMENT_ID = /^[a-z0-9]{1,64}$/;
/** The reading pages' slug characters (src/core/links.ts, readSlug), at most 240 of them. */
const SLUG = /^[A-Za-z0-9._~-]{1,240}$/;
const MAILING = /^([ec])([0-9a-z]{1,10})$/;
/** 128 bits of the HMAC: far beyond guessing, and a shorter link in every mail. */
const MAC_BYTES = 16;
const MAC_PATTERN = /^[A-Za-z0-9_-]{22}$/;

const byCode = <T extends string>(codes: Record<T, string>, code: string): T | undefined => (Object.keys(codes) as T[]).find((name) => codes[name] === code);

export function signItemLink(claims: ItemLinkClaims, secret: string): string {
  const { mailing, item } = claims;
  if (!Number.isSafeInteger(mailing.id) || mailing.id < 1) throw new Error(`Not a mailing id: ${mailing.id}`);
  if (!DOCUMENT_ID.test(item.documentId)) throw new Error(`Not a document id: "${item.documentId}"`);
  if (!SLUG.test(item.slug)) throw new Error(`Not a slug: "${item.slug}"`);
  // The slug goes last before the MAC: it may hold dots, the parts before it never do.
  const payload = [`${MAILING_CODES[mailing.kind]}${mailing.id.toString(36)}`, ITEM_CODES[item.kind], item.documentId, item.locale, item.slug].join('.');
  return `${payload}.${mac(payload, secret)}`;
}

export function readItemLink(token: unknown, secret: string): ItemLinkCheck {
  if (typeof token !== 'string' || token.length > 400) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length < 6) return { ok: false, reason: 'malformed' };
  const [mailingPart, itemCode, documentId, locale] = parts;
  const slug = parts.slice(4, -1).join('.');
  const signature = parts[parts.length - 1];
  const mailingMatch = MAILING.exec(mailingPart);
  const mailingKind = mailingMatch ? byCode(MAILING_CODES, mailingMatch[1]) : undefined;
  const itemKind = byCode(ITEM_CODES, itemCode);
  if (
    !mailingMatch ||
    !mailingKind ||
    !itemKind ||
    !DOCUMENT_ID.test(documentId) ||
    (locale !== 'nl' && locale !== 'en') ||
    !SLUG.test(slug) ||
    !MAC_PATTERN.test(signature)
  ) {
    return { ok: false, reason: 'malformed' };
  }
  const expected = Buffer.from(mac(parts.slice(0, -1).join('.'), secret));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  const id = Number.parseInt(mailingMatch[2], 36);
  if (!Number.isSafeInteger(id) || id < 1) return { ok: false, reason: 'malformed' };
  return { ok: true, mailing: { kind: mailingKind, id }, item: { kind: itemKind, documentId, locale, slug } };
}

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(MAC_CONTEXT).update(payload).digest().subarray(0, MAC_BYTES).toString('base64url');
}
