import { NO_TRACKING, toPrebuiltRequest, type MailTracking } from '../../mail/outgoing-mail';
import type { PersonalizationRecipe } from '../../mail/personalization';
import type { PersonalizationList } from '../../mail/personalization-list';
import { PersonalizationError } from '../../mail/personalizer';
import { classifySendFailure } from '../../mail/send-failure';
import { RetryLater } from '../../mail/retry-later';
import { clock, producerFor, type EngineDeps } from './deps';
import { DELIVERY_ARG, MAILING_ARG, deliveryReference } from './delivery-reference';
import { finishIfDone } from './finish';
import { mailingKey, type MailingEnvelope, type MailingRecord, type MailingRef, type RecipientRecord, type RenderedVariant } from './mailing';
import type { BatchState } from './mailing-state';
import type { Settlement } from './store';

/** What a batch job ended with: the batch's final state, or why nothing was done. */
export type BatchOutcome = Extract<BatchState, 'submitted' | 'failed' | 'unknown'> | 'already-done' | 'busy' | 'cancelled' | 'missing';

/** Connection failures that prove the request never reached SendGrid: safe to send again. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TERMINAL: readonly BatchState[] = ['submitted', 'failed', 'unknown'];
/** A mailing whose editor switched tracking on: opens and clicks (the privacy statement says so). */
const ENGAGEMENT_TRACKING: Readonly<MailTracking> = Object.freeze({ opens: true, clicks: true });

/**
 * Sends one batch, exactly once. The batch is leased (`sending`) right before its request and
 * settled right after SendGrid's answer. 429/5xx/refused connections: the batch goes back to
 * pending and the job is retried (RetryLater). A timeout or a dropped connection: SendGrid may have
 * accepted it, so its recipients become `unknown`, never sent twice. A 400 caused by one address
 * fails that address alone (SendGrid names it, else the group is split in halves).
 */
