/**
 * Stored mail per recipient: the list `GET /__sink/recipients` gives, and the mail as one
 * recipient gets it (substitutions and personalization overrides applied), which the pages show
 * and tests read.
 */
import type { Attachment, ContentPart, EmailAddress, MailSendBody, Personalization } from './contract';
import type { StoredMessage } from './inbox';

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

export const LIST_TYPES: readonly RecipientType[] = ['to', 'cc', 'bcc'];

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

export function forEachRecipient(body: MailSendBody, fn: (p: Personalization, index: number, type: RecipientType, address: EmailAddress) => void): void {
  body.personalizations.forEach((p, index) => {
    for (const type of LIST_TYPES) {
      for (const address of p[type] ?? []) fn(p, index, type, address);
    }
  });
}

export function recipientViews(message: StoredMessage): RecipientView[] {
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
    replyTo: body.reply_to ? [body.reply_to] : (body.reply_to_list ?? []),
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
