/**
 * The stand-in's Event Webhook: the events SendGrid would report for an accepted mail-send request,
 * and the signing of the posts that carry them (shared/contracts/sendgrid-event-webhook.md).
 *
 * Which events a recipient gets is decided by the local part of its address
 * (notes/events-contract.md): `bounce-*`, `blocked-*`, `dropped-*`, `defer-*`, `spam-*`,
 * `unsub-*`, `groupunsub-*`, `mpp-*`, `click-*`, anything else is simply delivered.
 *
 * The signing keys (./webhook-keys.ts) and the poster that batches, signs and delivers the events
 * (./event-poster.ts) are re-exported here: import everything webhook-related from this module.
 */
import { randomBytes } from 'node:crypto';
import type { MailSendBody, Personalization } from './contract';

export { generateWebhookKeys, parseWebhookPrivateKey, signEventPost, webhookPublicKeyOf, type WebhookKeys } from './webhook-keys';
export { createEventPoster, parseEventTestSettings, type EventCounts, type EventPoster, type EventPosterOptions, type EventTestSettings } from './event-poster';

export type EventType = 'processed' | 'dropped' | 'delivered' | 'deferred' | 'bounce' | 'open' | 'click' | 'spamreport' | 'unsubscribe' | 'group_unsubscribe';

/** One event as SendGrid posts it: its own fields plus every custom arg at the top level. */
export interface SendGridEvent {
  email: string;
  /** Unix seconds. */
  timestamp: number;
  event: EventType;
  /** Unique per event: the receiver's de-duplication key. */
  sg_event_id: string;
  /** `<X-Message-Id>.<filter>.<personalization>`: one per personalization of the request. */
  sg_message_id: string;
  [field: string]: unknown;
}

export interface EventGenerationOptions {
  /** Unix seconds of the first event (`processed`); default now. */
  now?: number;
}

/** What happens to one address, by the prefix of its local part. */
type Fate = 'bounce' | 'blocked' | 'dropped' | 'defer' | 'spam' | 'unsub' | 'groupunsub' | 'mpp' | 'click' | 'delivered';

const PREFIXED_FATES: readonly Fate[] = ['bounce', 'blocked', 'dropped', 'defer', 'spam', 'unsub', 'groupunsub', 'mpp', 'click'];

function fateOf(email: string): Fate {
  const local = email.slice(0, email.lastIndexOf('@')).toLowerCase();
  return PREFIXED_FATES.find((fate) => local.startsWith(`${fate}-`)) ?? 'delivered';
}

/** The fields of each event type beyond the common ones (the texts are the stand-in's own). */
const DETAILS = {
  delivered: { response: '250 2.0.0 OK: queued as mail-sink' },
  deferred: { response: '451 4.7.1 try again later', attempt: '1' },
  bounce: {
    type: 'bounce',
    status: '5.1.1',
    reason: '550 5.1.1 The email account that you tried to reach does not exist',
    bounce_classification: 'Invalid Address',
  },
  blocked: {
    type: 'blocked',
    status: '5.7.1',
    reason: '554 5.7.1 Service unavailable; sending host blocked because of its reputation',
    bounce_classification: 'Reputation',
  },
  dropped: { reason: 'Bounced Address', status: '5.0.0' },
} as const;

/** Engagement events come from a mail client, so they carry one (and no smtp-id, as with SendGrid). */
const CLIENT = { useragent: 'Mozilla/5.0 (mail-sink)', ip: '127.0.0.1' } as const;

function enabled(settings: unknown, name: string): boolean {
  const setting = (settings as Record<string, unknown> | undefined)?.[name];
  return typeof setting === 'object' && setting !== null && (setting as { enable?: unknown }).enable === true;
}

/** SendGrid answers sandbox-mode requests without sending anything, so they produce no events. */
export function isSandboxMode(body: MailSendBody): boolean {
  return enabled(body.mail_settings, 'sandbox_mode');
}

