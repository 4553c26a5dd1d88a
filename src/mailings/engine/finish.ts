import { clock, type EngineDeps } from './deps';
import { isPlanning, mailingKey, type MailingCounts, type MailingRef } from './mailing';

/**
 * Once no batch of a sending mailing is pending or being sent, it is final: `cancelled` if a
 * cancel stopped some of it, `failed` if nothing went out but something was refused, else `sent`.
 * The note tells editors about recipients of unknown fate and recipients not sent because of a cancel.
 */
export async function finishIfDone(deps: EngineDeps, ref: MailingRef): Promise<boolean> {
  const { store } = deps;
  // The common case, after nearly every batch: others are still to be sent (one statement).
  if ((await store.openBatches(ref, 1)).length > 0) return false;
  const mailing = await store.mailing(ref);
  if (!mailing || mailing.state !== 'sending' || isPlanning(mailing)) return false;
  // Planning may have ended between the two reads: the batches of its last chunk are seen now.
  if ((await store.openBatches(ref, 1)).length > 0) return false;
  // With the Event Webhook, a batch of unknown fate is still open: its events or its resend decide.
  if (deps.settings.unknownFateQuietMs !== null && (await store.awaitingResolution(ref)).length > 0) return false;
  const counts = (await store.counts(ref))!;
  const state = finalState(counts);
  const finished = await store.finish(ref, { state, note: finalNote(counts), at: new Date(clock(deps)) });
  if (finished) {
    deps.log(state === 'failed' ? 'error' : 'info', `mailing.${state}`, {
      mailing: mailingKey(ref),
      recipients: counts.recipients,
      submitted: counts.submitted,
      failed: counts.failed,
      suppressed: counts.suppressed,
      unknown: counts.unknown,
      cancelled: counts.cancelled,
    });
  }
  return finished;
}

export function finalState(counts: MailingCounts): 'sent' | 'failed' | 'cancelled' {
  if (counts.cancelled > 0) return 'cancelled';
  return counts.submitted === 0 && counts.failed > 0 ? 'failed' : 'sent';
}

export function finalNote(counts: MailingCounts): string | null {
  const notes: string[] = [];
  if (counts.cancelled > 0) {
    notes.push(
      `Geannuleerd: ${counts.cancelled} ontvanger(s) niet verstuurd, ${counts.submitted} wel. / Cancelled: ${counts.cancelled} recipient(s) not sent, ${counts.submitted} submitted.`,
    );
  }
  if (counts.unknown > 0) {
    notes.push(
      `${counts.unknown} ontvanger(s) in batches met onbekende afloop: niet opnieuw verstuurd, controleer in SendGrid. / ${counts.unknown} recipient(s) in batches of unknown fate: not sent again, check SendGrid's activity.`,
    );
  }
  return notes.length > 0 ? notes.join('\n') : null;
}
