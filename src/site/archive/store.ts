import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Locale } from '../../core/domain/locale';
import { VARIANTS } from '../../mailings/engine/schema';
import { archiveEntries, type ArchiveEntry, type ArchiveMailingRow } from './listing';
import { CONTENT_TYPES } from '../../core/content-types';

/**
 * Reads the archive's mailings: every finished edition and campaign with its stored variants'
 * subjects (never their html). A network sends about fifteen mailings a year, so the whole list is
 * read and paged in memory; the rules live in listing.ts.
 */
const FINISHED_STATES = ['sent', 'cancelled', 'failed'];

interface MailingRecord {
  id: number;
  documentId: string;
  state: string;
  submittedCount: number | null;
  keepOutOfArchive: boolean | null;
  sentAt: string | Date | null;
  introNl: string | null;
  introEn: string | null;
  preheaderNl?: string | null;
  preheaderEn?: string | null;
}

export async function readArchiveRows(strapi: Core.Strapi): Promise<ArchiveMailingRow[]> {
  const common = ['id', 'documentId', 'state', 'submittedCount', 'keepOutOfArchive', 'sentAt', 'introNl', 'introEn'];
  const where = { state: { $in: FINISHED_STATES }, submittedCount: { $gt: 0 } };
  const editions = (await strapi.db.query(CONTENT_TYPES.edition).findMany({ where, select: common })) as MailingRecord[];
  const campaigns = (await strapi.db.query(CONTENT_TYPES.campaign).findMany({ where, select: [...common, 'preheaderNl', 'preheaderEn'] })) as MailingRecord[];
  const variants = await variantSubjects(strapi.db.connection as unknown as Knex, {
    edition: editions.map((row) => row.id),
    campaign: campaigns.map((row) => row.id),
  });
  const toRow = (kind: 'edition' | 'campaign', record: MailingRecord): ArchiveMailingRow => ({
    kind,
    documentId: record.documentId,
    state: record.state,
    submittedCount: Number(record.submittedCount ?? 0),
    keepOutOfArchive: Boolean(record.keepOutOfArchive),
    sentAt: record.sentAt ? new Date(record.sentAt) : null,
    summary:
      kind === 'campaign' ? { nl: record.preheaderNl || record.introNl, en: record.preheaderEn || record.introEn } : { nl: record.introNl, en: record.introEn },
    variants: variants.get(`${kind}:${record.id}`) ?? [],
  });
  return [...editions.map((record) => toRow('edition', record)), ...campaigns.map((record) => toRow('campaign', record))];
}

async function variantSubjects(db: Knex, ids: Record<'edition' | 'campaign', number[]>): Promise<Map<string, Array<{ key: string; subject: string }>>> {
  const byMailing = new Map<string, Array<{ key: string; subject: string }>>();
  for (const kind of ['edition', 'campaign'] as const) {
    if (ids[kind].length === 0) continue;
    const rows: Array<{ mailing_id: number; variant_key: string; subject: string }> = await db(VARIANTS)
      .where({ mailing_kind: kind })
      .whereIn('mailing_id', ids[kind])
      .select('mailing_id', 'variant_key', 'subject');
    for (const row of rows) {
      const key = `${kind}:${Number(row.mailing_id)}`;
      byMailing.set(key, [...(byMailing.get(key) ?? []), { key: row.variant_key, subject: row.subject }]);
    }
  }
  return byMailing;
}

/** The archive in one language, newest first (also for a sitemap). */
export async function readArchive(strapi: Core.Strapi, locale: Locale): Promise<ArchiveEntry[]> {
  return archiveEntries(await readArchiveRows(strapi), locale);
}
