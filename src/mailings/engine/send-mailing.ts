import type { SendingEngine } from './engine';
import type { MailingRecord, MailingRef } from './mailing';

export interface SendMailingDeps {
  engine: Pick<SendingEngine, 'schedule'>;
  /** Queues the mailing's planning job at once (src/mailings/engine/queue.ts `enqueuePlan`, forced). */
  enqueuePlan(ref: MailingRef): Promise<void>;
}

/**
 * Schedule a mailing at `at`, or send it now (no `at`): the engine checks and records it (refusals:
 * a time in the past, an empty audience, nothing to send, a campaign's featured drafts), then
 * "now" queues the planning job so a worker starts at once instead of at its next tick. A time,
 * however near, is never "now": the worker plans it when it is due, never before.
 * The CLI's `send` and the admin panel's desk both come here.
 */
export async function sendMailing(deps: SendMailingDeps, ref: MailingRef, at?: Date): Promise<{ mailing: MailingRecord; now: boolean }> {
  const mailing = await deps.engine.schedule(ref, at ?? 'now');
  if (!at) await deps.enqueuePlan(ref);
  return { mailing, now: !at };
}