export async function sendBatch(deps: EngineDeps, ref: MailingRef, batchNo: number, attempt = 1): Promise<BatchOutcome> {
  const { store } = deps;
  const now = clock(deps);
  // Lease first (one statement when the batch is pending, as it nearly always is); else find out why not.
  const batch = await whileAvailable(deps, () => store.lease(ref, batchNo, now + deps.settings.leaseMs));
  if (!batch) {
    const found = await whileAvailable(deps, () => store.batch(ref, batchNo));
    if (!found) return 'missing';
    if (found.state === 'cancelled') return 'cancelled';
    if (TERMINAL.includes(found.state)) return 'already-done';
    if (found.state === 'sending' && (found.lockedUntil ?? 0) <= now) {
      await whileAvailable(deps, () => expireBatch(deps, ref, batchNo, 'the worker sending this batch stopped before SendGrid answered'));
      return 'unknown';
    }
    return 'busy'; // being sent by another worker, or leased by one between the two statements
  }

  const prepared = await leasedUntilSent(deps, ref, batchNo, async () => {
    const rows = await store.recipients(ref, batchNo);
    const gone = rows.filter((row) => row.state !== 'active');
    if (gone.length > 0)
      await store.settle(
        ref,
        batchNo,
        gone.map((row) => row.deliveryId),
        { status: 'suppressed', error: 'no longer active when the batch was sent' },
      );
    return { rows, planned: await plannedVariant(deps, ref, batch.variantKey) };
  });
  const { rows } = prepared;
  const { mailing, variant, envelope } = prepared.planned;

  const active = rows.filter((row) => row.state === 'active');
  const personalized = await personalize(deps, ref, batchNo, envelope.personalization, active);
  if ('refused' in personalized) {
    const state = await recordWhenBack(deps, ref, batchNo, () =>
      store.settleAndClose(ref, batchNo, 'queued', { status: 'failed', error: personalized.refused }),
    );
    deps.log('error', 'batch.refused', { mailing: mailingKey(ref), batchNo, recipients: active.length, reason: personalized.refused });
    await finishIfDone(deps, ref);
    return state as BatchOutcome;
  }
  const list = personalized.list;
  const everyone = active.map((row, index): Personalized => ({ row, index }));
  // The mailing once per request; each recipient gets its delivery reference (SendGrid merges the two in every event).
  const customArgs = { ...envelope.customArgs, [MAILING_ARG]: mailingKey(ref) };
  const groups: Personalized[][] = [everyone];
  // The last settlement of the batch also closes it (one commit); until then, settle as we go.
  let state: BatchState | null = null;
  // What SendGrid answered is a fact: it is recorded even if the database is away for a while.
  const settle = async (group: Personalized[], outcome: Settlement) => {
    const ids = group.map((entry) => entry.row.deliveryId);
    if (groups.length > 0) return void (await recordWhenBack(deps, ref, batchNo, () => store.settle(ref, batchNo, ids, outcome)));
    state = await recordWhenBack(deps, ref, batchNo, () => store.settleAndClose(ref, batchNo, group === everyone ? 'queued' : ids, outcome));
  };
  while (groups.length > 0) {
    const group = groups.shift()!;
    if (group.length === 0) continue;
    const request = toPrebuiltRequest(
      {
        from: deps.settings.from,
        subject: variant.subject,
        html: variant.html,
        text: variant.text,
        headers: envelope.headers,
        categories: envelope.categories,
        customArgs,
        tracking: mailing.trackEngagement && deps.settings.engagementTrackingAllowed ? ENGAGEMENT_TRACKING : NO_TRACKING,
      },
      group === everyone ? list : list.pick(group.map((entry) => entry.index)),
    );
    // Only the request's own failure is SendGrid's answer; a failure to record that answer is not.
    const sent = await deps.send(request).then(
      (response) => ({ response }),
      (error: unknown) => ({ error }),
    );
    if ('response' in sent) {
      await settle(group, { status: 'submitted', messageId: sent.response.messageId });
      continue;
    }
    const { error } = sent;
    const failure = classifySendFailure(error, attempt);
    if (failure.kind === 'retry') {
      const code = String((error as { code?: unknown }).code);
      if (failure.status === undefined && !NEVER_SENT.has(code)) {
        // A timeout or a dropped connection: SendGrid may have accepted it. Never send it twice.
        await settle(group, { status: 'unknown', error: failure.reason });
        continue;
      }
      await recordWhenBack(deps, ref, batchNo, () => store.release(ref, batchNo, failure.reason));
      deps.log('warn', 'batch.retry', { mailing: mailingKey(ref), batchNo, status: failure.status, delayMs: failure.delayMs, attempt });
      throw new RetryLater(failure.reason, failure.delayMs);
    }
    if (failure.status === 400 && group.length > 1) {
      const index = failure.errors.map((e) => /^personalizations\.(\d+)\./.exec(e.field ?? '')).find(Boolean);
      const culprit = index ? Number(index[1]) : -1;
      if (culprit >= 0 && culprit < group.length) {
        await recordWhenBack(deps, ref, batchNo, () =>
          store.settle(ref, batchNo, [group[culprit].row.deliveryId], { status: 'failed', error: describe(failure.errors) }),
        );
        groups.unshift(group.filter((_, i) => i !== culprit));
      } else {
        const half = Math.ceil(group.length / 2);
        groups.unshift(group.slice(0, half), group.slice(half));
      }
      continue;
    }
    // One address refused (400 for a single recipient), or a refusal no split can fix (401, 403, 413).
    const refused = failure.status === 400 ? group : [group, ...groups.splice(0)].flat();
    await settle(refused, { status: 'failed', error: `${failure.reason}: ${describe(failure.errors)}` });
    deps.log('error', 'batch.refused', {
      mailing: mailingKey(ref),
      batchNo,
      status: failure.status,
      recipients: refused.length,
      errors: failure.errors.slice(0, 3),
    });
  }
  state ??= await recordWhenBack(deps, ref, batchNo, () => store.close(ref, batchNo));
  deps.log(state === 'submitted' ? 'info' : 'warn', `batch.${state}`, { mailing: mailingKey(ref), batchNo, recipients: rows.length });
  await finishIfDone(deps, ref);
  return state as BatchOutcome;
}

/** A recipient of the batch and where their personalization is in the batch's list. */
interface Personalized {
  row: RecipientRecord;
  index: number;
}

/** A batch job that found the database away is tried again after this long (nothing was sent). */
export const STORE_AWAY_RETRY_MS = 2_000;
/** The pauses between attempts to record an outcome while the database is away; the last one repeats. */
const RECORD_PAUSES_MS = [100, 250, 500, 1_000, 2_000];

/** The store's own call, or a RetryLater when the store is away: the job comes back soon, not after a long backoff. */
async function whileAvailable<T>(deps: EngineDeps, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!deps.store.isUnavailable(error)) throw error;
    throw new RetryLater(`the database is away: ${error instanceof Error ? error.message : String(error)}`, STORE_AWAY_RETRY_MS);
  }
}

/**
 * The steps between the lease and the request. If the database goes away in them, nothing was sent
 * but the batch is leased: left so, it would wait for its lease to run out and then count as of
 * unknown fate. It is released as soon as the database is back, and the job comes back soon.
 */
async function leasedUntilSent<T>(deps: EngineDeps, ref: MailingRef, batchNo: number, steps: () => Promise<T>): Promise<T> {
  try {
    return await steps();
  } catch (error) {
    if (!deps.store.isUnavailable(error)) throw error;
    const reason = `the database went away before the request: ${error instanceof Error ? error.message : String(error)}`;
    await recordWhenBack(deps, ref, batchNo, () => deps.store.release(ref, batchNo, reason));
    throw new RetryLater(reason, STORE_AWAY_RETRY_MS);
  }
}

