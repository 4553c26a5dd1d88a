/**
 * The subscriber rows a GDPR request is about, shared by export, erase and purge: the content-type
 * ids, how a request names a person (email or document id), the rows as the database hands them
 * back, and their lookup.
 */
import type { Core } from '@strapi/strapi';
import { normaliseEmail } from '../core/domain/email';
import { CONTENT_TYPES } from '../core/content-types';

export const SUBSCRIBER_UID = CONTENT_TYPES.subscriber;
export const CONSENT_COMPONENT_UID = 'subscription.consent-record';

export type SubscriberRef = { email: string } | { documentId: string };

export interface RemovedCounts {
  subscribers: number;
  consentRecords: number;
  deliveries: number;
}

/** How the database layer hands back a datetime (a Date; strings or numbers handled too). */
export type DbDate = Date | string | number | null | undefined;

export interface ConsentRow {
  id: number;
  givenAt?: DbDate;
  source?: string | null;
  textVersion?: string | null;
  ipHash?: string | null;
}

export interface SubscriberRow {
  id: number;
  documentId: string;
  email: string;
  name?: string | null;
  preferredLocale?: string | null;
  themes?: unknown;
  state: string;
  confirmedAt?: DbDate;
  unsubscribedAt?: DbDate;
  suppressionReason?: string | null;
  suppressedAt?: DbDate;
  createdAt?: DbDate;
  updatedAt?: DbDate;
  consent?: ConsentRow | null;
}

/** What an erasure removed, per kind; all zero when it found nothing. */
export const NOTHING_REMOVED: RemovedCounts = { subscribers: 0, consentRecords: 0, deliveries: 0 };
/** Bound for `$in` lists, well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

/** Longest documentId we look up; Strapi's are 24 characters. Longer input cannot match. */
const MAX_DOCUMENT_ID_LENGTH = 64;

/** The subscriber rows (normally one) for a reference; [] for no match or unusable input. */
export async function findSubscriberRows(strapi: Core.Strapi, ref: SubscriberRef): Promise<SubscriberRow[]> {
  let where: Record<string, unknown>;
  if (ref && 'email' in ref && typeof ref.email === 'string') {
    const email = normaliseEmail(ref.email);
    if (email === '' || email.length > 254) return [];
    where = { email };
  } else if (ref && 'documentId' in ref && typeof ref.documentId === 'string') {
    const documentId = ref.documentId.trim();
    if (documentId === '' || documentId.length > MAX_DOCUMENT_ID_LENGTH) return [];
    where = { documentId };
  } else {
    return [];
  }
  const query = strapi.db.query(SUBSCRIBER_UID as never);
  const matches: SubscriberRow[] = await query.findMany({ where, select: ['documentId'] });
  if (matches.length === 0) return [];
  // Every row of the matched documents (one per document today; more if the type ever gets
  // draft & publish or locales).
  return query.findMany({
    where: { documentId: { $in: unique(matches.map((row) => row.documentId)) } },
    populate: { consent: true },
    orderBy: { id: 'asc' },
  });
}

export function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

export function chunks<T>(values: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}
