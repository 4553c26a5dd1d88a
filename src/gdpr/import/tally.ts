/**
 * What becomes of each row once the list's readers are known, and the counts an import reports.
 * Pure: no Strapi, no Redis; unit-tested.
 *
 * Every row lands in exactly one of new, known, suppressed, invalid, duplicates, so they add up to
 * rows. `active` + `pending` are the readers the import created with those states (it never changes
 * a reader already in the list); a row marked unsubscribed or cleaned in the file that is new is
 * also created (unsubscribed or bounced, so nobody mails it later) and counts as new only.
 */
import type { SubscriberState } from '../../core/domain/subscriber-state';
import type { ImportCandidate, Reason, RowIntent } from './rows';

export interface ImportCounts {
  rows: number;
  new: number;
  known: number;
  invalid: number;
  duplicates: number;
  suppressed: number;
  active: number;
  pending: number;
}

export const NO_ROWS: ImportCounts = { rows: 0, new: 0, known: 0, invalid: 0, duplicates: 0, suppressed: 0, active: 0, pending: 0 };

export type RowOutcome =
  | { kind: 'new'; state: RowIntent }
  | { kind: 'known' }
  | { kind: 'suppressed'; reason: Reason }
  | { kind: 'invalid'; reason: Reason }
  | { kind: 'duplicate'; reason: Reason };

/**
 * A valid row against the reader already in the list with its address, if any. Someone who
 * unsubscribed, bounced or complained is never made active or pending again by an import (only
 * by their own new sign-up); an active or pending reader stays exactly as they are (no second
 * confirmation mail).
 */
const STATE_NL: Record<SubscriberState, string> = {
  pending: 'wacht op bevestiging',
  active: 'actief',
  unsubscribed: 'afgemeld',
  bounced: 'onbestelbaar',
  complained: 'als spam gemeld',
};

export function settleRow(candidate: ImportCandidate, existing: SubscriberState | undefined): RowOutcome {
  if (existing === undefined) return { kind: 'new', state: candidate.intent };
  if (existing === 'unsubscribed' || existing === 'bounced' || existing === 'complained')
    return {
      kind: 'suppressed',
      reason: {
        en: `already in the list as ${existing}: never subscribed again by an import`,
        nl: `staat al in de lijst als ${STATE_NL[existing]}: een import meldt niemand opnieuw aan`,
      },
    };
  if (candidate.intent === 'unsubscribed' || candidate.intent === 'bounced')
    return {
      kind: 'suppressed',
      reason: {
        en: `marked ${candidate.intent} in the file, but already in the list as ${existing}: left as it is`,
        nl: `in het bestand ${STATE_NL[candidate.intent]}, maar al in de lijst als ${STATE_NL[existing]}: blijft zoals het is`,
      },
    };
  return { kind: 'known' };
}

export function countOutcome(counts: ImportCounts, outcome: RowOutcome): void {
  counts.rows += 1;
  switch (outcome.kind) {
    case 'new':
      counts.new += 1;
      if (outcome.state === 'active') counts.active += 1;
      if (outcome.state === 'pending') counts.pending += 1;
      return;
    case 'known':
      counts.known += 1;
      return;
    case 'suppressed':
      counts.suppressed += 1;
      return;
    case 'invalid':
      counts.invalid += 1;
      return;
    case 'duplicate':
      counts.duplicates += 1;
  }
}

/**
 * Addresses already seen in this file, with the row that had them first. This is what an import
 * keeps for the whole file (about 100 bytes per distinct address); rows themselves are not kept.
 */
export class SeenAddresses {
  private readonly firstRow = new Map<string, number>();

  /** The row that had this address before, or undefined (and the address is remembered as this row's). */
  check(email: string, row: number): number | undefined {
    const earlier = this.firstRow.get(email);
    if (earlier === undefined) this.firstRow.set(email, row);
    return earlier;
  }
}

/** The counts as the commands print them, one line. */
export function describeCounts(counts: ImportCounts): string {
  return `rows ${counts.rows}, new ${counts.new}, known ${counts.known}, invalid ${counts.invalid}, duplicates ${counts.duplicates}, suppressed ${counts.suppressed}, active ${counts.active}, pending ${counts.pending}`;
}
