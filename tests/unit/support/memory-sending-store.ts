import type {
  AudienceFilter,
  AudienceSubscriber,
  AwaitingBatch,
  DeliveryStatistics,
  MailingCounts,
  MailingKind,
  MailingRecord,
  MailingRef,
  RecipientRecord,
  RenderedVariant,
} from '../../../src/mailings/engine/mailing';
import { RECEIVED_DELIVERY_STATUSES, type BatchState, type DeliveryStatus } from '../../../src/mailings/engine/mailing-state';
import type { BatchRecord, CancelOutcome, PlanChunk, SendingStore, Settlement } from '../../../src/mailings/engine/store';
import { isDatabaseUnavailable } from '../../../src/core/infra/database-unavailable';

/**
 * The engine's store in memory, for the engine's unit tests: the same contract as the Knex store
 * (src/mailings/engine/knex-store.ts), with every change applied at once (a transaction is trivially atomic).
 */
export interface MemorySubscriber {
  id: number;
  documentId: string;
  email: string;
  name: string | null;
  preferredLocale: string;
  themes: string[];
  linkKey: string;
  state: string;
}

interface Delivery {
  id: number;
  ref: string;
  subscriberId: number;
  batchNo: number;
  status: DeliveryStatus;
  messageId: string | null;
  error: string | null;
}

interface Batch extends BatchRecord {
  ref: string;
  error: string | null;
  unknownSince?: number | null;
}

const emptyCounts = (): MailingCounts => ({ recipients: 0, queued: 0, submitted: 0, failed: 0, suppressed: 0, unknown: 0, cancelled: 0, variants: 0 });
const keyOf = (ref: MailingRef) => `${ref.kind}:${ref.id}`;

export class MemorySendingStore implements SendingStore {
  readonly mailings = new Map<string, MailingRecord & { counts: MailingCounts; notes: string | null }>();
  readonly subscribersById = new Map<number, MemorySubscriber>();
  readonly deliveries: Delivery[] = [];
  readonly batches: Batch[] = [];
  readonly variants = new Map<string, RenderedVariant>();
  private nextDelivery = 1;
  /** Calls that fail as if the database were away (a restart): the next `times` calls (of `method` only, when named). */
  away: { times: number; method?: string } = { times: 0 };

  isUnavailable(error: unknown): boolean {
    return isDatabaseUnavailable(error);
  }

  /** Throws like a database that is restarting, while `away` lasts. */
  private write(method: string): void {
    if (this.away.times <= 0 || (this.away.method && this.away.method !== method)) return;
    this.away.times -= 1;
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  }

  addMailing(ref: MailingRef, fields: Partial<MailingRecord> = {}): void {
    this.mailings.set(keyOf(ref), {
      ref,
      documentId: `doc-${ref.kind}-${ref.id}`,
      title: `${ref.kind} ${ref.id}`,
      state: 'scheduled',
      sendAt: new Date(0),
      plannedAt: null,
      trackEngagement: false,
      remainderOf: null,
      ...fields,
      counts: emptyCounts(),
      notes: null,
    });
  }

  addSubscribers(list: Array<Partial<MemorySubscriber> & { id: number }>): void {
    for (const subscriber of list) {
      this.subscribersById.set(subscriber.id, {
        documentId: `sub-${subscriber.id}`,
        email: `r${subscriber.id}@example.org`,
        name: null,
        preferredLocale: 'nl',
        themes: [],
        linkKey: `link-key-${String(subscriber.id).padStart(8, '0')}`,
        state: 'active',
        ...subscriber,
      });
    }
  }

  record(ref: MailingRef) {
    return this.mailings.get(keyOf(ref));
  }

  deliveriesOf(ref: MailingRef) {
    return this.deliveries.filter((delivery) => delivery.ref === keyOf(ref));
  }

  batchesOf(ref: MailingRef) {
    return this.batches.filter((batch) => batch.ref === keyOf(ref));
  }

  private move(ref: MailingRef, moves: Partial<MailingCounts>): void {
    const counts = this.record(ref)!.counts;
    for (const [counter, n] of Object.entries(moves) as Array<[keyof MailingCounts, number]>) counts[counter] += n;
  }

  private findBatch(ref: MailingRef, batchNo: number) {
    return this.batches.find((batch) => batch.ref === keyOf(ref) && batch.batchNo === batchNo);
  }

