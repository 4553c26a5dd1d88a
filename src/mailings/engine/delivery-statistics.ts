import type { DeliveryStatistics } from './mailing';

/**
 * Where each statistic lives: a bit in the delivery row's `feedback` column (set once per reader:
 * a duplicate or a second event of the same kind finds it set and counts nothing), and a counter
 * column on the mailing's row (moved in the same transaction, so the admin panel reads one row).
 * Bits only accumulate, so a delivery row only moves forward: a late `deferred` sets its own bit
 * and leaves `delivered` as it was (see deliveryOutcome).
 */
export const STATISTIC_BITS: Record<keyof DeliveryStatistics, number> = {
  deferred: 1,
  delivered: 2,
  bounced: 4,
  dropped: 8,
  spamReports: 16,
  unsubscribes: 32,
  opens: 64,
  machineOpens: 128,
  clicks: 256,
};

export const STATISTIC_COLUMNS: Record<keyof DeliveryStatistics, string> = {
  delivered: 'delivered_count',
  deferred: 'deferred_count',
  bounced: 'bounced_count',
  dropped: 'dropped_count',
  spamReports: 'spam_reports_count',
  unsubscribes: 'unsubscribes_count',
  opens: 'opens_count',
  machineOpens: 'machine_opens_count',
  clicks: 'clicks_count',
};

/** A delivery's outcome as far as SendGrid told: a refusal outranks a delivery, which outranks a deferral. */
export function deliveryOutcome(bits: number): 'bounced' | 'dropped' | 'delivered' | 'deferred' | null {
  if (bits & STATISTIC_BITS.bounced) return 'bounced';
  if (bits & STATISTIC_BITS.dropped) return 'dropped';
  if (bits & STATISTIC_BITS.delivered) return 'delivered';
  if (bits & STATISTIC_BITS.deferred) return 'deferred';
  return null;
}

/** The statistics marked on one delivery, by name (a subscriber's data export lists them). */
export function reportedStatistics(bits: number): Array<keyof DeliveryStatistics> {
  return (Object.keys(STATISTIC_BITS) as Array<keyof DeliveryStatistics>).filter((name) => (bits & STATISTIC_BITS[name]) !== 0);
}
