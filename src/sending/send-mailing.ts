import type { SendingEngine } from './engine';
import { PAST_TOLERANCE_MS } from './lifecycle';
import type { MailingRecord, MailingRef } from './mailing';

export interface SendMailingDeps {
  engine: Pick<SendingEngine, 'schedule'>;
  /** Queues the mailing's planning job at once (src/sending/queue.ts `enqueuePlan`, forced). */
  enqueuePlan(ref: MailingRef): Promise<void>;
  now?: () => number;
}

/**
 * Schedule a mailing at `at`, or send it now (no `at`, or a time within the engine's tolerance of
 * now): the engine checks and records it (refusals: a time in the past, an empty audience, nothing
 * to send, a campaign's featured drafts), then "now" queues the planning job so a worker starts at
 * once instead of at its next tick. The CLI's `send` and the admin panel's desk both come here.
 */
export async function sendMailing(deps: SendMailingDeps, ref: MailingRef, at?: Date): Promise<{ mailing: MailingRecord; now: boolean }> {
  const now = deps.now ? deps.now() : Date.now();
  const when = at ?? new Date(now);
  const mailing = await deps.engine.schedule(ref, when);
  const immediate = when.getTime() <= now + PAST_TOLERANCE_MS;
  if (immediate) await deps.enqueuePlan(ref);
  return { mailing, now: immediate };
}