  async mailing(ref: MailingRef) {
    const record = this.record(ref);
    return record
      ? {
          ref,
          documentId: record.documentId,
          title: record.title,
          state: record.state,
          sendAt: record.sendAt,
          plannedAt: record.plannedAt,
          trackEngagement: record.trackEngagement,
          remainderOf: record.remainderOf,
        }
      : null;
  }

  async counts(ref: MailingRef) {
    const record = this.record(ref);
    return record ? { ...record.counts } : null;
  }

  /** Statistics are moved by the feedback store (src/mailings/feedback/), which the engine's tests do not use. */
  readonly statisticsOf = new Map<string, DeliveryStatistics>();

  async statistics(ref: MailingRef): Promise<DeliveryStatistics | null> {
    if (!this.record(ref)) return null;
    return (
      this.statisticsOf.get(keyOf(ref)) ?? {
        delivered: 0,
        deferred: 0,
        bounced: 0,
        dropped: 0,
        spamReports: 0,
        unsubscribes: 0,
        opens: 0,
        machineOpens: 0,
        clicks: 0,
      }
    );
  }

  /** What an event of SendGrid does to a delivery (the feedback store's `accept`), for the engine's tests. */
  acceptByEvent(ref: MailingRef, deliveryId: number): void {
    const delivery = this.deliveriesOf(ref).find((d) => d.id === deliveryId);
    if (!delivery || (delivery.status !== 'queued' && delivery.status !== 'unknown')) return;
    this.move(ref, { [delivery.status]: -1, submitted: 1 });
    delivery.status = 'submitted';
    const batch = this.findBatch(ref, delivery.batchNo);
    if (batch?.state === 'unknown') Object.assign(batch, { state: 'submitted', unknownSince: null });
  }

  async awaitingResolution(ref: MailingRef): Promise<AwaitingBatch[]> {
    return this.batchesOf(ref)
      .filter((b) => b.state === 'unknown' && b.unknownSince != null)
      .sort((a, b) => a.unknownSince! - b.unknownSince!)
      .map((b) => ({ batchNo: b.batchNo, recipients: b.size, since: b.unknownSince! }));
  }

  async resend(ref: MailingRef, batchNo: number, reason: string) {
    const batch = this.findBatch(ref, batchNo);
    if (!batch || batch.state !== 'unknown' || batch.unknownSince == null) return false;
    Object.assign(batch, { state: 'pending', unknownSince: null, lockedUntil: null, error: reason });
    let requeued = 0;
    for (const d of this.deliveriesOf(ref)) {
      if (d.batchNo === batchNo && d.status === 'unknown') {
        d.status = 'queued';
        d.error = null;
        requeued += 1;
      }
    }
    this.move(ref, { unknown: -requeued, queued: requeued });
    return true;
  }

  /** Milliseconds since the epoch for `unknownSince`; tests move it with the engine's clock. */
  clock: () => number = () => Date.now();

  async schedule(ref: MailingRef, at: Date) {
    const record = this.record(ref);
    if (!record || !['draft', 'scheduled'].includes(record.state)) return false;
    record.state = 'scheduled';
    record.sendAt = at;
    return true;
  }

  async unschedule(ref: MailingRef) {
    const record = this.record(ref);
    if (!record || record.state !== 'scheduled') return false;
    record.state = 'draft';
    record.sendAt = null;
    return true;
  }

  async due(kind: MailingKind, now: Date) {
    return [...this.mailings.values()]
      .filter((m) => m.ref.kind === kind && m.state === 'scheduled' && (m.sendAt?.getTime() ?? Infinity) <= now.getTime())
      .map((m) => m.ref);
  }

  async sending(kind: MailingKind) {
    return [...this.mailings.values()].filter((m) => m.ref.kind === kind && m.state === 'sending').map((m) => m.ref);
  }

  async endUnplanned(ref: MailingRef, state: 'skipped' | 'failed', note: string) {
    const record = this.record(ref);
    if (!record || record.state !== 'scheduled') return false;
    record.state = state;
    record.notes = note;
    return true;
  }

  async finish(ref: MailingRef, outcome: { state: 'sent' | 'failed' | 'cancelled'; note: string | null }) {
    const record = this.record(ref);
    if (!record || record.state !== 'sending') return false;
    record.state = outcome.state;
    if (outcome.note) record.notes = outcome.note;
    return true;
  }

