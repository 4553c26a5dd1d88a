/**
 * The states an edition goes through. `state`, not `status`: Strapi 5 reserves `status` for a
 * document's draft/published version, and an attribute of that name cannot be saved in the admin.
 *
 * draft -> scheduled -> sending -> sent | failed; draft/scheduled -> cancelled; nothing new -> skipped.
 */
export const EDITION_STATES = ['draft', 'scheduled', 'sending', 'sent', 'cancelled', 'skipped', 'failed'] as const;
export type EditionState = (typeof EDITION_STATES)[number];

/** Editors may still change an edition in these states (intro, items, send time). */
export const EDITABLE_EDITION_STATES: readonly EditionState[] = ['draft', 'scheduled'];
/** What editors may set by hand; every other state is the worker's. */
export const EDITOR_SETTABLE_EDITION_STATES: readonly EditionState[] = ['draft', 'scheduled', 'cancelled'];
/** An edition in one of these states is history: nothing moves any more. */
export const FINAL_EDITION_STATES: readonly EditionState[] = ['sent', 'failed', 'cancelled', 'skipped'];

export function isEditionState(value: unknown): value is EditionState {
  return typeof value === 'string' && (EDITION_STATES as readonly string[]).includes(value);
}
