import { checkEmail, isLocale } from '../../core/domain/subscription-request';
import { MAILING_KINDS, type MailingKind } from '../engine/mailing';
import type { Locale } from '../../core/domain/locale';

/**
 * What the editors' desk accepts from the admin panel, checked at the edge: every rule returns a
 * value or a message an editor can act on (the routes answer 400 with it), never a thrown error.
 * Pure, unit-tested.
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const refused = <T>(message: string): Checked<T> => ({ ok: false, message });

/** At most this many addresses per test send: a test, not a way around the real send. */
export const MAX_TEST_ADDRESSES = 5;

/** Strapi document ids are 24 lower-case letters and digits; a little more is accepted, nothing odd. */
const DOCUMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function checkMailingKind(raw: unknown): Checked<MailingKind> {
  return (MAILING_KINDS as readonly unknown[]).includes(raw) ? ok(raw as MailingKind) : refused('kind must be "edition" or "campaign"');
}

export function checkDocumentId(raw: unknown): Checked<string> {
  return typeof raw === 'string' && DOCUMENT_ID.test(raw)
    ? ok(raw)
    : refused('documentId must be a document id (letters, digits, - or _, at most 64 characters)');
}

export function checkLocale(raw: unknown): Checked<Locale> {
  return isLocale(raw) ? ok(raw) : refused('locale must be "nl" or "en"');
}

/**
 * Test addresses: an array of strings or one string separated by commas, semicolons or white
 * space; 1 to 5 distinct valid addresses. Each invalid one is named in the message.
 */
export function checkTestAddresses(raw: unknown): Checked<string[]> {
  const parts = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,;]+/) : null;
  if (!parts || parts.some((part) => typeof part !== 'string')) return refused('addresses must be a list of email addresses');
  const typed = (parts as string[]).map((part) => part.trim()).filter(Boolean);
  if (typed.length === 0) return refused('Enter at least one email address');
  const invalid: string[] = [];
  const addresses: string[] = [];
  for (const part of typed) {
    const check = checkEmail(part);
    if (!check.ok) invalid.push(part.slice(0, 80));
    else if (!addresses.includes(check.email)) addresses.push(check.email);
  }
  if (invalid.length > 0) return refused(`Not a valid email address: ${invalid.join(', ')}`);
  if (addresses.length > MAX_TEST_ADDRESSES) return refused(`At most ${MAX_TEST_ADDRESSES} addresses per test send (you entered ${addresses.length})`);
  return ok(addresses);
}

/** A send time: an ISO 8601 date and time with a zone offset (or Z), as the admin panel sends it. */
export function checkSendTime(raw: unknown): Checked<Date> {
  const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
  const match = typeof raw === 'string' ? ISO.exec(raw) : null;
  if (!match) return refused('sendAt must be an ISO date and time with a time zone, e.g. 2027-01-12T09:00:00+01:00');
  // Date would roll 31 February over into March; a date that does not exist is refused instead.
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const exists = calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day && hour < 24 && minute < 60;
  const at = new Date(raw as string);
  return !exists || Number.isNaN(at.getTime()) ? refused(`sendAt ${raw as string} is not a date and time that exists`) : ok(at);
}
