import type { DeliveryStatistics, MailingRef } from '../sending/mailing';
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
  /** Records these event ids as received; returns the ones not received before. */
  claim(eventIds: string[], now: number): Promise<Set<string>>;
  /** Whether the mailing tracked opens and clicks; null when there is no such mailing. */
  tracking(ref: MailingRef): Promise<boolean | null>;
  /**
   * These deliveries of the mailing reached SendGrid (an event names them): queued or unknown ->
   * submitted, and their batches of unknown fate -> submitted. Rows of other mailings are left alone.
   */
  accept(ref: MailingRef, deliveryIds: number[], now: number): Promise<{ accepted: number; resolvedBatches: number }>;
  /** Marks the statistic on these deliveries of the mailing that lack it; returns how many (the counter's move). */
  mark(ref: MailingRef, statistic: keyof DeliveryStatistics, deliveryIds: number[]): Promise<number>;
  /** Adds to the mailing's statistics counters (once per mailing, at the end: see the lock order in knex-store.ts). */
  count(ref: MailingRef, moves: Partial<DeliveryStatistics>): Promise<void>;
  /** The subscribers of these deliveries of the mailing. */
  subscribersOf(ref: MailingRef, deliveryIds: number[]): Promise<number[]>;
  /** Suppresses these subscribers (see SUPPRESSES_FROM); returns how many changed state. */
  suppress(subscriberIds: number[], suppression: Suppression, at: Date): Promise<number>;
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
