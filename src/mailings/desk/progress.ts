import { FINAL_MAILING_STATES } from '../engine/mailing-state';
import type { MailingReport } from '../engine/mailings';

/**
 * A mailing's progress as the admin panel shows it: the counts, how many recipients are settled
 * (submitted, failed, suppressed, unknown or cancelled) and that as a share of the recipients.
 * Pure; `final` says the bar will not move again (the panel stops polling).
 */
export interface MailingProgress extends MailingReport {
  settled: number;
  /** 0..1; 0 before planning, 1 once every recipient is settled. */
  ratio: number;
  final: boolean;
}

const FINAL_STATES = new Set<string>([...FINAL_MAILING_STATES, 'skipped']);

export function progressOf(report: MailingReport): MailingProgress {
  const settled = report.submitted + report.failed + report.suppressed + report.unknown + report.cancelled;
  const final = FINAL_STATES.has(report.state);
  const ratio = report.recipients > 0 ? Math.min(1, settled / report.recipients) : final ? 1 : 0;
  return { ...report, settled, ratio, final };
}