  async subscribers(audience: AudienceFilter, afterId: number, limit: number, unplannedOf?: MailingRef): Promise<AudienceSubscriber[]> {
    const planned = new Set(unplannedOf ? this.deliveriesOf(unplannedOf).map((d) => d.subscriberId) : []);
    const original = audience.notReceivedFrom;
    if (original) {
      // The original and its remainders: whoever has a delivery queued, submitted or of unknown fate got (or gets) one.
      const family = new Set(
        [...this.mailings.values()]
          .filter((m) => m.ref.kind === original.kind && (m.ref.id === original.id || m.remainderOf === original.id))
          .map((m) => keyOf(m.ref)),
      );
      for (const delivery of this.deliveries) {
        if (family.has(delivery.ref) && RECEIVED_DELIVERY_STATUSES.includes(delivery.status)) planned.add(delivery.subscriberId);
      }
    }
    return [...this.subscribersById.values()]
      .filter(
        (s) => s.state === 'active' && s.id > afterId && (!audience.preferredLocale || s.preferredLocale === audience.preferredLocale) && !planned.has(s.id),
      )
      .sort((a, b) => a.id - b.id)
      .slice(0, limit)
      .map((s) => ({ id: s.id, preferredLocale: s.preferredLocale, themes: [...s.themes] }));
  }

  async claimForPlanning(ref: MailingRef) {
    const record = this.record(ref);
    if (!record || record.state !== 'scheduled') return false;
    Object.assign(record, { state: 'sending', plannedAt: null, counts: emptyCounts() });
    return true;
  }

