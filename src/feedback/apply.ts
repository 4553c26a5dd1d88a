import { parseMailingKey, type DeliveryStatistics, type MailingRef } from '../sending/mailing';
import type { FeedbackEvent, FeedbackKind, Suppression } from './events';
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
 * mailing, its deliveries named by any event are accepted (they reached SendGrid), each statistic
 * is marked once per reader, and readers are suppressed; then the mailing's counters move, last
 * and in mailing order, so that concurrent posts and the sending worker never wait on each other
 * in a circle. Events without a delivery suppress the subscriber the endpoint found by address.
 */
export async function applyFeedback(store: FeedbackStore, events: FeedbackEvent[], now = Date.now()): Promise<FeedbackResult> {
  return store.transaction(async (session) => {
    const result: FeedbackResult = { events: events.length, duplicates: 0, unmatched: 0, untracked: 0, accepted: 0, suppressed: 0, resolvedBatches: 0, resolved: [] };
    const unique = [...new Map(events.map((event) => [event.id, event])).values()];
    const fresh = await session.claim(unique.map((event) => event.id), now);
    result.duplicates = events.length - fresh.size;
    const byMailing = new Map<string, FeedbackEvent[]>();
    const bySubscriber: FeedbackEvent[] = [];
    for (const event of unique) {
      if (!fresh.has(event.id)) continue;
      if (event.mailing && event.delivery) byMailing.set(event.mailing, [...(byMailing.get(event.mailing) ?? []), event]);
      else if (event.subscriber && event.suppress) bySubscriber.push(event);
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
      const deliveries = sortedIds(mailingEvents.map((event) => event.delivery!));
      const accepted = await session.accept(ref, deliveries, now);
      result.accepted += accepted.accepted;
      result.resolvedBatches += accepted.resolvedBatches;
      if (accepted.resolvedBatches > 0) result.resolved.push(ref);

      const marks = new Map<keyof DeliveryStatistics, number[]>();
      for (const event of mailingEvents) {
        const statistic = STATISTIC[event.kind];
        if (!statistic) continue;
        if (ENGAGEMENT.has(statistic) && !tracking) {
          result.untracked++;
          continue;
        }
        marks.set(statistic, [...(marks.get(statistic) ?? []), event.delivery!]);
      }
      const moves: Partial<DeliveryStatistics> = {};
      for (const [statistic, ids] of marks) {
        const marked = await session.mark(ref, statistic, sortedIds(ids));
        if (marked > 0) moves[statistic] = marked;
      }
      for (const { suppression, events: group } of bySuppression(mailingEvents)) {
        const subscribers = await session.subscribersOf(ref, sortedIds(group.map((event) => event.delivery!)));
        result.suppressed += await suppress(session, subscribers, suppression, group);
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
