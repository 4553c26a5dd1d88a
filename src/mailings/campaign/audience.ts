import type { Locale } from '../../core/domain/locale';
/**
 * Who gets a campaign: pure rules, unit-tested, no Strapi.
 *
 * An audience is every active subscriber, narrowed by themes and/or by language:
 * - no themes chosen: everyone;
 * - themes chosen: readers who follow at least one of them, plus readers who follow no theme at
 *   all. Those signed up for "everything" (the signup form says so: no themes = all), so they
 *   count as interested in every theme; leaving them out would drop the readers who asked for most;
 * - a language chosen: only readers whose preferred locale it is; none: both languages.
 * Suppressed subscribers (unsubscribed, bounced, complained) and pending ones are never in it:
 * the sending engine only scans `active` subscribers; this module decides nothing about state.
 *
 * A campaign is rendered once per language (variant key = the locale): it does not show readers
 * their own themes first, so a theme selection would not change a word of the mail.
 */

export const CAMPAIGN_LOCALES: readonly Locale[] = ['nl', 'en'];

export interface CampaignAudience {
  /** Theme slugs; empty = no theme restriction. */
  themes: readonly string[];
  /** One language, or null for both. */
  locale: Locale | null;
}

/** What the audience rule needs of one (active) subscriber: exactly the two columns it reads. */
export interface AudienceMember {
  /** `preferred_locale`: 'nl' | 'en' (anything else is read as 'nl', the default locale). */
  preferredLocale: string | null | undefined;
  /** `themes`: the slugs the reader follows (already parsed from JSON); null/empty = everything. */
  themes: readonly string[] | null | undefined;
}

/**
 * What the engine can filter in SQL before calling `inAudience` per row: the locale is a plain
 * column (`WHERE preferred_locale = ?`); themes sit in a JSON column whose operators differ between
 * SQLite and PostgreSQL, so they are checked per row. The pre-filter only narrows: the engine still
 * calls `inAudience` on every row it scans.
 */
export interface AudiencePrefilter {
  /** `preferred_locale = preferredLocale`, or no locale condition when null. */
  preferredLocale: Locale | null;
}

/** The locale a subscriber reads in, as the edition reads it: 'en' or else the default 'nl'. */
export function memberLocale(member: Pick<AudienceMember, 'preferredLocale'>): Locale {
  return member.preferredLocale === 'en' ? 'en' : 'nl';
}

export function inAudience(audience: CampaignAudience, member: AudienceMember): boolean {
  if (audience.locale !== null && memberLocale(member) !== audience.locale) return false;
  if (audience.themes.length === 0) return true;
  const followed = member.themes ?? [];
  if (followed.length === 0) return true;
  return followed.some((slug) => audience.themes.includes(slug));
}

export function audiencePrefilter(audience: CampaignAudience): AudiencePrefilter {
  return { preferredLocale: audience.locale };
}

/** The languages that can have recipients: the ones the engine must be able to render. */
export function audienceLocales(audience: CampaignAudience): Locale[] {
  return audience.locale === null ? [...CAMPAIGN_LOCALES] : [audience.locale];
}

/** A campaign's variant for one member: one per language (see the module comment). */
export function campaignVariantKey(member: Pick<AudienceMember, 'preferredLocale'>): Locale {
  return memberLocale(member);
}

/**
 * Normalises what the admin panel or the CLI stored: unique, trimmed, sorted slugs; no locale =
 * both. An unknown locale is an error, never "both": a typo must not widen who gets the mail.
 */
export function toAudience(input: { themes?: readonly (string | null | undefined)[] | null; locale?: string | null }): CampaignAudience {
  const themes = [...new Set((input.themes ?? []).map((slug) => (slug ?? '').trim()).filter((slug) => slug.length > 0))].sort();
  if (input.locale === null || input.locale === undefined || input.locale === '') return { themes, locale: null };
  if (input.locale !== 'nl' && input.locale !== 'en') throw new Error(`Unknown audience locale "${input.locale}" (nl or en, or none for both)`);
  return { themes, locale: input.locale };
}
