import { randomBytes } from 'node:crypto';
import { deliveryArgs } from '../../src/mailings/engine/delivery-reference';
import type { MailingRef } from '../../src/mailings/engine/mailing';
import type { SentCampaign } from './feedback-data';

/**
 * The events SendGrid would post for a sent campaign, built before the timer: `processed` and
 * `delivered` for every delivery, and the rest of the `total` spread over the other kinds:
 * `deferred` (a tenth of them a second attempt for the same reader), an asynchronous `bounce`
 * after the delivery, `unsubscribe`, `spamreport`, and duplicates (an event posted again, same
 * sg_event_id and bytes, in a later post). In the order SendGrid would report them (a delivery's
 * `delivered` some thousands of deliveries after its `processed`, a bounce or complaint later
 * still), cut into posts of `postSize`, each a JSON array. Fields as scripts/mail-sink/README.md
 * (section Event Webhook) describes SendGrid's.
 */
export const MIX = { deferred: 0.4, duplicates: 0.2, bounce: 0.2, unsubscribe: 0.12, spamreport: 0.08 };

export interface EventPlan {
  posts: Buffer[];
  /** Events in the posts, duplicates included. */
  total: number;
  unique: number;
  byKind: Record<string, number>;
  duplicates: number;
  /** What the campaign's counters must read once everything is applied (once per reader). */
  expected: { delivered: number; deferred: number; bounced: number; spamReports: number; unsubscribes: number };
  /** Subscribers that must end suppressed (all distinct readers, all active before). */
  suppressed: { bounced: number; complained: number; unsubscribed: number };
  seconds: number;
}

interface Planned {
  key: number;
  json: string;
}

/**
 * `duplicateGap`: a duplicate comes at least this many posts after its original. At 1 it may be in
 * the very next post, which the worker (two jobs at once) applies while the original's transaction
 * is still open: its claim then waits for that commit (the event id's unique index).
 */
