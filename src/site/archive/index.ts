/** The public archive of sent mailings and their web versions, and the feeds. */
export {
  ARCHIVE_PAGE_SIZE,
  archiveEntries,
  archivePath,
  archiveVariant,
  inArchive,
  paginate,
  parsePageNumber,
  type ArchiveEntry,
  type ArchiveMailingRow,
  type ArchivePage,
} from './listing';
export { readArchive, readArchiveRows } from './store';
export { campaignWebVersionPath, editionWebVersionPath, fillWebVersion, generalLinks, manageSubscriptionPath, type WebVersionLinks } from './web-version';
export { archiveSitemapEntries, type ArchiveSitemapEntry } from './sitemap';
