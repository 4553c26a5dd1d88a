import type { DeliveryStatistics, MailingRef } from '../engine/mailing';
import type { Suppression } from './events';

/**
 * What applying SendGrid's events needs of the database (one Knex implementation for SQLite and
 * PostgreSQL: knex-store.ts). Everything of one post happens in one transaction, so a crash applies
 * a post entirely or not at all, and its redelivery (same event ids) is applied then.
 */
export interface FeedbackStore {
  transaction<T>(work: (session: FeedbackSession) => Promise<T>): Promise<T>;
  /** Forgets the ids of events received before `before` (SendGrid redelivers for 24 hours). */
  forgetEvents(before: number): Promise<number>;
}

export interface FeedbackSession {
  /** Records these event ids as received (in sorted order); returns the ones not received before. */
  claim(eventIds: string[], now: number): Promise<Set<string>>;
  /** Whether the mailing tracked opens and clicks; null when there is no such mailing. */
  tracking(ref: MailingRef): Promise<boolean | null>;
  /**
   * The mailing's delivery rows among these ids (others' are not returned), locked until the
   * transaction ends: what they are decides every change the post makes to them.
   */
  deliveries(ref: MailingRef, deliveryIds: number[]): Promise<FeedbackDelivery[]>;
  /**
   * These deliveries of the mailing reached SendGrid (an event names them): queued or unknown ->
   * submitted, and their batches of unknown fate -> submitted. Rows of other mailings are left alone.
   */
  accept(ref: MailingRef, deliveryIds: number[], now: number): Promise<{ accepted: number; resolvedBatches: number }>;
  /** Adds these statistic bits to these delivery rows of the mailing (one statement); returns the rows changed. */
  mark(ref: MailingRef, marks: Array<{ id: number; bits: number }>): Promise<number>;
  /** Adds to the mailing's statistics counters (once per mailing, at the end: see the lock order in knex-store.ts). */
  count(ref: MailingRef, moves: Partial<DeliveryStatistics>): Promise<void>;
  /** Suppresses these subscribers (see SUPPRESSES_FROM); returns how many changed state. */
  suppress(subscriberIds: number[], suppression: Suppression, at: Date): Promise<number>;
}

/** A delivery row as applying events reads it. */
export interface FeedbackDelivery {
  id: number;
  status: string;
  /** The statistic bits set so far (src/mailings/engine/delivery-statistics.ts). */
  feedback: number;
  subscriberId: number;
}

/**
 * Which states a suppression moves a subscriber from. A spam report is the strongest: it also
 * overrides an earlier bounce or unsubscribe, and only an admin lifts it. A bounce or unsubscribe
 * leaves a reader who is already suppressed as they are.
 */
export const SUPPRESSES_FROM: Record<Suppression['state'], readonly string[]> = {
  complained: ['pending', 'active', 'unsubscribed', 'bounced'],
  bounced: ['pending', 'active'],
  unsubscribed: ['pending', 'active'],
};
