import type { Core } from '@strapi/strapi';
import type { Locale } from '../../core/domain/locale';
import { archiveEntries, archivePath } from './listing';
import { readArchiveRows } from './store';

/** A sitemap entry as src/site/reading/sitemap.ts renders it: one page's versions per locale. */
export interface ArchiveSitemapEntry {
  versions: Partial<Record<Locale, string>>;
  lastModified: string | null;
}

/**
 * The archive's pages for the sitemap: the archive itself in both languages, and each archived
 * mailing's web versions, its Dutch and English ones as translations of each other. Kept-out
 * mailings and web versions with a token never appear.
 */
export async function archiveSitemapEntries(strapi: Core.Strapi, publicUrl: string): Promise<ArchiveSitemapEntry[]> {
  const rows = await readArchiveRows(strapi);
  const byMailing = new Map<string, ArchiveSitemapEntry>();
  for (const locale of ['nl', 'en'] as const) {
    for (const entry of archiveEntries(rows, locale)) {
      const key = `${entry.kind}:${entry.documentId}`;
      const found = byMailing.get(key) ?? { versions: {}, lastModified: entry.sentAt.toISOString() };
      found.versions[locale] = `${publicUrl}${entry.path}`;
      byMailing.set(key, found);
    }
  }
  return [{ versions: { nl: `${publicUrl}${archivePath('nl')}`, en: `${publicUrl}${archivePath('en')}` }, lastModified: null }, ...byMailing.values()];
}