/**
 * A write of what this worker knows for certain about a leased batch (SendGrid's answer, or that
 * nothing was sent), tried again while the store is away, for as long as this process lives: given
 * up, the batch would wait for its lease to run out and its recipients would count as of unknown
 * fate although SendGrid accepted them. Other errors are thrown at once.
 */
export async function recordWhenBack<T>(
  deps: EngineDeps,
  ref: MailingRef,
  batchNo: number,
  write: () => Promise<T>,
  pauses: readonly number[] = RECORD_PAUSES_MS,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const result = await write();
      if (attempt > 0) deps.log('info', 'batch.recorded', { mailing: mailingKey(ref), batchNo, attempts: attempt + 1 });
      return result;
    } catch (error) {
      if (!deps.store.isUnavailable(error)) throw error;
      if (attempt === 0)
        deps.log('warn', 'batch.record-waiting', { mailing: mailingKey(ref), batchNo, reason: error instanceof Error ? error.message : String(error) });
      await new Promise((resolve) => setTimeout(resolve, pauses[Math.min(attempt, pauses.length - 1)]));
    }
  }
}

/** Waits this long before retrying a batch whose personalizations could not be built (nothing was sent). */
const PERSONALIZER_RETRY_MS = 5_000;

/**
 * The batch's personalizations, each with its delivery reference. If the personalizer's thread
 * died (or answered for other rows), nothing was sent: the batch goes back to pending and the job
 * retries. If the rows cannot be personalized, no retry helps: `refused`, and the caller fails the
 * batch's recipients with the reason.
 */
async function personalize(
  deps: EngineDeps,
  ref: MailingRef,
  batchNo: number,
  recipe: PersonalizationRecipe,
  active: RecipientRecord[],
): Promise<{ list: PersonalizationList } | { refused: string }> {
  let built: PersonalizationList;
  try {
    built = await deps.personalizer.build(
      recipe,
      active.map((row) => ({
        subscriberDocumentId: row.subscriberDocumentId,
        email: row.email,
        name: row.name,
        linkKey: row.linkKey,
        customArgs: { [DELIVERY_ARG]: deliveryReference(row.deliveryId) },
      })),
    );
    if (built.length !== active.length) throw new Error(`${built.length} personalizations for ${active.length} recipients`);
  } catch (error) {
    const reason = `personalizations not built: ${error instanceof Error ? error.message : String(error)}`;
    if (error instanceof PersonalizationError) return { refused: reason.slice(0, 450) };
    await recordWhenBack(deps, ref, batchNo, () => deps.store.release(ref, batchNo, reason));
    deps.log('warn', 'batch.retry', { mailing: mailingKey(ref), batchNo, reason });
    throw new RetryLater(reason, PERSONALIZER_RETRY_MS);
  }
  return { list: built };
}

/** A batch whose fate is unknown is not sent again: its recipients are marked and editors are told. */
export async function expireBatch(deps: EngineDeps, ref: MailingRef, batchNo: number, reason: string): Promise<void> {
  const recipients = await deps.store.expire(ref, batchNo, reason);
  deps.log('warn', 'batch.unknown', { mailing: mailingKey(ref), batchNo, recipients, reason });
  await finishIfDone(deps, ref);
}

function describe(errors: Array<{ message: string; field?: string | null }>): string {
  return errors
    .map((e) => (e.field ? `${e.field}: ${e.message}` : e.message))
    .join('; ')
    .slice(0, 450);
}

interface Planned {
  mailing: MailingRecord;
  variant: RenderedVariant;
  envelope: MailingEnvelope;
}

/** A planned variant never changes: each engine (one per worker) reads it, and its mailing, once. */
const caches = new WeakMap<EngineDeps, Map<string, Promise<Planned>>>();

function plannedVariant(deps: EngineDeps, ref: MailingRef, variantKey: string): Promise<Planned> {
  let cache = caches.get(deps);
  if (!cache) caches.set(deps, (cache = new Map()));
  const key = `${mailingKey(ref)}|${variantKey}`;
  let cached = cache.get(key);
  if (!cached) {
    if (cache.size >= 256) cache.delete(cache.keys().next().value as string);
    cached = Promise.all([deps.store.mailing(ref), deps.store.variant(ref, variantKey)]).then(([mailing, variant]) => {
      if (!mailing || !variant) throw new Error(`${mailingKey(ref)}: no planned variant ${variantKey}`);
      return { mailing, variant, envelope: producerFor(deps, ref.kind).envelope(mailing, variantKey) };
    });
    const entries = cache;
    cached.catch(() => entries.delete(key));
    cache.set(key, cached);
  }
  return cached;
}
