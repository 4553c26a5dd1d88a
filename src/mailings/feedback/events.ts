import { normaliseEmail } from '../../core/domain/email';
import { readDeliveryArgs } from '../engine/delivery-reference';
import { mailingKey } from '../engine/mailing';
import type { SubscriberState } from '../../core/domain/subscriber-state';

/**
 * SendGrid's events, read into what the product acts on. Pure. A SendGrid event carries the
 * reader's address; what goes on the queue (FeedbackEvent) does not: events of our mailings name
 * their delivery row (custom args `mailing` + `delivery`), other events that suppress name the
 * subscriber found by address at the endpoint, and the rest is counted and dropped there.
 */
export const FEEDBACK_KINDS = [
  'processed',
  'deferred',
  'delivered',
  'bounce',
  'blocked',
  'dropped',
  'spamreport',
  'unsubscribe',
  'open',
  'machine-open',
  'click',
] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

/** Why a reader gets no more mail: the subscriber state an event leads to, and the reason kept on the record. */
export interface Suppression {
  state: Extract<SubscriberState, 'bounced' | 'complained' | 'unsubscribed'>;
  reason: string;
}

/** One event as the feedback queue carries it: ids only, no personal data. */
export interface FeedbackEvent {
  /** SendGrid's `sg_event_id`: the same event posted twice is applied once. */
  id: string;
  kind: FeedbackKind;
  /** Unix seconds, SendGrid's `timestamp`. */
  at: number;
  /** `edition:12`, with `delivery` (the delivery row id): an event of one of our mailings. */
  mailing?: string;
  delivery?: number;
  /** An event without our custom args (transactional or admin mail) that suppresses: the subscriber with that address. */
  subscriber?: number;
  suppress?: Suppression;
}

/** An event as read from a post, before the endpoint replaces the address by a subscriber id. */
export interface ReadEvent extends FeedbackEvent {
  email: string | null;
}

export interface ReadPost {
  events: ReadEvent[];
  /** Entries that are not events at all (no sg_event_id, event or timestamp). */
  malformed: number;
  /** Events of types the product does not act on (e.g. group_resubscribe). */
  ignored: number;
}

export class NotAnEventPostError extends Error {
  constructor() {
    super('The body must be a JSON array of SendGrid events.');
    this.name = 'NotAnEventPostError';
  }
}

const EVENT_ID = /^[A-Za-z0-9_.:=+/-]{1,128}$/;

export function readEventPost(parsed: unknown): ReadPost {
  if (!Array.isArray(parsed)) throw new NotAnEventPostError();
  const post: ReadPost = { events: [], malformed: 0, ignored: 0 };
  for (const entry of parsed) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      post.malformed++;
      continue;
    }
    const raw = entry as Record<string, unknown>;
    const id = raw.sg_event_id;
    const at = typeof raw.timestamp === 'string' && /^\d+$/.test(raw.timestamp) ? Number(raw.timestamp) : raw.timestamp;
    if (typeof id !== 'string' || !EVENT_ID.test(id) || typeof raw.event !== 'string' || typeof at !== 'number' || !Number.isFinite(at) || at < 0) {
      post.malformed++;
      continue;
    }
    const kind = kindOf(raw);
    if (!kind) {
      post.ignored++;
      continue;
    }
    const event: ReadEvent = {
      id,
      kind,
      at: Math.floor(at),
      email: typeof raw.email === 'string' && raw.email.includes('@') ? normaliseEmail(raw.email).slice(0, 254) : null,
    };
    const ours = readDeliveryArgs(raw);
    if (ours) {
      event.mailing = mailingKey(ours.mailing);
      event.delivery = ours.deliveryId;
    }
    const suppress = suppressionFor(raw, kind);
    if (suppress) event.suppress = suppress;
    post.events.push(event);
  }
  return post;
}

function kindOf(raw: Record<string, unknown>): FeedbackKind | null {
  switch (raw.event) {
    case 'processed':
    case 'deferred':
    case 'delivered':
    case 'dropped':
    case 'spamreport':
    case 'unsubscribe':
    case 'click':
      return raw.event;
    case 'group_unsubscribe':
      return 'unsubscribe';
    case 'bounce':
      // `blocked` is SendGrid's soft bounce (a temporary refusal, often reputation): counted, not suppressed.
      return raw.type === 'blocked' ? 'blocked' : 'bounce';
    case 'open':
      return raw.sg_machine_open === true || raw.sg_machine_open === 'true' ? 'machine-open' : 'open';
    default:
      return null;
  }
}

/**
 * The suppression rules (docs/CONTEXT.md, "suppression"): a hard bounce, or a drop because the
 * address is invalid or bounced before -> bounced; a spam report (or a drop because the address
 * reported spam) -> complained; an unsubscribe through the mailbox provider (or a drop because the
 * address unsubscribed at SendGrid) -> unsubscribed. Soft bounces, deferrals and other drops
 * (e.g. a duplicate) change nothing for the reader.
 */
export function suppressionFor(raw: Record<string, unknown>, kind: FeedbackKind): Suppression | null {
  const reason = typeof raw.reason === 'string' ? raw.reason : '';
  switch (kind) {
    case 'bounce': {
      const detail = [raw.status, raw.bounce_classification].filter((part) => typeof part === 'string' && part).join(' ');
      return { state: 'bounced', reason: describe(`Bounce${detail ? ` ${detail}` : ''}`, reason) };
    }
    case 'dropped':
      if (/invalid|bounced address/i.test(reason)) return { state: 'bounced', reason: describe('Dropped', reason) };
      if (/spam reporting address/i.test(reason)) return { state: 'complained', reason: describe('Dropped', reason) };
      if (/unsubscribed address/i.test(reason)) return { state: 'unsubscribed', reason: describe('Dropped', reason) };
      return null;
    case 'spamreport':
      return { state: 'complained', reason: 'Spam report (marked as spam in the mailbox)' };
    case 'unsubscribe':
      return {
        state: 'unsubscribed',
        reason:
          raw.event === 'group_unsubscribe' ? 'Unsubscribed through the mailbox provider (group unsubscribe)' : 'Unsubscribed through the mailbox provider',
      };
    default:
      return null;
  }
}

/** The provider's reason, without any address in it (bounce texts often quote the mailbox), short. */
function describe(head: string, reason: string): string {
  const clean = reason
    .replace(/<?[^\s<>@]+@[^\s<>@]+>?/g, '<address>')
    .replace(/\s+/g, ' ')
    .trim();
  return (clean ? `${head}: ${clean}` : head).slice(0, 300);
}
