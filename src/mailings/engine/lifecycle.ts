import { clock, producerFor, type EngineDeps } from './deps';
import { finishIfDone } from './finish';
import {
  isNothingToSend,
  isPlanning,
  mailingKey,
  type AwaitingBatch,
  type DeliveryStatistics,
  type MailingCounts,
  type MailingRecord,
  type MailingRef,
  scanAudience,
} from './mailing';
import { EDITABLE_MAILING_STATES } from './mailing-state';
import { PAGE_SIZE } from './plan';
import { MailingRefusal } from './refusal';

/**
 * Schedules a draft or scheduled mailing at `at` ('now': the engine's clock at this moment), after
 * checking what can be checked now: the time is not in the past, there is something to send, and
 * the audience has at least one active subscriber. Each refusal is a MailingRefusal with a message
 * for the editor. A time is never moved: one a second ago is refused (with "send now" offered),
 * since a time the editor chose is a promise that nothing goes out before it.
 */
export async function scheduleMailing(deps: EngineDeps, ref: MailingRef, when: Date | 'now'): Promise<MailingRecord> {
  const mailing = await deps.store.mailing(ref);
  const name = `${ref.kind} ${ref.id}`;
  if (!mailing) throw new MailingRefusal('missing', `no ${name}`);
  if (!(EDITABLE_MAILING_STATES as readonly string[]).includes(mailing.state)) {
    throw new MailingRefusal('not-schedulable', `${name} is ${mailing.state}; only a draft or scheduled ${ref.kind} can be scheduled`);
  }
  const at = when === 'now' ? new Date(clock(deps)) : when;
  if (Number.isNaN(at.getTime())) throw new MailingRefusal('invalid', `${name}: not a valid send time`);
  if (when !== 'now' && at.getTime() < clock(deps)) {
    throw new MailingRefusal(
      'in-the-past',
      `${name}: the send time ${at.toISOString()} is in the past; choose a time from now on, or send it now ("Send now"). / Dit verzendmoment is voorbij; kies een later moment, of verstuur nu ("Nu versturen").`,
    );
  }
  const prepared = await producerFor(deps, ref.kind).prepare(mailing);
  if (isNothingToSend(prepared)) throw new MailingRefusal('nothing-to-send', `${name}: ${prepared.nothing.note}`);
  let found = false;
  for (let lastId = 0; !found;) {
    const page = await deps.store.subscribers(scanAudience(mailing, prepared.audience), lastId, PAGE_SIZE);
    if (page.length === 0) break;
    found = page.some((subscriber) => prepared.variantFor(subscriber) !== null);
    lastId = page[page.length - 1].id;
  }
  if (!found) throw new MailingRefusal('no-recipients', `${name}: its audience has no active subscribers, so nothing would be sent`);
  if (!(await deps.store.schedule(ref, at))) throw new MailingRefusal('not-schedulable', `${name} changed state in the meantime; try again`);
  deps.log('info', 'mailing.scheduled', { mailing: mailingKey(ref), at: at.toISOString() });
  return { ...mailing, state: 'scheduled', sendAt: at };
}

/**
 * Takes a scheduled mailing back to draft (its send time cleared), so editors can change it and
 * schedule it again: conditional on it still being scheduled, so a mailing a worker just claimed
 * is not touched (that one can only be cancelled).
 */
export async function unscheduleMailing(deps: EngineDeps, ref: MailingRef): Promise<MailingRecord> {
  const name = `${ref.kind} ${ref.id}`;
  if (!(await deps.store.unschedule(ref))) {
    const mailing = await deps.store.mailing(ref);
    if (!mailing) throw new MailingRefusal('missing', `no ${name}`);
    throw new MailingRefusal('not-schedulable', `This ${ref.kind} is ${mailing.state}; only a scheduled ${ref.kind} can be unscheduled`);
  }
  deps.log('info', 'mailing.unscheduled', { mailing: mailingKey(ref) });
  const mailing = await deps.store.mailing(ref);
  if (!mailing) throw new MailingRefusal('missing', `no ${name}`);
  return mailing;
}

export type CancelResult =
  /** It was draft or scheduled: nothing was sent. */
  | { outcome: 'cancelled' }
  /** It was sending: `batches` batches (`recipients` recipients) will not be sent; `inFlight` batches settle normally, then it ends cancelled. */
  | { outcome: 'stopping'; batches: number; recipients: number; inFlight: number }
  /** It was sending but every batch was already submitted or in flight: it ends as it ends. */
  | { outcome: 'too-late'; inFlight: number }
  | { outcome: 'final'; state: string }
  | { outcome: 'missing' };

/**
 * Cancels a mailing. Scheduled (or draft): cancelled, nothing sent. Sending: no further batch is
 * leased (its pending batches and their queued recipients become `cancelled`, counted), batches in
 * flight settle normally, and the mailing ends `cancelled` once they have: its counts are exact.
 */
