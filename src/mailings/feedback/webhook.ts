import type { KeyObject } from 'node:crypto';
import { NotAnEventPostError, readEventPost, type FeedbackEvent } from './events';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, checkTimestamp, verifyEventSignature } from '../../core/webhook-signature';

/**
 * The Event Webhook endpoint's decisions, apart from Koa: signature first (on the raw bytes), then
 * the JSON, then what is queued. SendGrid only needs a 2xx quickly; anything else makes it retry
 * for 24 hours, so a refusal is for posts that did not come from SendGrid or cannot be read.
 */
export const SENDGRID_WEBHOOK_PATH = '/webhooks/sendgrid';

export interface WebhookDeps {
  publicKey: KeyObject;
  toleranceSeconds: number;
  now(): number;
  /** Subscriber ids by (normalised) address, for events without our custom args that suppress. */
  subscribersByEmail(emails: string[]): Promise<Map<string, number>>;
  enqueue(events: FeedbackEvent[]): Promise<void>;
}

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

const refuse = (status: number, error: string): WebhookAnswer => ({ status, body: { error } });

export async function receiveEventPost(headers: Record<string, string | string[] | undefined>, rawBody: Buffer, deps: WebhookDeps): Promise<WebhookAnswer> {
  const signature = header(headers, SIGNATURE_HEADER);
  const timestamp = header(headers, TIMESTAMP_HEADER);
  if (!signature || !timestamp)
    return refuse(401, `Unsigned post: the ${SIGNATURE_HEADER} and ${TIMESTAMP_HEADER} headers are required (enable the signed Event Webhook in SendGrid).`);
  const time = checkTimestamp(timestamp, deps.now(), deps.toleranceSeconds);
  if (!time.ok) return refuse(403, `Refused: ${time.reason}.`);
  if (!verifyEventSignature(deps.publicKey, signature, timestamp, rawBody))
    return refuse(403, 'Refused: the signature does not match this body and the configured SendGrid verification key.');

  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return refuse(400, 'The body is not valid JSON.');
  }
  let post;
  try {
    post = readEventPost(parsed);
  } catch (error) {
    if (error instanceof NotAnEventPostError) return refuse(400, error.message);
    throw error;
  }

  // Events of our mailings name their delivery; others only matter when they suppress an address.
  const byAddress = post.events.filter((event) => !event.delivery && event.suppress && event.email);
  const found = byAddress.length > 0 ? await deps.subscribersByEmail([...new Set(byAddress.map((event) => event.email!))]) : new Map<string, number>();
  const queued: FeedbackEvent[] = [];
  let unmatched = 0;
  for (const { email, ...event } of post.events) {
    if (!event.delivery) {
      const subscriber = event.suppress && email ? found.get(email) : undefined;
      if (subscriber === undefined) {
        unmatched++;
        continue;
      }
      event.subscriber = subscriber;
    }
    queued.push(event);
  }
  if (queued.length > 0) await deps.enqueue(queued);
  return {
    status: 200,
    body: { received: post.events.length + post.malformed + post.ignored, queued: queued.length, unmatched, ignored: post.ignored, malformed: post.malformed },
  };
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | null {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text && text.trim() ? text.trim() : null;
}
