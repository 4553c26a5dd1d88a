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
} from './mailing';
import type { BatchState, SettledStatus } from './mailing-state';

/**
 * Everything the sending engine needs of the database, and nothing more. One implementation for
 * SQLite and PostgreSQL (knex-store.ts, with knex-plan-store.ts); the engine's unit tests use an
 * in-memory one (tests/unit/support/memory-sending-store.ts). Every method that changes a delivery
 * also moves the mailing's counters in the same transaction, so counts are exact whatever crashes.
 */
export interface SendingStore {
  /**
   * Whether an error of this store means it is away for now (a database restarting, a connection
   * cut): what the engine knows for certain is then recorded once it is back, never given up.
   */
  isUnavailable(error: unknown): boolean;

  // ------------------------------------------------------------ mailings
  mailing(ref: MailingRef): Promise<MailingRecord | null>;
  counts(ref: MailingRef): Promise<MailingCounts | null>;
  /** The counters SendGrid's events move (src/mailings/feedback/); null when there is no such mailing. */
  statistics(ref: MailingRef): Promise<DeliveryStatistics | null>;
  /** draft | scheduled -> scheduled at `at`; false when the mailing is in another state. */
  schedule(ref: MailingRef, at: Date): Promise<boolean>;
  /** scheduled -> draft, its send time cleared; false when the mailing is in another state (or missing). */
  unschedule(ref: MailingRef): Promise<boolean>;
  /** Scheduled mailings of this kind whose send time has come. */
  due(kind: MailingKind, now: Date): Promise<MailingRef[]>;
  /** Mailings of this kind being sent. */
  sending(kind: MailingKind): Promise<MailingRef[]>;
  /** scheduled -> `state` with a note, without planning (nothing to send); false if it was not scheduled. */
  endUnplanned(ref: MailingRef, state: 'skipped' | 'failed', note: string): Promise<boolean>;
  /** sending -> a final state, once no batch is open; false if it was not sending. */
  finish(ref: MailingRef, outcome: { state: 'sent' | 'failed' | 'cancelled'; note: string | null; at: Date }): Promise<boolean>;

  // ------------------------------------------------------------ audience
  /**
   * Active subscribers with id > afterId, in id order (a keyset page), narrowed by the filter. With
   * `unplannedOf`, only those without a delivery of that mailing (a planning resumed after a crash).
   */
  subscribers(audience: AudienceFilter, afterId: number, limit: number, unplannedOf?: MailingRef): Promise<AudienceSubscriber[]>;

  // ------------------------------------------------------------ planning
  /**
   * Claims a mailing for planning: scheduled -> sending with its counters and statistics zeroed and
   * no `plannedAt` (planning under way). False if it was not scheduled (another worker claimed it).
   */
  claimForPlanning(ref: MailingRef): Promise<boolean>;
  /** What a planning under way already committed: its variants' keys and its highest batch number. */
  plannedSoFar(ref: MailingRef): Promise<{ variantKeys: string[]; lastBatchNo: number }>;
  /**
   * One chunk of planning in one transaction: its variants, its batches (pending) with their
   * delivery rows (queued), the mailing's counters moved by its recipients and variants; the last
   * chunk also sets `plannedAt`, which ends planning. False, with nothing written, when planning was
   * ended meanwhile (a cancel).
   */
  writePlanChunk(ref: MailingRef, chunk: PlanChunk): Promise<boolean>;

