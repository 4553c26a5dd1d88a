/**
 * An article's body as stored by Strapi's rich text field (Markdown), as safe HTML. A small
 * renderer of our own instead of a library: it knows the Markdown the editor's toolbar writes
 * (headings, paragraphs, lists, quotes, code, links, emphasis, images from the media library) and
 * escapes everything else, so HTML typed into an article is shown as text, never run. Links keep
 * only http(s), mailto and same-site addresses; images only from this site (no external assets).
 */
import { escapeHtml, raw, type SafeHtml } from '../../core/web/html';

export interface MarkdownOptions {
  /** The level of the body's highest heading: below the page's h1, so headings stay in order. */
  topHeadingLevel?: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}>\s?/;
const LIST_ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])\s+(.*)$/;

export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): SafeHtml {
  const lines = String(markdown ?? '').replace(/\r\n?/g, '\n').split('\n');
  const levels = lines.map((line) => HEADING.exec(line)?.[1].length).filter((level): level is number => level !== undefined);
  const shift = (options.topHeadingLevel ?? 2) - (levels.length ? Math.min(...levels) : 1);
  return raw(renderBlocks(lines, shift, false));
}

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || LIST_ITEM.test(line);
}

function renderBlocks(lines: string[], shift: number, tight: boolean): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') {
      i += 1;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const code: string[] = [];
      i += 1;
      while (i < lines.length && !lines[i].trimStart().startsWith(fence[1])) code.push(lines[i++]);
      i += 1;
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = Math.min(6, Math.max(1, heading[1].length + shift));
      out.push(`<h${level}>${renderInline(heading[2] ?? '')}</h${level}>`);
      i += 1;
      continue;
    }
    if (RULE.test(line)) {
      out.push('<hr>');
      i += 1;
      continue;
    }
    if (QUOTE.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i])) quoted.push(lines[i++].replace(QUOTE, ''));
      out.push(`<blockquote>${renderBlocks(quoted, shift, false)}</blockquote>`);
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const list = readList(lines, i);
      i = list.next;
      const ordered = /\d/.test(item[2]);
      const start = ordered ? Number.parseInt(item[2], 10) : 1;
      const items = list.items.map((itemLines) => `<li>${renderBlocks(itemLines, shift, true)}</li>`).join('');
      out.push(ordered ? `<ol${start !== 1 ? ` start="${start}"` : ''}>${items}</ol>` : `<ul>${items}</ul>`);
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && lines[i].trim() !== '' && (paragraph.length === 0 || !startsBlock(lines[i]))) paragraph.push(lines[i++]);
    const text = paragraph.map((part) => part.trim()).join('\n');
    const inline = text.split(/ {2,}\n|\\\n/).map(renderInline).join('<br>\n');
    out.push(tight && out.length === 0 && i >= lines.length ? inline : `<p>${inline}</p>`);
  }
  return out.join('\n');
}

/** The items of a list starting at `start`: each item's lines, continuation lines dedented. */
function readList(lines: string[], start: number): { items: string[][]; next: number } {
  const first = LIST_ITEM.exec(lines[start]) as RegExpExecArray;
  const ordered = /\d/.test(first[2]);
  const items: string[][] = [];
  let i = start;
  while (i < lines.length) {
    const line = lines[i];
    const item = LIST_ITEM.exec(line);
    if (item && item[1].length === first[1].length && /\d/.test(item[2]) === ordered) {
      items.push([item[3]]);
      i += 1;
      continue;
    }
    if (line.trim() === '') {
      // A blank line ends the list unless the list (or the item) goes on after it.
      const following = lines[i + 1];
      const next = following === undefined ? null : LIST_ITEM.exec(following);
      if (following !== undefined && (/^\s{2,}\S/.test(following) || (next !== null && next[1].length === first[1].length && /\d/.test(next[2]) === ordered))) {
        items[items.length - 1].push('');
        i += 1;
        continue;
      }
      break;
    }
    if (/^\s{2,}\S/.test(line) || !startsBlock(line)) {
      items[items.length - 1].push(line.replace(/^ {1,4}/, ''));
      i += 1;
      continue;
    }
    break;
  }
  // Blank lines between items separate them; they do not make an item's text a paragraph.
  for (const item of items) while (item.length > 1 && item[item.length - 1] === '') item.pop();
  return { items, next: i };
}

