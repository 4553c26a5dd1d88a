/**
 * The mail sink's webhook slot: at most one event poster at a time, replaceable while the sink runs
 * (tests start the sink before the CMS, so the receiver's URL is known only later).
 */
import { createEventPoster, eventsForAcceptedMail, parseEventTestSettings, webhookPublicKeyOf } from './events';
import type { EventCounts, EventPoster, EventPosterOptions, EventTestSettings } from './events';
import type { MailSendBody } from './contract';

/** Where and how events are posted: `url`, `privateKey`, and the poster's tuning and test settings. */
export type WebhookOptions = EventPosterOptions;

/** `GET /__sink/webhook`: what the event poster does and has done. */
export type WebhookView = { configured: false } | ({ configured: true; url: string; publicKey: string; counts: EventCounts } & EventTestSettings);

export interface WebhookSlot {
  /** Replaces the poster (the old one's waiting events are dropped), or removes it with null. Throws a TypeError on invalid options. */
  set(options: WebhookOptions | null): void;
  readonly publicKey: string | null;
  /** Hands the events of an accepted request to the poster, if there is one (none in sandbox mode). */
  accepted(body: MailSendBody, messageId: string): void;
  flush(): Promise<void>;
  counts(): EventCounts;
  view(): WebhookView;
  /** Replaces the test settings from untrusted input; false when no webhook is configured. Throws a TypeError on invalid input. */
  setTestSettings(input: unknown): boolean;
}

export function createWebhookSlot(): WebhookSlot {
  let current: { poster: EventPoster; publicKey: string } | null = null;
  return {
    set(options: WebhookOptions | null): void {
      // Build the new poster first: invalid options throw and leave the current one running.
      const next = options === null ? null : { poster: createEventPoster(options), publicKey: webhookPublicKeyOf(options.privateKey) };
      current?.poster.close();
      current = next;
    },
    get publicKey(): string | null {
      return current?.publicKey ?? null;
    },
    accepted(body: MailSendBody, messageId: string): void {
      current?.poster.enqueue(eventsForAcceptedMail(body, messageId));
    },
    flush: async () => current?.poster.flush(),
    counts: () =>
      current?.poster.counts() ?? { queued: 0, duplicated: 0, posted: 0, postsOk: 0, postsFailed: 0, retries: 0, givenUp: 0, overflowed: 0, pending: 0 },
    view(): WebhookView {
      if (current === null) return { configured: false };
      const { poster, publicKey } = current;
      return { configured: true, url: poster.url, publicKey, ...poster.testSettings(), counts: poster.counts() };
    },
    setTestSettings(input: unknown): boolean {
      if (current === null) return false;
      current.poster.setTestSettings(parseEventTestSettings(input));
      return true;
    },
  };
}
