/**
 * Mail sink: a local stand-in for SendGrid's `POST /v3/mail/send`.
 *
 * Point `@sendgrid/mail` at it with `client.setDefaultRequest('baseUrl', sink.url)`.
 * It authenticates, size-checks and validates requests like SendGrid does
 * (see ./validate.ts), keeps or counts accepted mail, can inject faults, and
 * serves a JSON API (`/__sink/...`) and a small HTML viewer (`/`). With a webhook configured it
 * posts signed Event Webhook events for what it accepts (see ./events.ts).
 *
 * Plain `node:http`, no dependencies.
 */
import { createServer, type IncomingMessage, type ServerResponse, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import {
  LIMITS,
  validateMailSend,
  type Attachment,
  type ContentPart,
  type EmailAddress,
  type MailSendBody,
  type Personalization,
  type SendGridError,
} from './validate';
import { isSandboxMode, type EventCounts } from './events';
import { createWebhookSlot, type WebhookOptions } from './webhook';
import { escapeHtml } from '../../src/core/web/html';

export type SinkMode = 'keep' | 'count';

export interface MailSinkOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** When set, `Authorization: Bearer <apiKey>` must match exactly; otherwise any bearer token is accepted. */
  apiKey?: string;
  /** `keep` (default) stores accepted requests; `count` only counts them. */
  mode?: SinkMode;
  /** Keep mode: how many accepted requests to keep (oldest are dropped first). Default 5000. */
  maxStored?: number;
  /** Post Event Webhook events of accepted requests there (also settable later: `setWebhook`). */
  webhook?: WebhookOptions;
}

export type { WebhookOptions, WebhookView } from './webhook';

export interface Faults {
  /** The next N mail-send requests get 429 with X-RateLimit-* and Retry-After headers. */
  status429?: number;
  /** The next N mail-send requests get 500. */
  status500?: number;
  /** Every mail-send request waits this long before it is answered. */
  delayMs?: number;
  /** Requests with this recipient (to/cc/bcc, case-insensitive) get 400 naming its field. */
  rejectAddress?: string;
  /** Seconds until the rate limit "resets" (X-RateLimit-Reset, Retry-After). Default 1. */
  resetAfterSeconds?: number;
}

export interface SinkCounts {
  /** Every POST /v3/mail/send received. */
  requests: number;
  /** Answered 202. */
  accepted: number;
  /** Answered 400, 401 or 413 (including rejectAddress faults). */
  rejected: number;
  /** Recipients (to + cc + bcc) of accepted requests. */
  recipientsAccepted: number;
  /** Answered 429 by fault injection. */
  status429: number;
  /** Answered 500 by fault injection. */
  status500: number;
}

export interface StoredMessage {
  messageId: string;
  /** ISO 8601 time the request was accepted. */
  receivedAt: string;
  /** to + cc + bcc over all personalizations. */
  recipients: number;
  /** The request body exactly as received (parsed JSON). */
  body: MailSendBody;
}

export type RecipientType = 'to' | 'cc' | 'bcc';

/** One recipient of one accepted request, as `GET /__sink/recipients` lists it. */
export interface RecipientView {
  messageId: string;
  receivedAt: string;
  personalization: number;
  type: RecipientType;
  email: string;
  name: string | null;
  /** The subject this recipient gets: personalization subject or message subject, substitutions applied. */
  subject: string | null;
  substitutions: Record<string, string>;
  /** Message-level custom_args overridden by the personalization's. */
  customArgs: Record<string, string>;
  categories: string[];
  /** Message-level headers overridden by the personalization's. */
  headers: Record<string, string>;
  /** The request's `tracking_settings` as sent; null when it had none (SendGrid then applies the account's settings). */
  trackingSettings: Record<string, unknown> | null;
}

/** The mail as one recipient gets it (substitutions and overrides applied). */
export interface RenderedMail {
  messageId: string;
  receivedAt: string;
  recipient: EmailAddress;
  type: RecipientType;
  personalization: number;
  from: EmailAddress;
  to: EmailAddress[];
  cc: EmailAddress[];
  replyTo: EmailAddress[];
  subject: string | null;
  html: string | null;
  text: string | null;
  otherContent: ContentPart[];
  headers: Record<string, string>;
  customArgs: Record<string, string>;
  categories: string[];
  sendAt: number | null;
  templateId: string | null;
  dynamicTemplateData: Record<string, unknown> | null;
  attachments: Array<{ filename: string; type: string | null; disposition: string; bytes: number }>;
  /** As in RecipientView. */
  trackingSettings: Record<string, unknown> | null;
}

