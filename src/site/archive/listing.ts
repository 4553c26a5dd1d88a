import type { Locale } from '../../core/domain/locale';
import { campaignWebVersionPath, editionWebVersionPath } from './web-version';

/**
 * Which mailings the public archive shows and how it pages through them. Pure: src/site/archive/store.ts
 * reads the rows, the page controller and the feed render the result.
 */

/** A sent (or partly sent) edition or campaign as the archive reads it, with its stored variants. */
export interface ArchiveMailingRow {
  kind: 'edition' | 'campaign';
  documentId: string;
  state: string;
  submittedCount: number;
  keepOutOfArchive: boolean;
  /** When it finished sending (sentAt); null while it has not. */
  sentAt: Date | null;
  /** Per language: what the archive says under the title (a campaign's preheader, an edition's intro). */
  summary: Partial<Record<Locale, string | null>>;
  variants: ReadonlyArray<{ key: string; subject: string }>;
}

export interface ArchiveEntry {
  kind: 'edition' | 'campaign';
  documentId: string;
  /** The subject its readers in this language got. */
  title: string;
  summary: string | null;
  sentAt: Date;
  /** Its web version for a reader with no theme choice (path on the CMS, no token). */
  path: string;
}

/** States a mailing ends in; `sending` ones join the archive when they finish (they have no date yet). */
const FINISHED = new Set(['sent', 'cancelled', 'failed']);

/**
 * In the archive: it went out to someone (a send cancelled halfway went to real readers, who may
 * look for it) and editors did not keep it out.
 */
export function inArchive(row: ArchiveMailingRow): boolean {
  return FINISHED.has(row.state) && row.submittedCount > 0 && !row.keepOutOfArchive && row.sentAt !== null;
}

/**
 * The variant a reader with no theme choice got in `locale`: the edition's `<locale>|`, else (when
 * every reader of that language chose themes) the one with the fewest themes, which carries every
 * item too, only in another order; a campaign's variant is its language. None: not sent in `locale`.
 */
export function archiveVariant(row: Pick<ArchiveMailingRow, 'kind' | 'variants'>, locale: Locale): { key: string; subject: string } | null {
  if (row.kind === 'campaign') return row.variants.find((variant) => variant.key === locale) ?? null;
  const ofLocale = row.variants.filter((variant) => variant.key.startsWith(`${locale}|`));
  const themeCount = (key: string) => (key.endsWith('|') ? 0 : key.split('|')[1].split(',').length);
  return [...ofLocale].sort((a, b) => themeCount(a.key) - themeCount(b.key) || a.key.localeCompare(b.key))[0] ?? null;
}

/** The archive in one language, newest first. */
export function archiveEntries(rows: readonly ArchiveMailingRow[], locale: Locale): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  for (const row of rows) {
    if (!inArchive(row)) continue;
    const variant = archiveVariant(row, locale);
    if (!variant) continue;
    entries.push({
      kind: row.kind,
      documentId: row.documentId,
      title: variant.subject,
      summary: row.summary[locale]?.trim() || null,
      sentAt: row.sentAt!,
      path: row.kind === 'campaign' ? campaignWebVersionPath(row.documentId, locale) : editionWebVersionPath(row.documentId, variant.key),
    });
  }
  return entries.sort((a, b) => b.sentAt.getTime() - a.sentAt.getTime() || a.documentId.localeCompare(b.documentId));
}

export const ARCHIVE_PAGE_SIZE = 12;

/** `?page=`: absent means 1; anything but a whole number from 1 is refused (the page answers 400). */
export function parsePageNumber(value: unknown): number | null {
  if (value === undefined || value === '') return 1;
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,5}$/.test(value)) return null;
  return Number(value);
}

export type ArchivePage<T> =
  | { kind: 'page'; items: T[]; page: number; pages: number; total: number }
  /** Page 1 of an empty archive is a page (saying so); any other page past the end is not. */
  | { kind: 'out-of-range'; page: number; pages: number; total: number };

export function paginate<T>(items: readonly T[], page: number, size = ARCHIVE_PAGE_SIZE): ArchivePage<T> {
  const pages = Math.max(1, Math.ceil(items.length / size));
  if (page > pages) return { kind: 'out-of-range', page, pages, total: items.length };
  return { kind: 'page', items: items.slice((page - 1) * size, page * size), page, pages, total: items.length };
}

/** The archive page's address; page 1 has none of its own, so every page has one canonical URL. */
export function archivePath(locale: Locale, page = 1): string {
  return `/newsletter/archive?lang=${locale}${page > 1 ? `&page=${page}` : ''}`;
}