  async plannedSoFar(ref: MailingRef) {
    const prefix = `${keyOf(ref)}|`;
    return {
      variantKeys: [...this.variants.keys()].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length)),
      lastBatchNo: Math.max(0, ...this.batchesOf(ref).map((batch) => batch.batchNo)),
    };
  }

  /** Chunks written, in order (the tests read how planning was cut). */
  readonly chunks: Array<{ ref: string; chunk: PlanChunk }> = [];
  /** Called before a chunk is applied; a test may cancel there or throw (a worker dying mid-planning). */
  beforeChunk: (ref: MailingRef, chunk: PlanChunk) => Promise<void> = async () => undefined;

  async writePlanChunk(ref: MailingRef, chunk: PlanChunk) {
    await this.beforeChunk(ref, chunk);
    const record = this.record(ref);
    if (!record || record.state !== 'sending' || record.plannedAt !== null) return false;
    for (const batch of chunk.batches) {
      for (const subscriberId of batch.subscriberIds) {
        if (this.deliveries.some((d) => d.ref === keyOf(ref) && d.subscriberId === subscriberId)) throw new Error('unique (mailing, subscriber) violated');
      }
    }
    for (const { key, rendered } of chunk.variants) {
      if (this.variants.has(`${keyOf(ref)}|${key}`)) throw new Error('unique (mailing, variant) violated');
      this.variants.set(`${keyOf(ref)}|${key}`, rendered);
    }
    for (const batch of chunk.batches) {
      this.batches.push({
        ref: keyOf(ref),
        batchNo: batch.batchNo,
        variantKey: batch.variantKey,
        state: 'pending',
        size: batch.subscriberIds.length,
        attempts: 0,
        lockedUntil: null,
        error: null,
      });
      for (const subscriberId of batch.subscriberIds)
        this.deliveries.push({
          id: this.nextDelivery++,
          ref: keyOf(ref),
          subscriberId,
          batchNo: batch.batchNo,
          status: 'queued',
          messageId: null,
          error: null,
        });
    }
    this.move(ref, { recipients: chunk.recipients, queued: chunk.recipients, variants: chunk.variants.length });
    if (chunk.last) record.plannedAt = new Date(this.clock());
    this.chunks.push({ ref: keyOf(ref), chunk });
    return true;
  }

  async batch(ref: MailingRef, batchNo: number) {
    const batch = this.findBatch(ref, batchNo);
    return batch
      ? { batchNo: batch.batchNo, variantKey: batch.variantKey, state: batch.state, size: batch.size, attempts: batch.attempts, lockedUntil: batch.lockedUntil }
      : null;
  }

  async lease(ref: MailingRef, batchNo: number, until: number) {
    this.write('lease');
    const batch = this.findBatch(ref, batchNo);
    if (!batch || batch.state !== 'pending') return null;
    Object.assign(batch, { state: 'sending', lockedUntil: until, attempts: batch.attempts + 1 });
    return this.batch(ref, batchNo);
  }

  async release(ref: MailingRef, batchNo: number, reason: string) {
    this.write('release');
    const batch = this.findBatch(ref, batchNo);
    if (batch?.state === 'sending') Object.assign(batch, { state: 'pending', lockedUntil: null, error: reason });
  }

  async recipients(ref: MailingRef, batchNo: number): Promise<RecipientRecord[]> {
    this.write('recipients');
    return this.deliveriesOf(ref)
      .filter((d) => d.batchNo === batchNo && d.status === 'queued')
      .map((d) => {
        const s = this.subscribersById.get(d.subscriberId)!;
        return {
          deliveryId: d.id,
          subscriberId: s.id,
          subscriberDocumentId: s.documentId,
          email: s.email,
          name: s.name,
          preferredLocale: s.preferredLocale,
          linkKey: s.linkKey,
          state: s.state,
        };
      });
  }

  async variant(ref: MailingRef, variantKey: string) {
    return this.variants.get(`${keyOf(ref)}|${variantKey}`) ?? null;
  }

  private settleNow(ref: MailingRef, batchNo: number, ids: number[] | 'queued', outcome: Settlement): number {
    let changed = 0;
    for (const d of this.deliveriesOf(ref)) {
      if (d.batchNo !== batchNo || d.status !== 'queued' || (ids !== 'queued' && !ids.includes(d.id))) continue;
      d.status = outcome.status;
      if (outcome.status === 'submitted') d.messageId = outcome.messageId;
      else d.error = outcome.error;
      changed += 1;
    }
    this.move(ref, { queued: -changed, [outcome.status]: changed });
    return changed;
  }

  async settle(ref: MailingRef, batchNo: number, deliveryIds: number[], outcome: Settlement) {
    this.write('settle');
    return this.settleNow(ref, batchNo, deliveryIds, outcome);
  }

  async expire(ref: MailingRef, batchNo: number, reason: string) {
    const changed = this.settleNow(ref, batchNo, 'queued', { status: 'unknown', error: reason });
    const batch = this.findBatch(ref, batchNo);
    if (batch && (batch.state === 'pending' || batch.state === 'sending'))
      Object.assign(batch, { state: 'unknown', lockedUntil: null, error: reason, unknownSince: this.clock() });
    return changed;
  }

  async close(ref: MailingRef, batchNo: number): Promise<BatchState> {
    this.write('close');
    const own = this.deliveriesOf(ref).filter((d) => d.batchNo === batchNo);
    const count = (status: DeliveryStatus) => own.filter((d) => d.status === status).length;
    const state: BatchState = count('submitted') > 0 || count('failed') + count('unknown') === 0 ? 'submitted' : count('unknown') > 0 ? 'unknown' : 'failed';
    const batch = this.findBatch(ref, batchNo);
    if (batch?.state === 'sending') Object.assign(batch, { state, lockedUntil: null, unknownSince: state === 'unknown' ? this.clock() : null });
    return state;
  }

  async settleAndClose(ref: MailingRef, batchNo: number, deliveryIds: number[] | 'queued', outcome: Settlement): Promise<BatchState> {
    this.write('settleAndClose');
    this.settleNow(ref, batchNo, deliveryIds, outcome);
    return this.close(ref, batchNo);
  }

  async openBatches(ref: MailingRef, limit?: number) {
    return this.batchesOf(ref)
      .filter((b) => b.state === 'pending' || b.state === 'sending')
      .sort((a, b) => a.batchNo - b.batchNo)
      .slice(0, limit ?? Infinity)
      .map((b) => ({ batchNo: b.batchNo, state: b.state as 'pending' | 'sending', lockedUntil: b.lockedUntil }));
  }

  async cancel(ref: MailingRef): Promise<CancelOutcome> {
    const record = this.record(ref);
    if (!record) return { outcome: 'missing' };
    if (record.state === 'draft' || record.state === 'scheduled') {
      record.state = 'cancelled';
      return { outcome: 'cancelled' };
    }
    if (record.state !== 'sending') return { outcome: 'final', state: record.state };
    record.plannedAt ??= new Date(this.clock());
    const pending = this.batchesOf(ref).filter((b) => b.state === 'pending');
    let recipients = 0;
    for (const batch of pending) {
      batch.state = 'cancelled';
      for (const d of this.deliveriesOf(ref)) {
        if (d.batchNo === batch.batchNo && d.status === 'queued') {
          d.status = 'cancelled';
          recipients += 1;
        }
      }
    }
    this.move(ref, { queued: -recipients, cancelled: recipients });
    for (const batch of this.batchesOf(ref)) if (batch.state === 'unknown') batch.unknownSince = null;
    return { outcome: 'stopping', batches: pending.length, recipients, inFlight: this.batchesOf(ref).filter((b) => b.state === 'sending').length };
  }
}