export interface MailSink {
  /** Base URL, e.g. `http://127.0.0.1:3025` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly mode: SinkMode;
  close(): Promise<void>;
  /** Stored requests, oldest first (empty in count mode). */
  messages(): StoredMessage[];
  counts(): SinkCounts;
  /** One entry per recipient of every stored request. */
  recipients(): RecipientView[];
  /** Clears stored requests and counts (not the faults). */
  reset(): void;
  /** Replaces the active faults. Throws a TypeError on invalid input. */
  setFaults(faults: Faults): void;
  clearFaults(): void;
  /** The active faults, with the remaining 429/500 counts. */
  faults(): Faults;
  /**
   * Starts posting events of requests accepted from now on (replacing an earlier webhook, whose
   * waiting events are dropped), or stops with null. Throws a TypeError on invalid options.
   */
  setWebhook(options: WebhookOptions | null): void;
  /** base64 DER SPKI key that verifies the posts (SENDGRID_WEBHOOK_PUBLIC_KEY); null without a webhook. */
  readonly webhookPublicKey: string | null;
  /** Resolves when every event so far was posted or given up. */
  flushEvents(): Promise<void>;
  /** The current webhook's counters (all 0 without one). */
  eventCounts(): EventCounts;
}

// ---------------------------------------------------------------------------
// Constants

const DEFAULT_MAX_STORED = 5000;
const RATE_LIMIT = 600;
/** Bytes of an over-limit body we read and throw away so the client sees the 413; then we hang up. */
const DISCARD_LIMIT_BYTES = 4 * LIMITS.bodyLimitBytes;
const CONTROL_BODY_LIMIT = 1024 * 1024;
const MAX_DELAY_MS = 10 * 60 * 1000;
const LIST_TYPES: readonly RecipientType[] = ['to', 'cc', 'bcc'];

function sgError(message: string, field: string | null = null): { errors: SendGridError[] } {
  return { errors: [{ message, field, help: null }] };
}

// ---------------------------------------------------------------------------
// Request body reading

type BodyResult = { kind: 'ok'; data: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

/** Throws away the rest of a request body; hangs up if the client keeps sending past `limit`. */
function discardRest(req: IncomingMessage, limit: number): void {
  let discarded = 0;
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > limit) req.socket.destroy();
  });
  req.on('error', () => undefined);
  req.resume();
}

/** Reads a body of fewer than `limit` bytes; stops buffering as soon as it reaches `limit`. */
function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared >= limit) {
      discardRest(req, DISCARD_LIMIT_BYTES);
      resolve({ kind: 'too-large' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size >= limit) {
        chunks.length = 0;
        discardRest(req, DISCARD_LIMIT_BYTES);
        finish({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish({ kind: 'ok', data: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size) }));
    req.on('error', () => finish({ kind: 'aborted' }));
    req.on('aborted', () => finish({ kind: 'aborted' }));
  });
}

// ---------------------------------------------------------------------------
// Responses

function send(res: ServerResponse, status: number, body: string | null, headers: OutgoingHttpHeaders = {}): void {
  if (res.headersSent || res.destroyed) return;
  const payload = body ?? '';
  res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: OutgoingHttpHeaders = {}): void {
  send(res, status, JSON.stringify(value), { 'Content-Type': 'application/json', ...headers });
}

const HTML_SECURITY_HEADERS: OutgoingHttpHeaders = {
  'Content-Type': 'text/html; charset=utf-8',
  // Inherited by the srcdoc iframe: no scripts anywhere, inline styles and images only.
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; font-src data:; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

function sendHtml(res: ServerResponse, status: number, html: string): void {
  send(res, status, html, HTML_SECURITY_HEADERS);
}

// ---------------------------------------------------------------------------
// Faults

interface FaultState {
  status429: number;
  status500: number;
  delayMs: number;
  rejectAddress: string | null;
  resetAfterSeconds: number;
}

function noFaults(): FaultState {
  return { status429: 0, status500: 0, delayMs: 0, rejectAddress: null, resetAfterSeconds: 1 };
}

function nonNegativeInteger(value: unknown, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new TypeError(`${name} must be an integer between 0 and ${max}`);
  }
  return value;
}

