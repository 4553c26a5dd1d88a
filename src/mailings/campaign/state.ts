import {
  EDITABLE_MAILING_STATES,
  EDITOR_SETTABLE_MAILING_STATES,
  FINAL_MAILING_STATES,
  MAILING_STATES,
  isMailingState,
  type MailingState,
} from '../engine/mailing-state';

/**
 * The states a campaign goes through: exactly a mailing's (src/mailings/engine/mailing-state.ts), the one
 * union the sending engine and editions use too. `state`, not `status`: Strapi 5 reserves `status`
 * for a document's draft/published version.
 *
 * draft -> scheduled -> sending -> sent | failed | cancelled; draft/scheduled -> cancelled.
 * A campaign has no `skipped`: it is made by hand for one occasion, so an empty one is refused
 * (see refusals.ts) instead of quietly passed over.
 */
export const CAMPAIGN_STATES = MAILING_STATES;
export type CampaignState = MailingState;

/** Editors may still change a campaign in these states (texts, featured items, audience, send time). */
export const EDITABLE_CAMPAIGN_STATES: readonly CampaignState[] = EDITABLE_MAILING_STATES;
/** What editors may set by hand in the admin panel; every other state is the sending engine's. */
export const EDITOR_SETTABLE_CAMPAIGN_STATES: readonly CampaignState[] = EDITOR_SETTABLE_MAILING_STATES;
/** A campaign in one of these states is history: nothing moves any more. */
export const FINAL_CAMPAIGN_STATES: readonly CampaignState[] = FINAL_MAILING_STATES;

export const isCampaignState = (value: unknown): value is CampaignState => isMailingState(value);
