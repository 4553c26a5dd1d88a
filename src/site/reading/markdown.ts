/**
 * An article's body as stored by Strapi's rich text field (Markdown), as safe HTML, rendered by
 * markdown-it (CommonMark with tables and strikethrough; the rich text editor previews with it too).
 * Raw HTML is off, so HTML typed into an article is shown as text, never run. Links keep only
 * http(s), mailto and same-site addresses; images only from this site (no external assets). The
 * renderer rules below keep the markup the pages always had: blocks one a line, no line breaks
 * inside lists and quotes, `<del>` for struck text, code blocks without a language class.
 */
import MarkdownIt from 'markdown-it';
import { escapeHtml, raw, type SafeHtml } from '../../core/web/html';

type Token = MarkdownIt.Token;

export interface MarkdownOptions {
  /** The level of the body's highest heading: below the page's h1, so headings stay in order. */
  topHeadingLevel?: number;
}

/** Where a link may point: the web, mail, or a page of this site. Anything else is shown as text. */
export function safeLinkTarget(url: string): string | null {
  const trimmed = url.trim();
  if (/^(?:https?:\/\/|mailto:)[^\s]+$/i.test(trimmed)) return trimmed;
  // Not "//host" nor "/\host": browsers take both for another site.
  if (/^(?:\/(?![/\\])|#)[^\s]*$/.test(trimmed)) return trimmed;
  return null;
}

const md = new MarkdownIt('default', { html: false, linkify: false, typographer: false });

// Every destination is parsed as a link, so that a link to a refused target (javascript:, data:,
// a relative path) still shows its text without the brackets; the link rules below decide whether
// it becomes an <a>. markdown-it's own check would leave such a link as literal "[text](url)".
md.validateLink = () => true;

// List items and the parts of a table follow each other without a line break, as list items always did.
const JOINED = new Set(['list_item_open', 'tbody_open', 'tr_open', 'th_open', 'td_open']);

/** Blocks start on a new line after the block before them, except first in a container and the JOINED ones. */
function lineBefore(tokens: Token[], idx: number): string {
  const token = tokens[idx];
  const previous = tokens[idx - 1];
  if (!token.block || token.nesting === -1 || previous === undefined) return '';
  // A hidden paragraph is the text of a tight list item: a nested block goes on the next line.
  if (previous.hidden) return '\n';
  return previous.block && previous.nesting !== 1 && !JOINED.has(token.type) ? '\n' : '';
}

const rules = md.renderer.rules;

md.renderer.renderToken = function renderToken(tokens, idx) {
  const token = tokens[idx];
  if (token.hidden) return '';
  return `${lineBefore(tokens, idx)}<${token.nesting === -1 ? '/' : ''}${token.tag}${this.renderAttrs(token)}>`;
};

const codeBlock = (tokens: Token[], idx: number) => `${lineBefore(tokens, idx)}<pre><code>${escapeHtml(tokens[idx].content.replace(/\n$/, ''))}</code></pre>`;
rules.fence = codeBlock;
rules.code_block = codeBlock;

rules.s_open = () => '<del>';
rules.s_close = () => '</del>';

const linkAllowed = (token: Token | undefined) => token !== undefined && safeLinkTarget(String(token.attrGet('href') ?? '')) !== null;
// Links do not nest in Markdown: a link's closing token belongs to the nearest opening one before it.
function openingLink(tokens: Token[], idx: number): Token | undefined {
  for (let i = idx - 1; i >= 0; i -= 1) if (tokens[i].type === 'link_open') return tokens[i];
  return undefined;
}
rules.link_open = (tokens, idx, options, _env, self) => (linkAllowed(tokens[idx]) ? self.renderToken(tokens, idx, options) : '');
rules.link_close = (tokens, idx, options, _env, self) => (linkAllowed(openingLink(tokens, idx)) ? self.renderToken(tokens, idx, options) : '');

/** An image of this site's media library is shown; one from elsewhere becomes a link (no external assets). */
rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const alt = self.renderInlineAsText(token.children ?? [], options, env);
  const target = safeLinkTarget(String(token.attrGet('src') ?? ''));
  if (target && target.startsWith('/')) return `<img src="${escapeHtml(target)}" alt="${escapeHtml(alt)}">`;
  if (target) return `<a href="${escapeHtml(target)}">${escapeHtml(alt || target)}</a>`;
  return escapeHtml(alt);
};

export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): SafeHtml {
  const env = {};
  const tokens = md.parse(String(markdown ?? ''), env);
  const headings = tokens.filter((token) => token.type === 'heading_open' || token.type === 'heading_close');
  const levels = headings.map((token) => Number(token.tag.slice(1)));
  const shift = (options.topHeadingLevel ?? 2) - (levels.length ? Math.min(...levels) : 1);
  for (const token of headings) token.tag = `h${Math.min(6, Math.max(1, Number(token.tag.slice(1)) + shift))}`;
  return raw(md.renderer.render(tokens, md.options, env));
}

/** One line of Markdown (no blocks), with the same rules for links and images. */
export function renderInline(text: string): string {
  return md.renderInline(String(text ?? ''));
}