  // ------------------------------------------------------------ batches
  batch(ref: MailingRef, batchNo: number): Promise<BatchRecord | null>;
  /**
   * pending -> sending with a lease until `until`, returning the leased batch; null if it was not
   * pending (taken, being sent, done or cancelled: `batch` tells which).
   */
  lease(ref: MailingRef, batchNo: number, until: number): Promise<BatchRecord | null>;
  /** sending -> pending, for a retry later (nothing of it reached SendGrid). */
  release(ref: MailingRef, batchNo: number, reason: string): Promise<void>;
  /** The batch's deliveries still `queued`, with what the mail needs of each subscriber. */
  recipients(ref: MailingRef, batchNo: number): Promise<RecipientRecord[]>;
  variant(ref: MailingRef, variantKey: string): Promise<RenderedVariant | null>;
  /** queued -> `status` for these deliveries of the batch; returns how many moved. */
  settle(ref: MailingRef, batchNo: number, deliveryIds: number[], outcome: Settlement): Promise<number>;
  /**
   * Batches of unknown fate still awaiting resolution (by an event of one of their deliveries, or by
   * the quiet period running out), oldest first. A cancel ends the waiting: they stay unknown.
   */
  awaitingResolution(ref: MailingRef): Promise<AwaitingBatch[]>;
  /**
   * A batch of unknown fate whose request never reached SendGrid (no event in the quiet period):
   * unknown -> pending, its deliveries still `unknown` -> queued (never one that had an event: that
   * one is `submitted`). False when it is no longer unknown and awaiting.
   */
  resend(ref: MailingRef, batchNo: number, reason: string): Promise<boolean>;
  /** Every still queued delivery of the batch -> unknown, the batch -> unknown (lease expired). */
  expire(ref: MailingRef, batchNo: number, reason: string): Promise<number>;
  /** sending -> its final state, from its deliveries: submitted if anything went out (or nothing had to), else unknown or failed. */
  close(ref: MailingRef, batchNo: number): Promise<BatchState>;
  /**
   * The batch's last settlement and its close (as `close`) in one transaction: one commit per batch
   * instead of two. `'queued'` settles every delivery of the batch still queued (the whole batch
   * when nothing was split off), without naming a thousand ids.
   */
  settleAndClose(ref: MailingRef, batchNo: number, deliveryIds: number[] | 'queued', outcome: Settlement): Promise<BatchState>;
  /** Batches still pending or sending, in batch order (at most `limit`). */
  openBatches(ref: MailingRef, limit?: number): Promise<OpenBatch[]>;

  // ------------------------------------------------------------ cancel
  /**
   * One transaction: draft | scheduled -> cancelled; or, while sending, planning ends (no further
   * chunk is written; one being written is rolled back) and every pending batch -> cancelled and its
   * queued deliveries -> cancelled (counted). Batches being sent are left to settle;
   * batches of unknown fate are no longer awaited (never resent after a cancel).
   */
  cancel(ref: MailingRef): Promise<CancelOutcome>;
}

/** One committed step of a planning (src/mailings/engine/plan.ts). */
export interface PlanChunk {
  /** 1, 2, ... within one planning run. */
  sequence: number;
  /** Variants first met in this chunk, rendered once. */
  variants: Array<{ key: string; rendered: RenderedVariant }>;
  /** Batches completed in this chunk (the last chunk: every partly filled one too), numbered on from the last. */
  batches: Array<{ batchNo: number; variantKey: string; subscriberIds: number[] }>;
  /** Delivery rows the chunk writes: the sum of its batches' sizes. */
  recipients: number;
  /** Planning ends with this chunk. */
  last: boolean;
}

export interface BatchRecord {
  batchNo: number;
  variantKey: string;
  state: BatchState;
  size: number;
  attempts: number;
  lockedUntil: number | null;
}

export interface OpenBatch {
  batchNo: number;
  state: 'pending' | 'sending';
  lockedUntil: number | null;
}

export type Settlement = { status: 'submitted'; messageId: string | null } | { status: Exclude<SettledStatus, 'submitted' | 'cancelled'>; error: string };

export type CancelOutcome =
  | { outcome: 'cancelled' }
  /** Sending: `batches` pending batches (`recipients` recipients) will not be sent; `inFlight` batches still settle. */
  | { outcome: 'stopping'; batches: number; recipients: number; inFlight: number }
  | { outcome: 'final'; state: string }
  | { outcome: 'missing' };
