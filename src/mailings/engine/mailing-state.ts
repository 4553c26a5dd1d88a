/**
 * The states a mailing (an edition or a campaign) goes through, one typed union for both. `state`,
 * not `status`: Strapi 5 reserves `status` for a document's draft/published version, and an
 * attribute of that name cannot be saved in the admin panel.
 *
 *   draft -> scheduled -> sending -> sent | failed | cancelled
 *   draft | scheduled -> cancelled
 *
 * Editions add `skipped` (nothing new to send), see src/mailings/edition/edition-state.ts.
 */
export const MAILING_STATES = ['draft', 'scheduled', 'sending', 'sent', 'cancelled', 'failed'] as const;
export type MailingState = (typeof MAILING_STATES)[number];

/** Editors may still change a mailing in these states (content, audience, send time). */
export const EDITABLE_MAILING_STATES: readonly MailingState[] = ['draft', 'scheduled'];
/** What editors may set by hand; every other state is the worker's. */
export const EDITOR_SETTABLE_MAILING_STATES: readonly MailingState[] = ['draft', 'scheduled', 'cancelled'];
/** A mailing in one of these states is history: nothing moves any more. */
export const FINAL_MAILING_STATES: readonly MailingState[] = ['sent', 'failed', 'cancelled'];

export function isMailingState(value: unknown): value is MailingState {
  return typeof value === 'string' && (MAILING_STATES as readonly string[]).includes(value);
}

/**
 * Batch states: pending -> sending -> submitted | failed | unknown; pending -> cancelled.
 * `sending` carries a lease (locked_until); a batch found `sending` with an expired lease may or may
 * not have reached SendGrid, so it becomes `unknown` and is surfaced instead of being sent again.
 */
export const BATCH_STATES = ['pending', 'sending', 'submitted', 'failed', 'unknown', 'cancelled'] as const;
export type BatchState = (typeof BATCH_STATES)[number];
export const OPEN_BATCH_STATES: readonly BatchState[] = ['pending', 'sending'];

/** Delivery statuses: queued -> submitted | failed | suppressed | unknown | cancelled. */
export const DELIVERY_STATUSES = ['queued', 'submitted', 'failed', 'suppressed', 'unknown', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
/**
 * Deliveries that reached a reader or may have (unknown fate), or are about to (queued): a
 * remainder of a mailing leaves those readers out.
 */
export const RECEIVED_DELIVERY_STATUSES: readonly DeliveryStatus[] = ['queued', 'submitted', 'unknown'];

/**
 * A mailing that reached part of its audience and not the rest, so it can be sent to those who did
 * not get it: cancelled, or sent or failed with recipients that failed or were cancelled. The desk's
 * route and its button decide with this one rule.
 */
export function hasRemainder(state: string, counts: { failed: number; cancelled: number }): boolean {
  if (state === 'cancelled') return true;
  return (state === 'sent' || state === 'failed') && counts.failed + counts.cancelled > 0;
}

/** What a delivery can be settled as (from `queued`). */
export type SettledStatus = Exclude<DeliveryStatus, 'queued'>;