/** Turns untrusted fault input into a full fault state; throws TypeError with a readable message. */
function parseFaults(input: unknown): FaultState {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('faults must be a JSON object');
  }
  const f = input as Record<string, unknown>;
  const known = ['status429', 'status500', 'delayMs', 'rejectAddress', 'resetAfterSeconds'];
  for (const key of Object.keys(f)) {
    if (!known.includes(key)) throw new TypeError(`unknown fault "${key}" (known: ${known.join(', ')})`);
  }
  const state = noFaults();
  if (f.status429 != null) state.status429 = nonNegativeInteger(f.status429, 'status429');
  if (f.status500 != null) state.status500 = nonNegativeInteger(f.status500, 'status500');
  if (f.delayMs != null) state.delayMs = nonNegativeInteger(f.delayMs, 'delayMs', MAX_DELAY_MS);
  if (f.resetAfterSeconds != null) state.resetAfterSeconds = nonNegativeInteger(f.resetAfterSeconds, 'resetAfterSeconds', 86_400);
  if (f.rejectAddress != null) {
    if (typeof f.rejectAddress !== 'string' || f.rejectAddress.trim() === '') {
      throw new TypeError('rejectAddress must be a non-empty string');
    }
    state.rejectAddress = f.rejectAddress.trim().toLowerCase();
  }
  return state;
}

function publicFaults(state: FaultState): Faults {
  const out: Faults = {};
  if (state.status429 > 0) out.status429 = state.status429;
  if (state.status500 > 0) out.status500 = state.status500;
  if (state.delayMs > 0) out.delayMs = state.delayMs;
  if (state.rejectAddress !== null) out.rejectAddress = state.rejectAddress;
  out.resetAfterSeconds = state.resetAfterSeconds;
  return out;
}

