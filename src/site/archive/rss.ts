import { escapeHtml } from '../../core/web/html';

/**
 * RSS 2.0 documents (with atom:link rel=self, as feed validators ask), built as text: every value
 * is XML-escaped and stripped of characters XML 1.0 cannot carry, so no editor's text breaks a feed.
 * Written here rather than with a feed library: one format, a few elements, no dependency.
 */
export interface FeedItem {
  title: string;
  link: string;
  /** Stable per item; here the item's own URL (isPermaLink). */
  guid: string;
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

// eslint-disable-next-line no-control-regex
const NOT_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(value: string): string {
  return value.replace(NOT_XML, '').replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

/** RFC 822 dates, as RSS 2.0 requires ("Tue, 01 Dec 2026 09:00:00 GMT"). */
export function rfc822(date: Date): string {
  return date.toUTCString();
}

export function renderRss(feed: Feed): string {
  const element = (name: string, value: string) => `<${name}>${escapeXml(value)}</${name}>`;
  const items = feed.items.map((item) =>
    [
      '<item>',
      element('title', item.title),
      element('link', item.link),
      `<guid isPermaLink="${item.guid === item.link}">${escapeXml(item.guid)}</guid>`,
      element('pubDate', rfc822(item.pubDate)),
      // Feed readers render an item's description as HTML: escaped for HTML first, so a summary
      // such as "<b> & co" reads as typed instead of becoming markup, then for XML as every value.
      item.description ? element('description', escapeHtml(item.description)) : '',
      '</item>',
    ].join(''),
  );
  const newest = feed.items.reduce<Date | null>((latest, item) => (!latest || item.pubDate > latest ? item.pubDate : latest), null);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '<channel>',
    element('title', feed.title),
    element('link', feed.link),
    element('description', feed.description),
    element('language', feed.language),
    `<atom:link href="${escapeXml(feed.selfUrl)}" rel="self" type="application/rss+xml"/>`,
    newest ? element('lastBuildDate', rfc822(newest)) : '',
    ...items,
    '</channel>',
    '</rss>',
    '',
  ].join('\n');
}
