/**
 * The states a campaign goes through. `state`, not `status`: Strapi 5 reserves `status` for a
 * document's draft/published version (see src/newsletter/edition-state.ts for the edition's).
 *
 * draft -> scheduled -> sending -> sent | failed; draft/scheduled/sending -> cancelled.
 * A campaign has no `skipped`: it is made by hand for one occasion, so an empty one is refused
 * (see refusals.ts) instead of quietly passed over.
 */
export const CAMPAIGN_STATES = ['draft', 'scheduled', 'sending', 'sent', 'cancelled', 'failed'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** Editors may still change a campaign in these states (texts, featured items, audience, send time). */
export const EDITABLE_CAMPAIGN_STATES: readonly CampaignState[] = ['draft', 'scheduled'];
/** What editors may set by hand in the admin panel; every other state is the sending engine's. */
export const EDITOR_SETTABLE_CAMPAIGN_STATES: readonly CampaignState[] = ['draft', 'scheduled', 'cancelled'];
/** A campaign in one of these states is history: nothing moves any more. */
export const FINAL_CAMPAIGN_STATES: readonly CampaignState[] = ['sent', 'failed', 'cancelled'];

export function isCampaignState(value: unknown): value is CampaignState {
  return typeof value === 'string' && (CAMPAIGN_STATES as readonly string[]).includes(value);
}
