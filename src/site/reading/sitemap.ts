/**
 * The sitemap (sitemaps.org 0.9) of the reading pages: one `<url>` per page and locale, each with
 * `xhtml:link` alternates to every version of the same page (itself included, as search engines
 * ask), so they learn which pages are translations of each other.
 */
import type { Locale } from '../../core/domain/locale';
import type { SitemapEntry } from './model';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => XML_ESCAPES[char]);
}

export function renderSitemap(entries: SitemapEntry[]): string {
  const urls: string[] = [];
  for (const entry of entries) {
    const versions = (Object.entries(entry.versions) as Array<[Locale, string]>).filter(([, url]) => Boolean(url));
    const alternates =
      versions.length > 1 ? versions.map(([locale, url]) => `    <xhtml:link rel="alternate" hreflang="${locale}" href="${escapeXml(url)}"/>\n`).join('') : '';
    const defaultVersion = entry.versions.nl ?? entry.versions.en;
    const xDefault =
      versions.length > 1 && defaultVersion ? `    <xhtml:link rel="alternate" hreflang="x-default" href="${escapeXml(defaultVersion)}"/>\n` : '';
    for (const [, url] of versions) {
      urls.push(
        `  <url>\n    <loc>${escapeXml(url)}</loc>\n${entry.lastModified ? `    <lastmod>${escapeXml(entry.lastModified.slice(0, 10))}</lastmod>\n` : ''}${alternates}${xDefault}  </url>\n`,
      );
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${urls.join('')}</urlset>\n`;
}