/** The field of the first to/cc/bcc entry with `address` (lower-cased), or null. */
function findRecipient(body: MailSendBody, address: string): string | null {
  for (let p = 0; p < body.personalizations.length; p++) {
    const personalization = body.personalizations[p] as Personalization;
    for (const type of LIST_TYPES) {
      const list = personalization[type];
      if (!list) continue;
      for (let i = 0; i < list.length; i++) {
        if ((list[i] as EmailAddress).email.toLowerCase() === address) return `personalizations.${p}.${type}.${i}.email`;
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------------------
// Per-recipient view

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** Plain string replacement of every substitution key (no regex, no `$` patterns). */
export function applySubstitutions(text: string, substitutions: Record<string, string>): string {
  let out = text;
  for (const [key, value] of Object.entries(substitutions)) {
    if (key.length > 0 && out.includes(key)) out = out.split(key).join(value);
  }
  return out;
}

function forEachRecipient(
  body: MailSendBody,
  fn: (p: Personalization, index: number, type: RecipientType, address: EmailAddress) => void,
): void {
  body.personalizations.forEach((p, index) => {
    for (const type of LIST_TYPES) {
      for (const address of p[type] ?? []) fn(p, index, type, address);
    }
  });
}

function recipientViews(message: StoredMessage): RecipientView[] {
  const { body } = message;
  const views: RecipientView[] = [];
  const messageArgs = stringMap(body.custom_args);
  const messageHeaders = stringMap(body.headers);
  const categories = Array.isArray(body.categories) ? body.categories : [];
  forEachRecipient(body, (p, index, type, address) => {
    const substitutions = stringMap(p.substitutions);
    const subject = p.subject ?? body.subject ?? null;
    views.push({
      messageId: message.messageId,
      receivedAt: message.receivedAt,
      personalization: index,
      type,
      email: address.email,
      name: address.name ?? null,
      subject: subject === null ? null : applySubstitutions(subject, substitutions),
      substitutions,
      customArgs: { ...messageArgs, ...stringMap(p.custom_args) },
      categories: [...categories],
      headers: { ...messageHeaders, ...stringMap(p.headers) },
      trackingSettings: trackingSettingsOf(body),
    });
  });
  return views;
}

interface RecipientEntry {
  p: Personalization;
  index: number;
  type: RecipientType;
  address: EmailAddress;
}

/** The first recipient entry with address `wanted` (lower-cased), or the very first one when `wanted` is empty. */
function findRecipientEntry(body: MailSendBody, wanted: string): RecipientEntry | null {
  for (let index = 0; index < body.personalizations.length; index++) {
    const p = body.personalizations[index] as Personalization;
    for (const type of LIST_TYPES) {
      for (const address of p[type] ?? []) {
        if (wanted === '' || address.email.toLowerCase() === wanted) return { p, index, type, address };
      }
    }
  }
  return null;
}

/** Renders `message` as `address` receives it (first recipient when no address is given); null if not a recipient. */
export function renderForRecipient(message: StoredMessage, address?: string): RenderedMail | null {
  const { body } = message;
  const entry = findRecipientEntry(body, address?.trim().toLowerCase() ?? '');
  if (entry === null) return null;
  const { p, index, type, address: recipient } = entry;
  const subs = stringMap(p.substitutions);
  const content = Array.isArray(body.content) ? body.content : [];
  const html = content.find((c) => c.type.toLowerCase() === 'text/html');
  const text = content.find((c) => c.type.toLowerCase() === 'text/plain');
  const subject = p.subject ?? body.subject ?? null;
  const attachments: Attachment[] = Array.isArray(body.attachments) ? body.attachments : [];
  return {
    messageId: message.messageId,
    receivedAt: message.receivedAt,
    recipient,
    type,
    personalization: index,
    from: p.from ?? body.from,
    to: p.to,
    cc: p.cc ?? [],
    replyTo: body.reply_to ? [body.reply_to] : body.reply_to_list ?? [],
    subject: subject === null ? null : applySubstitutions(subject, subs),
    html: html ? applySubstitutions(html.value, subs) : null,
    text: text ? applySubstitutions(text.value, subs) : null,
    otherContent: content.filter((c) => c !== html && c !== text),
    headers: { ...stringMap(body.headers), ...stringMap(p.headers) },
    customArgs: { ...stringMap(body.custom_args), ...stringMap(p.custom_args) },
    categories: Array.isArray(body.categories) ? [...body.categories] : [],
    sendAt: p.send_at ?? body.send_at ?? null,
    templateId: body.template_id ?? null,
    dynamicTemplateData: p.dynamic_template_data ?? null,
    attachments: attachments.map((a) => ({
      filename: a.filename,
      type: a.type ?? null,
      disposition: a.disposition ?? 'attachment',
      bytes: Math.floor((a.content.replace(/[\r\n=]/g, '').length * 3) / 4),
    })),
    trackingSettings: trackingSettingsOf(body),
  };
}

/** Validation guarantees an object when present; a copy, so that callers cannot change the store. */
function trackingSettingsOf(body: MailSendBody): Record<string, unknown> | null {
  const settings = body.tracking_settings;
  return settings === undefined || settings === null ? null : structuredClone(settings);
}

// ---------------------------------------------------------------------------
// HTML


function formatAddress(a: EmailAddress | undefined): string {
  if (!a) return '';
  return a.name ? `${a.name} <${a.email}>` : a.email;
}

const PAGE_STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2430;background:#f5f6f8}
header{background:#1f3a5f;color:#fff;padding:.75rem 1.25rem}
header a{color:#fff;text-decoration:none;font-weight:600}
main{padding:1rem 1.25rem;max-width:1200px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #e1e4e8;vertical-align:top;font-size:.9rem}
th{background:#eef1f5}
td.k{white-space:nowrap;color:#555;width:12rem}
.muted{color:#666}
.pill{display:inline-block;background:#eef1f5;border-radius:.6rem;padding:0 .5rem;margin-right:.3rem}
iframe{width:100%;height:640px;border:1px solid #ccd2da;background:#fff}
pre{white-space:pre-wrap;word-break:break-word;background:#fff;border:1px solid #ccd2da;padding:.75rem}
form{margin:.75rem 0}
select{max-width:40rem}
.err{color:#a4121c}
`;

function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${PAGE_STYLE}</style></head>
<body><header><a href="/">Mail sink</a></header><main>${content}</main></body></html>`;
}

function countsTable(counts: SinkCounts, mode: SinkMode, faults: Faults): string {
  const cells = Object.entries(counts)
    .map(([k, v]) => `<span class="pill">${escapeHtml(k)}: ${v}</span>`)
    .join('');
  const active = faults.status429 !== undefined || faults.status500 !== undefined || faults.delayMs !== undefined || faults.rejectAddress !== undefined;
  const faultText = active ? ` &middot; faults: <code>${escapeHtml(JSON.stringify(faults))}</code>` : '';
  return `<p>Mode <b>${mode}</b> &middot; ${cells}${faultText}</p>`;
}

function indexPage(messages: StoredMessage[], counts: SinkCounts, mode: SinkMode, faults: Faults): string {
  const shown = messages.slice(-500).reverse();
  const rows = shown
    .map((m) => {
      const subject = m.body.subject ?? m.body.personalizations[0]?.subject ?? (m.body.template_id ? `(template ${m.body.template_id})` : '');
      return `<tr><td>${escapeHtml(m.receivedAt)}</td>
<td><a href="/messages/${encodeURIComponent(m.messageId)}">${escapeHtml(subject || '(no subject)')}</a></td>
<td>${escapeHtml(formatAddress(m.body.from))}</td><td>${m.recipients}</td></tr>`;
    })
    .join('\n');
  const table =
    mode === 'count'
      ? '<p class="muted">Count mode: requests are validated and counted, not stored.</p>'
      : shown.length === 0
        ? '<p class="muted">No mail received yet.</p>'
        : `<table><thead><tr><th>Received</th><th>Subject</th><th>From</th><th>Recipients</th></tr></thead><tbody>${rows}</tbody></table>
${messages.length > shown.length ? `<p class="muted">Showing the newest ${shown.length} of ${messages.length}.</p>` : ''}`;
  return page('Mail sink', `<h1>Received mail</h1>${countsTable(counts, mode, faults)}${table}`);
}

function keyValueRows(entries: Array<[string, string]>): string {
  return entries.map(([k, v]) => `<tr><td class="k">${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('');
}

function messagePage(message: StoredMessage, mail: RenderedMail): string {
  const options: string[] = [];
  forEachRecipient(message.body, (_p, index, type, a) => {
    const selected = a.email.toLowerCase() === mail.recipient.email.toLowerCase() ? ' selected' : '';
    options.push(`<option value="${escapeHtml(a.email)}"${selected}>${escapeHtml(`${formatAddress(a)} (${type}, #${index})`)}</option>`);
  });
  const headerRows: Array<[string, string]> = [
    ['From', formatAddress(mail.from)],
    ['To', mail.to.map(formatAddress).join(', ')],
  ];
  if (mail.cc.length > 0) headerRows.push(['Cc', mail.cc.map(formatAddress).join(', ')]);
  if (mail.type === 'bcc') headerRows.push(['Bcc', formatAddress(mail.recipient)]);
  if (mail.replyTo.length > 0) headerRows.push(['Reply-To', mail.replyTo.map(formatAddress).join(', ')]);
  headerRows.push(['Subject', mail.subject ?? '']);
  for (const [k, v] of Object.entries(mail.headers)) headerRows.push([k, v]);
  const metaRows: Array<[string, string]> = [
    ['Message id', mail.messageId],
    ['Received', mail.receivedAt],
    ['Personalization', String(mail.personalization)],
  ];
  if (mail.categories.length > 0) metaRows.push(['Categories', mail.categories.join(', ')]);
  for (const [k, v] of Object.entries(mail.customArgs)) metaRows.push([`custom_args.${k}`, v]);
  if (mail.sendAt !== null) metaRows.push(['send_at', `${mail.sendAt} (${new Date(mail.sendAt * 1000).toISOString()})`]);
  if (mail.templateId !== null) metaRows.push(['template_id', mail.templateId]);
  if (mail.dynamicTemplateData !== null) metaRows.push(['dynamic_template_data', JSON.stringify(mail.dynamicTemplateData)]);
  metaRows.push(['tracking_settings', mail.trackingSettings === null ? '(none: the account settings apply)' : JSON.stringify(mail.trackingSettings)]);
  for (const a of mail.attachments) {
    metaRows.push(['Attachment', `${a.filename} (${a.type ?? 'unknown type'}, ${a.disposition}, ${a.bytes} bytes)`]);
  }
  const htmlPart =
    mail.html === null
      ? '<p class="muted">No text/html part.</p>'
      : `<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" title="HTML part" srcdoc="${escapeHtml(mail.html)}"></iframe>`;
  const textPart = mail.text === null ? '<p class="muted">No text/plain part.</p>' : `<pre>${escapeHtml(mail.text)}</pre>`;
  const other = mail.otherContent
    .map((c) => `<h3>${escapeHtml(c.type)}</h3><pre>${escapeHtml(c.value)}</pre>`)
    .join('');
  const id = encodeURIComponent(message.messageId);
  return page(
    `${mail.subject ?? '(no subject)'} - mail sink`,
    `<h1>${escapeHtml(mail.subject ?? '(no subject)')}</h1>
<form method="get" action="/messages/${id}"><label>Recipient <select name="to">${options.join('')}</select></label> <button type="submit">Show</button>
<span class="muted"> &middot; <a href="/__sink/messages/${id}">raw JSON</a></span></form>
<h2>Headers as sent to ${escapeHtml(mail.recipient.email)}</h2><table>${keyValueRows(headerRows)}</table>
<h2>HTML</h2>${htmlPart}
<h2>Text</h2>${textPart}${other}
<h2>Details</h2><table>${keyValueRows(metaRows)}</table>`,
  );
}

// ---------------------------------------------------------------------------
// Server

function formatHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match ? (match[1] as string) : null;
}

function isJsonRequest(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  return typeof type === 'string' && /^application\/json\b/i.test(type);
}

/** Starts a mail sink. Resolves once it is listening. */
export async function startMailSink(opts: MailSinkOptions = {}): Promise<MailSink> {
  const mode: SinkMode = opts.mode ?? 'keep';
  if (mode !== 'keep' && mode !== 'count') throw new TypeError(`mode must be "keep" or "count", got ${String(mode)}`);
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new TypeError(`invalid port ${String(port)}`);
  const apiKey = opts.apiKey === undefined || opts.apiKey === '' ? null : opts.apiKey;
  const maxStored = opts.maxStored ?? DEFAULT_MAX_STORED;

  let stored: StoredMessage[] = [];
  let counts = zeroCounts();
  let faults = noFaults();
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let closing = false;
  const webhook = createWebhookSlot();
  if (opts.webhook) webhook.set(opts.webhook);

  function zeroCounts(): SinkCounts {
    return { requests: 0, accepted: 0, rejected: 0, recipientsAccepted: 0, status429: 0, status500: 0 };
  }

  function reset(): void {
    stored = [];
    counts = zeroCounts();
  }

  function sleep(ms: number): Promise<void> {
    if (ms <= 0 || closing) return Promise.resolve();
    return new Promise((resolve) => {
      const entry = {
        resolve,
        timer: setTimeout(() => {
          timers.delete(entry);
          resolve();
        }, ms),
      };
      timers.add(entry);
    });
  }

  function findStored(id: string): StoredMessage | undefined {
    for (let i = stored.length - 1; i >= 0; i--) {
      if ((stored[i] as StoredMessage).messageId === id) return stored[i];
    }
    return undefined;
  }

  /** POST /v3/mail/send */
  async function handleSend(req: IncomingMessage, res: ServerResponse): Promise<void> {
    counts.requests++;
    const delay = faults.delayMs;
    const reply = async (status: number, body: unknown, headers: OutgoingHttpHeaders = {}): Promise<void> => {
      await sleep(delay);
      if (status === 202) send(res, 202, null, headers);
      else sendJson(res, status, body, headers);
    };

    const token = bearerToken(req);
    if (token === null || (apiKey !== null && token !== apiKey)) {
      counts.rejected++;
      discardRest(req, DISCARD_LIMIT_BYTES);
      const message = token === null ? 'authorization required' : 'The provided authorization grant is invalid, expired, or revoked';
      await reply(401, sgError(message));
      return;
    }

    const body = await readBody(req, LIMITS.bodyLimitBytes);
    if (body.kind === 'aborted') return;
    if (body.kind === 'too-large') {
      counts.rejected++;
      await reply(413, sgError('content too large'));
      return;
    }

    if (faults.status429 > 0) {
      faults.status429--;
      counts.status429++;
      const reset = faults.resetAfterSeconds;
      await reply(429, sgError('too many requests'), {
        'X-RateLimit-Limit': String(RATE_LIMIT),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(Math.floor(Date.now() / 1000) + reset),
        'Retry-After': String(reset),
      });
      return;
    }
    if (faults.status500 > 0) {
      faults.status500--;
      counts.status500++;
      await reply(500, sgError('internal server error'));
      return;
    }

    let raw = body.data;
    const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding === 'gzip') {
      try {
        raw = gunzipSync(raw, { maxOutputLength: LIMITS.bodyLimitBytes });
      } catch (err) {
        counts.rejected++;
        const tooLarge = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
        await reply(tooLarge ? 413 : 400, sgError(tooLarge ? 'content too large' : 'The request body is not valid gzip data.'));
        return;
      }
      if (raw.length >= LIMITS.bodyLimitBytes) {
        counts.rejected++;
        await reply(413, sgError('content too large'));
        return;
      }
    } else if (encoding !== 'identity' && encoding !== '') {
      counts.rejected++;
      await reply(400, sgError(`Unsupported Content-Encoding "${encoding}"; only gzip is supported.`));
      return;
    }

    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      counts.rejected++;
      await reply(400, sgError('Bad Request: the request body is not valid JSON.'));
      return;
    }

    const result = validateMailSend(parsed);
    if (!result.ok) {
      counts.rejected++;
      await reply(400, { errors: result.errors });
      return;
    }
    const mail = parsed as MailSendBody;

    if (faults.rejectAddress !== null) {
      const field = findRecipient(mail, faults.rejectAddress);
      if (field !== null) {
        counts.rejected++;
        await reply(400, sgError('The recipient address was rejected (mail sink fault injection: rejectAddress).', field));
        return;
      }
    }

    // Sandbox mode, as SendGrid: validated, answered 200 (not 202), nothing kept or sent, no events.
    if (isSandboxMode(mail)) {
      counts.accepted++;
      await sleep(delay);
      send(res, 200, null);
      return;
    }

    const messageId = randomBytes(16).toString('base64url');
    counts.accepted++;
    counts.recipientsAccepted += result.recipients;
    if (mode === 'keep') {
      stored.push({ messageId, receivedAt: new Date().toISOString(), recipients: result.recipients, body: mail });
      if (stored.length > maxStored) stored.splice(0, stored.length - maxStored);
    }
    await reply(202, null, { 'X-Message-Id': messageId });
    // After the answer, as with SendGrid: the events of a mail follow its acceptance.
    webhook.accepted(mail, messageId);
  }

  /**
   * Reads a control request's JSON body and hands it to `apply`; answers 415/413/400 itself
   * (400 with the message of what `apply` throws). Resolves false when it answered.
   */
  async function applyControlJson(req: IncomingMessage, res: ServerResponse, apply: (input: unknown) => void): Promise<boolean> {
    if (!isJsonRequest(req)) {
      discardRest(req, CONTROL_BODY_LIMIT);
      sendJson(res, 415, sgError('Content-Type must be application/json'));
      return false;
    }
    const body = await readBody(req, CONTROL_BODY_LIMIT);
    if (body.kind === 'aborted') return false;
    if (body.kind === 'too-large') {
      sendJson(res, 413, sgError('content too large'));
      return false;
    }
    try {
      apply(JSON.parse(body.data.toString('utf8')));
    } catch (err) {
      sendJson(res, 400, sgError(err instanceof Error ? err.message : 'invalid input'));
      return false;
    }
    return true;
  }

  /** POST/GET/DELETE /__sink/faults */
  async function handleFaults(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET') return sendJson(res, 200, publicFaults(faults));
    if (req.method === 'DELETE') {
      faults = noFaults();
      return sendJson(res, 200, publicFaults(faults));
    }
    if (req.method !== 'POST') return sendJson(res, 405, sgError('method not allowed'), { Allow: 'GET, POST, DELETE' });
    if (await applyControlJson(req, res, (input) => (faults = parseFaults(input)))) sendJson(res, 200, publicFaults(faults));
  }

  /** GET/PUT /__sink/webhook, POST /__sink/webhook/flush */
  async function handleWebhook(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const allowed = path === '/__sink/webhook/flush' ? 'POST' : 'GET, PUT';
    if (req.method === 'PUT' && path === '/__sink/webhook') {
      let configured = false;
      if (!(await applyControlJson(req, res, (input) => (configured = webhook.setTestSettings(input))))) return;
      if (!configured) return sendJson(res, 409, sgError('no webhook configured (MAIL_SINK_WEBHOOK_URL or setWebhook)'));
      return sendJson(res, 200, webhook.view());
    }
    discardRest(req, CONTROL_BODY_LIMIT);
    if (!allowed.split(', ').includes(req.method ?? '')) return sendJson(res, 405, sgError('method not allowed'), { Allow: allowed });
    if (req.method === 'POST') await webhook.flush();
    return sendJson(res, 200, webhook.view());
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const query = new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1));
    const method = req.method ?? 'GET';

    if (path === '/v3/mail/send') {
      if (method === 'POST') return handleSend(req, res);
      discardRest(req, CONTROL_BODY_LIMIT);
      return sendJson(res, 405, sgError('method not allowed'), { Allow: 'POST' });
    }
    if (path === '/__sink/faults') return handleFaults(req, res);
    if (path === '/__sink/webhook' || path === '/__sink/webhook/flush') return handleWebhook(req, res, path);

    // Everything below has no request body worth reading.
    discardRest(req, CONTROL_BODY_LIMIT);
    if (path === '/__sink/health' && method === 'GET') return sendJson(res, 200, { ok: true, mode });
    if (path === '/__sink/counts' && method === 'GET') return sendJson(res, 200, counts);
    if (path === '/__sink/messages') {
      if (method === 'GET') return sendJson(res, 200, stored);
      if (method === 'DELETE') {
        reset();
        return sendJson(res, 200, counts);
      }
      return sendJson(res, 405, sgError('method not allowed'), { Allow: 'GET, DELETE' });
    }
    if (path.startsWith('/__sink/messages/') && method === 'GET') {
      const message = findStored(safeDecode(path.slice('/__sink/messages/'.length)));
      return message ? sendJson(res, 200, message) : sendJson(res, 404, sgError('not found'));
    }
    if (path === '/__sink/recipients' && method === 'GET') {
      const email = query.get('email')?.trim().toLowerCase();
      let views = stored.flatMap(recipientViews);
      if (email) views = views.filter((v) => v.email.toLowerCase() === email);
      return sendJson(res, 200, views);
    }
    if (method === 'GET' && (path === '/' || path === '/index.html')) {
      return sendHtml(res, 200, indexPage(stored, counts, mode, publicFaults(faults)));
    }
    if (method === 'GET' && path.startsWith('/messages/')) {
      const message = findStored(safeDecode(path.slice('/messages/'.length)));
      if (!message) return sendHtml(res, 404, page('Not found', '<p class="err">No such message.</p>'));
      const mail = renderForRecipient(message, query.get('to') ?? undefined);
      if (!mail) return sendHtml(res, 404, page('Not found', '<p class="err">That address is not a recipient of this message.</p>'));
      return sendHtml(res, 200, messagePage(message, mail));
    }
    return sendJson(res, 404, sgError('not found'));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, sgError('internal server error (mail sink)'));
      else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${formatHost(host)}:${address.port}`;

  return {
    url,
    port: address.port,
    mode,
    close(): Promise<void> {
      closing = true;
      webhook.set(null);
      for (const entry of timers) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      timers.clear();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    messages: () => [...stored],
    counts: () => ({ ...counts }),
    recipients: () => stored.flatMap(recipientViews),
    reset,
    setFaults(input: Faults): void {
      faults = parseFaults(input);
    },
    clearFaults(): void {
      faults = noFaults();
    },
    faults: () => publicFaults(faults),
    setWebhook: (options: WebhookOptions | null) => webhook.set(options),
    get webhookPublicKey(): string | null {
      return webhook.publicKey;
    },
    flushEvents: () => webhook.flush(),
    eventCounts: () => webhook.counts(),
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