/** The first http(s) link of the HTML part (else the text part): where a `click-*` recipient clicks. */
function firstLink(body: MailSendBody): string | null {
  const parts = Array.isArray(body.content) ? body.content : [];
  const html = parts.find((c) => c.type.toLowerCase() === 'text/html')?.value ?? '';
  const fromHref = /href\s*=\s*["']?(https?:\/\/[^"'\s>]+)/i.exec(html)?.[1];
  if (fromHref) return fromHref.replace(/&amp;/g, '&');
  const text = parts.find((c) => c.type.toLowerCase() === 'text/plain')?.value ?? '';
  return /https?:\/\/[^\s<>"']+/i.exec(`${html} ${text}`)?.[0] ?? null;
}

function stringArgs(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [key, arg] of Object.entries(value as Record<string, unknown>)) if (typeof arg === 'string') out[key] = arg;
  return out;
}

/** The event types one address goes through, in order, with their type-specific fields. */
function lifecycle(
  fate: Fate,
  tracking: { open: boolean; click: boolean; clickUrl: string | null; asmGroupId: number },
): Array<[EventType, Record<string, unknown>]> {
  if (fate === 'bounce')
    return [
      ['processed', {}],
      ['bounce', DETAILS.bounce],
    ];
  if (fate === 'blocked')
    return [
      ['processed', {}],
      ['bounce', DETAILS.blocked],
    ];
  if (fate === 'dropped')
    return [
      ['processed', {}],
      ['dropped', DETAILS.dropped],
    ];
  const steps: Array<[EventType, Record<string, unknown>]> = [['processed', {}]];
  if (fate === 'defer') steps.push(['deferred', DETAILS.deferred]);
  steps.push(['delivered', DETAILS.delivered]);
  if (tracking.open) steps.push(['open', { sg_machine_open: fate === 'mpp', ...CLIENT }]);
  if (fate === 'click' && tracking.click && tracking.clickUrl !== null) {
    steps.push(['click', { url: tracking.clickUrl, url_offset: { index: 0, type: 'html' }, ...CLIENT }]);
  }
  if (fate === 'spam') steps.push(['spamreport', {}]);
  if (fate === 'unsub') steps.push(['unsubscribe', CLIENT]);
  if (fate === 'groupunsub') steps.push(['group_unsubscribe', { asm_group_id: tracking.asmGroupId, ...CLIENT }]);
  return steps;
}

const DELIVERY_EVENTS: ReadonlySet<EventType> = new Set(['processed', 'dropped', 'delivered', 'deferred', 'bounce']);

/**
 * Every event SendGrid would post for an accepted request, per recipient (to, cc and bcc of every
 * personalization) in the order they happen; timestamps one second apart per recipient, so
 * processed <= deferred <= delivered <= engagement. Sandbox-mode requests give none.
 *
 * Custom args (message-level, overridden by the personalization's) are spread at the top level
 * first, so that SendGrid's own field names win on a clash, as SendGrid does.
 */
export function eventsForAcceptedMail(body: MailSendBody, messageId: string, options: EventGenerationOptions = {}): SendGridEvent[] {
  if (isSandboxMode(body)) return [];
  const start = options.now ?? Math.floor(Date.now() / 1000);
  const categories = Array.isArray(body.categories) && body.categories.length > 0 ? body.categories : null;
  const tracking = {
    open: enabled(body.tracking_settings, 'open_tracking'),
    click: enabled(body.tracking_settings, 'click_tracking'),
    clickUrl: firstLink(body),
    asmGroupId: body.asm?.group_id ?? 1,
  };
  const messageArgs = stringArgs(body.custom_args);
  // SendGrid's sg_message_id is the X-Message-Id, a filter host part and a per-message counter.
  const filter = `mailsink-${randomBytes(4).toString('hex')}`;
  const events: SendGridEvent[] = [];
  body.personalizations.forEach((p: Personalization, index) => {
    const args = { ...messageArgs, ...stringArgs(p.custom_args) };
    const sgMessageId = `${messageId}.${filter}.${index}`;
    const smtpId = `<${messageId}.${index}@mail-sink.localhost>`;
    for (const recipient of [...p.to, ...(p.cc ?? []), ...(p.bcc ?? [])]) {
      lifecycle(fateOf(recipient.email), tracking).forEach(([event, details], step) => {
        events.push({
          ...args,
          email: recipient.email,
          timestamp: start + step,
          event,
          sg_event_id: randomBytes(16).toString('base64url'),
          sg_message_id: sgMessageId,
          ...(DELIVERY_EVENTS.has(event) ? { 'smtp-id': smtpId } : {}),
          ...(categories ? { category: [...categories] } : {}),
          ...details,
        });
      });
    }
  });
  return events;
}
