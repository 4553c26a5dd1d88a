import type { EngineDeps } from './deps';
import { cancelMailing, mailingStatus, reconcile, scheduleMailing, unscheduleMailing } from './lifecycle';
import type { MailingRef } from './mailing';
import { planMailing, type PlanOptions } from './plan';
import { sendBatch } from './send-batch';
import { finishIfDone } from './finish';

/**
 * The sending engine: how any mailing is sent. Plan (plan.ts), send a batch (send-batch.ts),
 * finish (finish.ts), schedule with refusals, unschedule, cancel and reconcile (lifecycle.ts). It reaches the
 * database only through its store (store.ts) and knows nothing of editions or campaigns beyond
 * what their producers (mailing.ts) tell it. BullMQ is the worker's business (src/mailings/engine/queue.ts).
 */
export function createSendingEngine(deps: EngineDeps) {
  return {
    deps,
    plan: (ref: MailingRef, options?: PlanOptions) => planMailing(deps, ref, options),
    sendBatch: (ref: MailingRef, batchNo: number, attempt?: number) => sendBatch(deps, ref, batchNo, attempt),
    finish: (ref: MailingRef) => finishIfDone(deps, ref),
    schedule: (ref: MailingRef, at: Date | 'now') => scheduleMailing(deps, ref, at),
    unschedule: (ref: MailingRef) => unscheduleMailing(deps, ref),
    cancel: (ref: MailingRef) => cancelMailing(deps, ref),
    reconcile: (now?: Date) => reconcile(deps, now),
    status: (ref: MailingRef) => mailingStatus(deps, ref),
  };
}

export type SendingEngine = ReturnType<typeof createSendingEngine>;
export type { EngineDeps, EngineSettings } from './deps';
export type { PlanOptions, PlanResult } from './plan';
export type { BatchOutcome } from './send-batch';
export type { CancelResult, ReconcileResult } from './lifecycle';