const INLINE = new RegExp(
  [
    /\\([\\`*_{}[\]()#+\-.!~>|])/.source, // 1: an escaped character
    /(`+)([\s\S]*?[^`])\2(?!`)/.source, // 2,3: code
    /!\[([^\]]*)\]\(\s*([^()\s]*)(?:\s+"[^"]*")?\s*\)/.source, // 4,5: image
    /\[((?:[^\]\\]|\\.)+)\]\(\s*([^()\s]*)(?:\s+"[^"]*")?\s*\)/.source, // 6,7: link
    /<((?:https?:\/\/|mailto:)[^\s<>]+)>/.source, // 8: autolink
    /\*\*(?=\S)([\s\S]*?\S)\*\*/.source, // 9: strong
    /__(?=\S)([\s\S]*?\S)__/.source, // 10: strong
    /~~(?=\S)([\s\S]*?\S)~~/.source, // 11: deleted
    /\*(?=[^\s*])([\s\S]*?[^\s*])\*/.source, // 12: emphasis
    /(?<![A-Za-z0-9])_(?=[^\s_])([\s\S]*?[^\s_])_(?![A-Za-z0-9])/.source, // 13: emphasis
  ].join('|'),
  'g',
);

/** Where a link may point: the web, mail, or a page of this site. Anything else is shown as text. */
export function safeLinkTarget(url: string): string | null {
  const trimmed = url.trim();
  if (/^(?:https?:\/\/|mailto:)[^\s]+$/i.test(trimmed)) return trimmed;
  if (/^(?:\/(?!\/)|#)[^\s]*$/.test(trimmed)) return trimmed;
  return null;
}

export function renderInline(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    out += escapeHtml(text.slice(last, match.index));
    last = (match.index ?? 0) + match[0].length;
    const [, escaped, , code, imageAlt, imageUrl, linkText, linkUrl, autolink, strong1, strong2, deleted, em1, em2] = match;
    if (escaped !== undefined) out += escapeHtml(escaped);
    else if (code !== undefined) out += `<code>${escapeHtml(code.trim() || code)}</code>`;
    else if (imageUrl !== undefined) out += renderImage(imageAlt ?? '', imageUrl);
    else if (linkText !== undefined) {
      const href = safeLinkTarget(linkUrl ?? '');
      out += href ? `<a href="${escapeHtml(href)}">${renderInline(linkText)}</a>` : renderInline(linkText);
    } else if (autolink !== undefined) out += `<a href="${escapeHtml(autolink)}">${escapeHtml(autolink.replace(/^mailto:/i, ''))}</a>`;
    else if (strong1 !== undefined || strong2 !== undefined) out += `<strong>${renderInline(strong1 ?? strong2 ?? '')}</strong>`;
    else if (deleted !== undefined) out += `<del>${renderInline(deleted)}</del>`;
    else out += `<em>${renderInline(em1 ?? em2 ?? '')}</em>`;
  }
  return out + escapeHtml(text.slice(last));
}

/** An image of this site's media library is shown; one from elsewhere becomes a link (no external assets). */
function renderImage(alt: string, url: string): string {
  const target = safeLinkTarget(url);
  if (target && target.startsWith('/')) return `<img src="${escapeHtml(target)}" alt="${escapeHtml(alt)}">`;
  if (target) return `<a href="${escapeHtml(target)}">${escapeHtml(alt || target)}</a>`;
  return escapeHtml(alt);
}
