/**
 * The subscriber list as CSV (`npm run subscribers -- export`): the readers matching a filter, in
 * pages by id, through csv-stringify into the file, so a million readers never sit in memory.
 * Every export is logged in `subscriber_export_log` (who, when, which filter, how many rows; the
 * table comes from database/migrations/): a list of addresses leaving the system is itself a fact
 * the organisation must be able to show.
 */
import fs from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Knex } from 'knex';
import { storedThemes } from '../core/domain/subscriber-themes';
import { inAudience } from '../mailings/campaign/audience';
import { SUBSCRIBERS_TABLE } from './bulk-subscribers';
import { toIso } from './export';
import type { SubscriberFilter } from './subscriber-filter';

export const EXPORT_LOG_TABLE = 'subscriber_export_log';

/** Which readers (src/gdpr/subscriber-filter.ts checks it at every way in). */
export type ListExportFilter = SubscriberFilter;

export const EXPORT_COLUMNS = [
  'email',
  'name',
  'language',
  'themes',
  'state',
  'confirmedAt',
  'unsubscribedAt',
  'consentGivenAt',
  'consentSource',
  'consentTextVersion',
] as const;

interface ExportRow {
  id: number;
  email: string;
  name: string | null;
  preferred_locale: string | null;
  themes: unknown;
  state: string;
  confirmed_at: unknown;
  unsubscribed_at: unknown;
  given_at: unknown;
  source: string | null;
  text_version: string | null;
}

export interface ListExportOptions {
  /** The file written, also what the log says it went to (for a download: where it was asked from). */
  out: string;
  /** Where the CSV goes instead of the file `out` (the admin panel's download). */
  destination?: Writable;
  filter: ListExportFilter;
  /** Who asked: for the command line the operating-system user. */
  exportedBy: string;
  pageSize?: number;
  now?: Date;
  onProgress?(rowsDone: number): void;
}

export async function exportSubscriberList(db: Knex, options: ListExportOptions): Promise<{ rows: number; logId: number }> {
  const pageSize = options.pageSize ?? 1000;
  // Logged before the first row is written: an export that fails half-way has still left the system in part.
  const [log]: Array<{ id: number }> = await db(EXPORT_LOG_TABLE)
    .insert({
      exported_at: options.now ?? new Date(),
      exported_by: options.exportedBy.slice(0, 255),
      filter: JSON.stringify(options.filter),
      file: options.out.slice(0, 1000),
      rows: null,
    })
    .returning(['id']);
  let rows = 0;
  async function* records() {
    let afterId = 0;
    for (;;) {
      const page = await readPage(db, options.filter, afterId, pageSize);
      if (page.length === 0) return;
      afterId = page[page.length - 1].id;
      for (const row of page) {
        const themes = storedThemes(row.themes);
        if (options.filter.theme && !inAudience({ themes: [options.filter.theme], locale: null }, { preferredLocale: row.preferred_locale, themes })) continue;
        rows += 1;
        yield {
          email: row.email,
          name: row.name ?? '',
          language: row.preferred_locale ?? '',
          themes: themes.join('|'),
          state: row.state,
          confirmedAt: toIso(row.confirmed_at) ?? '',
          unsubscribedAt: toIso(row.unsubscribed_at) ?? '',
          consentGivenAt: toIso(row.given_at) ?? '',
          consentSource: row.source ?? '',
          consentTextVersion: row.text_version ?? '',
        };
      }
      options.onProgress?.(rows);
    }
  }
  await pipeline(
    Readable.from(records()),
    // escape_formulas: a name typed into the sign-up form as `=HYPERLINK(...)` stays text when the file is opened in a spreadsheet.
    stringify({ header: true, columns: [...EXPORT_COLUMNS], escape_formulas: true }),
    // The export holds personal data: readable by the owner only.
    options.destination ?? fs.createWriteStream(options.out, { mode: 0o600 }),
  );
  await db(EXPORT_LOG_TABLE).where({ id: log.id }).update({ rows });
  return { rows, logId: log.id };
}

function readPage(db: Knex, filter: ListExportFilter, afterId: number, limit: number): Promise<ExportRow[]> {
  const query = db(`${SUBSCRIBERS_TABLE} as s`)
    .leftJoin('subscribers_cmps as j', (join) => join.on('j.entity_id', '=', 's.id').andOnVal('j.field', '=', 'consent'))
    .leftJoin('components_subscription_consent_records as c', 'c.id', 'j.cmp_id')
    .where('s.id', '>', afterId)
    .orderBy('s.id')
    .limit(limit)
    .select(
      's.id',
      's.email',
      's.name',
      's.preferred_locale',
      's.themes',
      's.state',
      's.confirmed_at',
      's.unsubscribed_at',
      'c.given_at',
      'c.source',
      'c.text_version',
    );
  if (filter.state) query.andWhere('s.state', filter.state);
  // A reader without a stored locale reads Dutch, the default.
  if (filter.locale === 'nl') query.andWhere((where) => where.where('s.preferred_locale', 'nl').orWhereNull('s.preferred_locale'));
  else if (filter.locale) query.andWhere('s.preferred_locale', filter.locale);
  return query;
}

export interface LoggedExport {
  exportedAt: string;
  /** `admin:<id>` for the admin panel, the operating-system user for the command line. */
  exportedBy: string;
  filter: ListExportFilter;
  /** Null while it runs, or when it stopped half-way. */
  rows: number | null;
}

/** The latest exports, newest first: who took which part of the list, and when. */
export async function recentExports(db: Knex, limit: number): Promise<LoggedExport[]> {
  const rows: Array<{ exported_at: unknown; exported_by: string; filter: unknown; rows: unknown }> = await db(EXPORT_LOG_TABLE)
    .select('exported_at', 'exported_by', 'filter', 'rows')
    .orderBy('id', 'desc')
    .limit(limit);
  return rows.map((row) => {
    let filter: ListExportFilter = {};
    try {
      filter = (typeof row.filter === 'string' ? JSON.parse(row.filter) : row.filter) ?? {};
    } catch {
      // A filter written by hand in the table: shown as none rather than failing the list.
    }
    return { exportedAt: toIso(row.exported_at) ?? '', exportedBy: row.exported_by, filter, rows: row.rows === null ? null : Number(row.rows) };
  });
}
