/** Escaping helpers for HTML made by our own code: pages, feeds and mail. */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in text and in quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

/** Markup that is already safe; only `html` and `raw` create it. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Inserts trusted markup as-is: only for strings built by this code, never for input. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

function interpolate(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  // `${condition && html`...`}` renders nothing when the condition is false.
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}

/** Tagged template: every interpolation is escaped unless it is SafeHtml (or an array of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, i) => {
    out += interpolate(value) + strings[i + 1];
  });
  return new SafeHtml(out);
}

/** Links come from configuration, but a `javascript:` URL must never become a clickable link. */
export function safeUrl(url: string): string {
  return /^\s*(?:javascript|data|vbscript):/i.test(url) ? '#' : url;
}

// Contrast (WCAG AA): text ≥ 4.5:1 and borders/focus ≥ 3:1 against the background, in both schemes.
