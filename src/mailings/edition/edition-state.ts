import { EDITABLE_MAILING_STATES, EDITOR_SETTABLE_MAILING_STATES, FINAL_MAILING_STATES, MAILING_STATES } from '../engine/mailing-state';

/**
 * The states an edition goes through: a mailing's (src/mailings/engine/mailing-state.ts) plus `skipped`,
 * a month with nothing new (or nothing published left at send time).
 *
 * draft -> scheduled -> sending -> sent | failed | cancelled; draft/scheduled -> cancelled; nothing new -> skipped.
 */
export const EDITION_STATES = [...MAILING_STATES, 'skipped'] as const;
export type EditionState = (typeof EDITION_STATES)[number];

/** Editors may still change an edition in these states (intro, items, send time). */
export const EDITABLE_EDITION_STATES: readonly EditionState[] = EDITABLE_MAILING_STATES;
/** What editors may set by hand; every other state is the worker's. */
export const EDITOR_SETTABLE_EDITION_STATES: readonly EditionState[] = EDITOR_SETTABLE_MAILING_STATES;
/** An edition in one of these states is history: nothing moves any more. */
export const FINAL_EDITION_STATES: readonly EditionState[] = [...FINAL_MAILING_STATES, 'skipped'];

export function isEditionState(value: unknown): value is EditionState {
  return typeof value === 'string' && (EDITION_STATES as readonly string[]).includes(value);
}
