import { mailingKey, parseMailingKey, type MailingRef } from './mailing';

/**
 * Every personalization carries the mailing and a compact delivery reference in its custom_args,
 * so that SendGrid's events (delivered, bounce, spam report, ...) map to exactly one delivery row
 * by a primary-key lookup: `mailing` = `edition:12`, `delivery` = the delivery row's id in base 36.
 * SendGrid gives every event the message's custom_args merged with the personalization's.
 * No personal data: ids only.
 */
export const MAILING_ARG = 'mailing';
export const DELIVERY_ARG = 'delivery';

export function deliveryArgs(ref: MailingRef, deliveryId: number): Record<string, string> {
  return { [MAILING_ARG]: mailingKey(ref), [DELIVERY_ARG]: deliveryReference(deliveryId) };
}

/** The delivery reference alone: requests carry the mailing once, in the message's custom_args, and this per recipient. */
export function deliveryReference(deliveryId: number): string {
  return deliveryId.toString(36);
}

/** Reads an event's custom_args back; null when they are not ours (or were tampered with). */
export function readDeliveryArgs(args: Record<string, unknown> | null | undefined): { mailing: MailingRef; deliveryId: number } | null {
  const mailing = typeof args?.[MAILING_ARG] === 'string' ? parseMailingKey(args[MAILING_ARG] as string) : null;
  const raw = args?.[DELIVERY_ARG];
  if (!mailing || typeof raw !== 'string' || !/^[0-9a-z]{1,11}$/.test(raw)) return null;
  const deliveryId = Number.parseInt(raw, 36);
  return Number.isSafeInteger(deliveryId) && deliveryId > 0 ? { mailing, deliveryId } : null;
}
