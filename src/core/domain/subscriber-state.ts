/**
 * A subscriber's state. `state`, not `status`: Strapi 5 reserves `status` for a document's
 * draft/published version, and an attribute of that name cannot be saved in the admin panel.
 */
export const SUBSCRIBER_STATES = ['pending', 'active', 'unsubscribed', 'bounced', 'complained'] as const;
export type SubscriberState = (typeof SUBSCRIBER_STATES)[number];

/** Subscribers in these states never get mail (see "suppression" in docs/CONTEXT.md). */
export const SUPPRESSED_SUBSCRIBER_STATES: readonly SubscriberState[] = ['unsubscribed', 'bounced', 'complained'];