export function buildEventPosts(campaign: SentCampaign, options: { total: number; postSize: number; duplicateGap: number; seed?: number }): EventPlan {
  const started = Date.now();
  const { deliveries } = campaign;
  const count = deliveries.length;
  const budget = options.total - 2 * count;
  if (budget < 0)
    throw new Error(`${options.total} events cannot give ${count} deliveries their processed and delivered: --events must be at least 2 x --deliveries`);
  const duplicates = Math.round(budget * MIX.duplicates);
  const bounces = Math.round(budget * MIX.bounce);
  const unsubscribes = Math.round(budget * MIX.unsubscribe);
  const spamReports = Math.round(budget * MIX.spamreport);
  const deferredEvents = budget - duplicates - bounces - unsubscribes - spamReports;
  const deferredReaders = Math.max(0, deferredEvents - Math.floor(deferredEvents / 10));
  if (bounces + unsubscribes + spamReports > count || deferredReaders > count)
    throw new Error('too few deliveries for that many events: lower --events or raise --deliveries');

  let state = options.seed ?? 0x9e3779b9;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const between = (low: number, high: number) => low + random() * (high - low);
  const shuffled = () => {
    const order = Array.from({ length: count }, (_, i) => i);
    for (let i = count - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  };

  const idBytes = randomBytes(16 * (options.total + 16));
  let nextId = 0;
  const eventId = () =>
    idBytes
      .subarray(16 * nextId, 16 * ++nextId)
      .toString('base64url')
      .slice(0, 22);
  const filter = randomBytes(4).toString('hex');
  const firstSecond = Math.floor(Date.now() / 1000) - 3600;
  const planned: Planned[] = [];
  const byKind: Record<string, number> = {};
  const ref: MailingRef = campaign.ref;

  const add = (index: number, key: number, event: string, fields: Record<string, unknown>) => {
    const delivery = deliveries[index];
    const messageId = campaign.messageIds.get(delivery.batchNo)!;
    const slot = (index % 1000).toString();
    const deliveryEvent = ['processed', 'deferred', 'delivered', 'bounce', 'dropped'].includes(event);
    const body = {
      ...deliveryArgs(ref, delivery.id),
      email: delivery.email,
      // Sent at ~500 readers a second; one reader's events follow each other in time.
      timestamp: firstSecond + Math.floor(key / 500),
      event,
      sg_event_id: eventId(),
      sg_message_id: `${messageId}.filterdrecv-${filter}-${slot}.${slot}`,
      ...(deliveryEvent ? { 'smtp-id': `<${messageId}.${slot}@ismtpd0001p1lon1.sendgrid.net>` } : {}),
      category: ['campaign'],
      ...fields,
    };
    planned.push({ key, json: JSON.stringify(body) });
    byKind[event] = (byKind[event] ?? 0) + 1;
  };

  const deferredAt = new Map<number, number>();
  const deferredOrder = shuffled().slice(0, deferredReaders);
  for (const [n, index] of deferredOrder.entries()) {
    const key = index + between(100, 1500);
    deferredAt.set(index, key);
    add(index, key, 'deferred', { response: '451 4.7.1 Try again later', attempt: '1' });
    if (n < deferredEvents - deferredReaders) add(index, key + between(50, 500), 'deferred', { response: '451 4.7.1 Try again later', attempt: '2' });
  }
  const deliveredAt: number[] = [];
  for (let index = 0; index < count; index += 1) {
    add(index, index + between(0, 50), 'processed', {});
    const key = (deferredAt.get(index) ?? index) + between(600, 3000);
    deliveredAt.push(key);
    add(index, key, 'delivered', { response: '250 2.0.0 OK 1767225600 q1si123456lon.1 - gsmtp' });
  }
  const fates = shuffled();
  const client = { useragent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', ip: '203.0.113.7' };
  for (const index of fates.slice(0, bounces)) {
    add(index, deliveredAt[index] + between(1000, 30_000), 'bounce', {
      type: 'bounce',
      status: '5.1.1',
      reason: `550 5.1.1 <${deliveries[index].email}>: Recipient address rejected: User unknown`,
      bounce_classification: 'Invalid Address',
    });
  }
  for (const index of fates.slice(bounces, bounces + unsubscribes)) add(index, deliveredAt[index] + between(2000, 60_000), 'unsubscribe', client);
  for (const index of fates.slice(bounces + unsubscribes, bounces + unsubscribes + spamReports))
    add(index, deliveredAt[index] + between(2000, 60_000), 'spamreport', {});

  planned.sort((a, b) => a.key - b.key);
  // Duplicates: an event posted again `duplicateGap` to `duplicateGap` + 5 posts later (never in the
  // same post: the copy lands at least gap x postSize events further on), picked among the events
  // that leave room for that.
  const later = new Map<number, string[]>();
  const gap = options.duplicateGap * options.postSize;
  const pickable = Math.max(1, planned.length - gap - options.postSize);
  for (let n = 0; n < duplicates; n += 1) {
    const original = Math.floor(random() * pickable);
    const at = Math.min(planned.length - 1, original + gap + Math.floor(between(0, 5 * options.postSize)));
    later.set(at, [...(later.get(at) ?? []), planned[original].json]);
  }
  const stream: string[] = [];
  for (const [index, event] of planned.entries()) {
    stream.push(event.json);
    for (const copy of later.get(index) ?? []) stream.push(copy);
  }
  const posts: Buffer[] = [];
  for (let start = 0; start < stream.length; start += options.postSize)
    posts.push(Buffer.from(`[${stream.slice(start, start + options.postSize).join(',')}]`, 'utf8'));
  return {
    posts,
    total: stream.length,
    unique: planned.length,
    byKind,
    duplicates,
    expected: { delivered: count, deferred: deferredReaders, bounced: bounces, spamReports, unsubscribes },
    suppressed: { bounced: bounces, complained: spamReports, unsubscribed: unsubscribes },
    seconds: (Date.now() - started) / 1000,
  };
}