export async function cancelMailing(deps: EngineDeps, ref: MailingRef): Promise<CancelResult> {
  const outcome = await deps.store.cancel(ref);
  if (outcome.outcome === 'missing') return { outcome: 'missing' };
  if (outcome.outcome === 'final') return outcome;
  if (outcome.outcome === 'cancelled') {
    deps.log('info', 'mailing.cancelled', { mailing: mailingKey(ref), sent: 0 });
    return outcome;
  }
  deps.log('info', 'mailing.cancelling', { mailing: mailingKey(ref), batches: outcome.batches, recipients: outcome.recipients, inFlight: outcome.inFlight });
  await finishIfDone(deps, ref);
  return outcome.batches === 0 ? { outcome: 'too-late', inFlight: outcome.inFlight } : outcome;
}

export interface ReconcileResult {
  due: MailingRef[];
  /** Mailings whose planning began and did not end: planning them again resumes them. */
  planning: MailingRef[];
  batches: Array<{ mailing: MailingRef; batchNo: number }>;
  /** Batches of unknown fate sent again: no event of theirs within the quiet period (also in `batches`). */
  resent: Array<{ mailing: MailingRef; batchNo: number }>;
}

/**
 * What should be happening according to the database: due mailings to plan, plannings to resume,
 * unfinished batches to send, for every kind this engine has a producer for. Run at worker start
 * and periodically, so that lost queue state (a flushed Redis, a job added by a worker that died)
 * is rebuilt from the source of truth. A batch whose lease expired is handed out again: its job
 * turns it `unknown`.
 */
export async function reconcile(deps: EngineDeps, now: Date = new Date(clock(deps))): Promise<ReconcileResult> {
  const result: ReconcileResult = { due: [], planning: [], batches: [], resent: [] };
  for (const { kind } of deps.producers) {
    result.due.push(...(await deps.store.due(kind, now)));
    for (const ref of await deps.store.sending(kind)) {
      const mailing = await deps.store.mailing(ref);
      if (mailing && isPlanning(mailing)) result.planning.push(ref);
      const open = await deps.store.openBatches(ref);
      for (const batch of open) {
        if (batch.state === 'sending' && (batch.lockedUntil ?? 0) > now.getTime()) continue;
        result.batches.push({ mailing: ref, batchNo: batch.batchNo });
      }
      const resent = await resendUnarrived(deps, ref, now);
      result.resent.push(...resent);
      result.batches.push(...resent);
      if (open.length === 0) await finishIfDone(deps, ref);
    }
  }
  return result;
}

/**
 * Batches of unknown fate whose quiet period ran out without a single event of their deliveries:
 * SendGrid never got the request (it reports every message it accepts), so they are sent again,
 * once per such finding (the store's resend is conditional on the batch still awaiting).
 */
async function resendUnarrived(deps: EngineDeps, ref: MailingRef, now: Date): Promise<Array<{ mailing: MailingRef; batchNo: number }>> {
  const quietMs = deps.settings.unknownFateQuietMs;
  if (quietMs === null) return [];
  const resent: Array<{ mailing: MailingRef; batchNo: number }> = [];
  for (const batch of await deps.store.awaitingResolution(ref)) {
    if (batch.since + quietMs > now.getTime()) continue;
    if (
      !(await deps.store.resend(
        ref,
        batch.batchNo,
        `no SendGrid event within ${Math.round(quietMs / 1000)} s of its unknown fate: it never arrived, sent again`,
      ))
    )
      continue;
    deps.log('warn', 'batch.resent', {
      mailing: mailingKey(ref),
      batchNo: batch.batchNo,
      recipients: batch.recipients,
      unknownSince: new Date(batch.since).toISOString(),
    });
    resent.push({ mailing: ref, batchNo: batch.batchNo });
  }
  return resent;
}

export interface MailingStatus {
  mailing: MailingRecord;
  counts: MailingCounts;
  statistics: DeliveryStatistics;
  /** Batches of unknown fate waiting for SendGrid's events (only with the Event Webhook configured). */
  awaitingResolution: AwaitingBatch[];
}

export async function mailingStatus(deps: EngineDeps, ref: MailingRef): Promise<MailingStatus | null> {
  const mailing = await deps.store.mailing(ref);
  if (!mailing) return null;
  const [counts, statistics, awaiting] = await Promise.all([
    deps.store.counts(ref),
    deps.store.statistics(ref),
    deps.settings.unknownFateQuietMs === null ? [] : deps.store.awaitingResolution(ref),
  ]);
  // Tracked only when the deployment allows it: the switch alone tracks nothing (see MAIL_ENGAGEMENT_TRACKING).
  const tracked = mailing.trackEngagement && deps.settings.engagementTrackingAllowed;
  return counts && statistics ? { mailing: { ...mailing, trackEngagement: tracked }, counts, statistics, awaitingResolution: awaiting } : null;
}
