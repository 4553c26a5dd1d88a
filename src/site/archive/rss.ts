import { Feed as FeedWriter } from 'feed';
import { escapeHtml } from '../../core/web/html';

/**
 * RSS 2.0 documents (with atom:link rel=self, as feed validators ask), written by the `feed`
 * package. Every value is stripped of characters XML 1.0 cannot carry and handed over in the form
 * its XML writer (xml-js) needs to come out as typed, so no editor's text breaks a feed.
 */
export interface FeedItem {
  title: string;
  /** The item's own URL, also its guid (isPermaLink). */
  link: string;
  pubDate: Date;
  /** Plain text (an article's summary); readers get it as HTML that shows exactly this text. */
  description: string | null;
}

export interface Feed {
  title: string;
  /** The website the feed is about. */
  link: string;
  /** The feed's own URL (atom:link rel=self). */
  selfUrl: string;
  description: string;
  language: string;
  items: readonly FeedItem[];
}

export const RSS_CONTENT_TYPE = 'application/rss+xml; charset=utf-8';

const NOT_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(value: string): string {
  return value.replace(NOT_XML, '').replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

/**
 * For an element's text: xml-js turns every "&amp;" back into "&" before it escapes, so a typed
 * "&amp;" would lose its "amp;". Ampersands escaped once here come out exactly as typed.
 */
function text(value: string): string {
  return value.replace(NOT_XML, '').replace(/&/g, '&amp;');
}

/**
 * For a CDATA section (the library writes item titles and descriptions as CDATA): xml-js splits
 * only the first "]]>" (into "]]]]><![CDATA[>"), and a second one would end the section early.
 * Every later one is split here the same way, so the writer's own split still finds the first.
 */
function cdata(value: string): string {
  const clean = value.replace(NOT_XML, '');
  const first = clean.indexOf(']]>');
  if (first === -1) return clean;
  return clean.slice(0, first + 3) + clean.slice(first + 3).replaceAll(']]>', ']]]]><![CDATA[>');
}

export function renderRss(feed: Feed): string {
  const newest = feed.items.reduce<Date | null>((latest, item) => (!latest || item.pubDate > latest ? item.pubDate : latest), null);
  const writer = new FeedWriter({
    title: text(feed.title),
    link: feed.link,
    description: text(feed.description),
    language: text(feed.language),
    feedLinks: { rss: feed.selfUrl },
    // An empty feed has no newest item; the library then dates it now.
    updated: newest ?? undefined,
    generator: false,
  });
  for (const item of feed.items) {
    writer.addItem({
      title: cdata(item.title),
      link: item.link,
      date: item.pubDate,
      // Feed readers render an item's description as HTML: escaped for HTML first, so a summary
      // such as "<b> & co" reads as typed instead of becoming markup (and holds no "]]>").
      description: item.description ? cdata(escapeHtml(item.description)) : undefined,
    });
  }
  // The library writes encoding="utf-8"; the name is case-insensitive, and the feeds have always said UTF-8.
  return `${writer.rss2().replace(/^<\?xml version="1\.0" encoding="utf-8"\?>/, '<?xml version="1.0" encoding="UTF-8"?>')}\n`;
}
