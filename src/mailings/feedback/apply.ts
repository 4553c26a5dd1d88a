import { parseMailingKey, type DeliveryStatistics, type MailingRef } from '../engine/mailing';
import type { FeedbackEvent, FeedbackKind, Suppression } from './events';
import { STATISTIC_BITS } from '../engine/delivery-statistics';
import type { FeedbackSession, FeedbackStore } from './store';

/** The statistic each kind of event counts (processed proves acceptance only). */
const STATISTIC: Partial<Record<FeedbackKind, keyof DeliveryStatistics>> = {
  deferred: 'deferred',
  delivered: 'delivered',
  bounce: 'bounced',
  blocked: 'bounced',
  dropped: 'dropped',
  spamreport: 'spamReports',
  unsubscribe: 'unsubscribes',
  open: 'opens',
  'machine-open': 'machineOpens',
  click: 'clicks',
};
const ENGAGEMENT = new Set<keyof DeliveryStatistics>(['opens', 'machineOpens', 'clicks']);

export interface FeedbackResult {
  events: number;
  /** Already applied (SendGrid posts some events more than once). */
  duplicates: number;
  /** Events naming a mailing or delivery that does not exist (or not together). */
  unmatched: number;
  /** Opens and clicks of a mailing that did not track them. */
  untracked: number;
  accepted: number;
  suppressed: number;
  resolvedBatches: number;
  /** Mailings whose batches of unknown fate were resolved: the engine checks whether they are done. */
  resolved: MailingRef[];
}

/**
 * Applies one post's events, in one transaction: duplicates dropped (by sg_event_id); for each
 * mailing, its delivery rows named by any event are read and locked at once, those still queued
 * or of unknown fate are accepted (they reached SendGrid), each statistic is marked once per
 * reader (the bits a row lacks, all rows in one statement), and readers are suppressed; then the
 * mailing's counters move, last and in mailing order, so that concurrent posts and the sending
 * worker never wait on each other in a circle. Events without a delivery suppress the subscriber
 * the endpoint found by address.
 */
export async function applyFeedback(store: FeedbackStore, events: FeedbackEvent[], now = Date.now()): Promise<FeedbackResult> {
  return store.transaction(async (session) => {
    const result: FeedbackResult = {
      events: events.length,
      duplicates: 0,
      unmatched: 0,
      untracked: 0,
      accepted: 0,
      suppressed: 0,
      resolvedBatches: 0,
      resolved: [],
    };
    const unique = [...new Map(events.map((event) => [event.id, event])).values()];
    const fresh = await session.claim(
      unique.map((event) => event.id),
      now,
    );
    result.duplicates = events.length - fresh.size;
    const byMailing = new Map<string, FeedbackEvent[]>();
    const bySubscriber: FeedbackEvent[] = [];
    for (const event of unique) {
      if (!fresh.has(event.id)) continue;
      if (event.mailing && event.delivery) {
        const list = byMailing.get(event.mailing);
        if (list) list.push(event);
        else byMailing.set(event.mailing, [event]);
      } else if (event.subscriber && event.suppress) bySubscriber.push(event);
      else result.unmatched++;
    }

    const counts: Array<[MailingRef, Partial<DeliveryStatistics>]> = [];
    for (const key of [...byMailing.keys()].sort()) {
      const ref = parseMailingKey(key);
      const mailingEvents = byMailing.get(key)!;
      const tracking = ref ? await session.tracking(ref) : null;
      if (!ref || tracking === null) {
        result.unmatched += mailingEvents.length;
        continue;
      }
      const rows = new Map((await session.deliveries(ref, sortedIds(mailingEvents.map((event) => event.delivery!)))).map((row) => [row.id, row]));
      const pending = [...rows.values()].filter((row) => row.status === 'queued' || row.status === 'unknown').map((row) => row.id);
      if (pending.length > 0) {
        const accepted = await session.accept(ref, sortedIds(pending), now);
        result.accepted += accepted.accepted;
        result.resolvedBatches += accepted.resolvedBatches;
        if (accepted.resolvedBatches > 0) result.resolved.push(ref);
      }

      // The bits each row gets from this post's events, then only those it lacks: once per reader.
      const wanted = new Map<number, number>();
      for (const event of mailingEvents) {
        const statistic = STATISTIC[event.kind];
        if (!statistic) continue;
        if (ENGAGEMENT.has(statistic) && !tracking) {
          result.untracked++;
          continue;
        }
        if (rows.has(event.delivery!)) wanted.set(event.delivery!, (wanted.get(event.delivery!) ?? 0) | STATISTIC_BITS[statistic]);
      }
      const moves: Partial<DeliveryStatistics> = {};
      const marks: Array<{ id: number; bits: number }> = [];
      for (const [id, bits] of wanted) {
        const added = bits & ~rows.get(id)!.feedback;
        if (added === 0) continue;
        marks.push({ id, bits: added });
        for (const [statistic, bit] of Object.entries(STATISTIC_BITS) as Array<[keyof DeliveryStatistics, number]>)
          if (added & bit) moves[statistic] = (moves[statistic] ?? 0) + 1;
      }
      await session.mark(
        ref,
        marks.sort((a, b) => a.id - b.id),
      );
      for (const { suppression, events: group } of bySuppression(mailingEvents)) {
        const subscribers = group.flatMap((event) => {
          const row = rows.get(event.delivery!);
          return row ? [row.subscriberId] : [];
        });
        result.suppressed += await suppress(session, sortedIds(subscribers), suppression, group);
      }
      if (Object.keys(moves).length > 0) counts.push([ref, moves]);
    }
    for (const { suppression, events: group } of bySuppression(bySubscriber)) {
      result.suppressed += await suppress(session, sortedIds(group.map((event) => event.subscriber!)), suppression, group);
    }
    for (const [ref, moves] of counts) await session.count(ref, moves);
    return result;
  });
}

async function suppress(session: FeedbackSession, subscribers: number[], suppression: Suppression, events: FeedbackEvent[]): Promise<number> {
  if (subscribers.length === 0) return 0;
  const at = new Date(Math.min(...events.map((event) => event.at)) * 1000);
  return session.suppress(subscribers, suppression, at);
}

/** Events grouped by the suppression they lead to (state and reason), so a group is one statement. */
function bySuppression(events: FeedbackEvent[]): Array<{ suppression: Suppression; events: FeedbackEvent[] }> {
  const groups = new Map<string, { suppression: Suppression; events: FeedbackEvent[] }>();
  for (const event of events) {
    if (!event.suppress) continue;
    const key = `${event.suppress.state}\n${event.suppress.reason}`;
    const group = groups.get(key) ?? { suppression: event.suppress, events: [] };
    group.events.push(event);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function sortedIds(ids: number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}
