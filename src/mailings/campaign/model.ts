/**
 * From a campaign's resolved content to the model of one variant (one language): pure, no Strapi.
 *
 * Decisions:
 * - The lead is the first featured bundle, or the first featured item when there is no bundle: it
 *   is shown first, with all its contents, and the one call-to-action button points to it. The other
 *   featured items follow as cards, in the editors' order.
 * - An item without a translation in the variant's language is shown in the language it has,
 *   marked as such, like in the edition: a launch matters more than its language.
 * - The editors' subject is required in every language that has recipients (a refusal otherwise);
 *   an empty preheader falls back to the lead's summary, then its title (a mail without preheader
 *   shows the first words of the body in the inbox, which here would be the greeting).
 */
import type { EditionItemView } from '../../mail/edition-renderer';
import type { CampaignAudience } from './audience';
import { CampaignRefusedError, refusal, type CampaignRefusal } from './refusals';
import type { CampaignState } from './state';
import type { Locale } from '../../core/domain/locale';

/** One featured item's content in one language: an edition card's view without `language`. */
export type FeaturedView = Omit<EditionItemView, 'language'>;

export interface FeaturedItem {
  /** `resource:<documentId>` or `article:<documentId>`. */
  key: string;
  /** 1-based position among the campaign's featured entries. */
  position: number;
  /** The published content per language it is published in (at least one). */
  content: Partial<Record<Locale, FeaturedView>>;
}

export interface CampaignText {
  subject: string | null;
  preheader: string | null;
  /** Plain text, paragraphs separated by blank lines (like the edition's intro). */
  intro: string | null;
  /** Words for the image at the top, for readers who cannot see it. */
  heroAlt?: string | null;
}

/** An image as a mail shows it (src/mailings/content.ts mailImage). */
export type MailImageFields = Pick<EditionItemView, 'imageUrl' | 'imageAlt' | 'imageWidth' | 'imageHeight'>;

/** A campaign as read from Strapi (src/mailings/campaign/content.ts), ready for the pure steps. */
export interface CampaignContent {
  id: number;
  documentId: string;
  title: string;
  state: CampaignState;
  sendAt: Date | null;
  audience: CampaignAudience;
  text: Record<Locale, CampaignText>;
  /** The image at the top of the mail (alt text per language in `text`); null without one. */
  hero?: MailImageFields | null;
  /** Published featured items, in the editors' order. */
  featured: FeaturedItem[];
  /** What was wrong with the featured entries while reading them (drafts, empty entries). */
  problems: CampaignRefusal[];
}

export interface CampaignVariantModel {
  locale: Locale;
  subject: string;
  preheader: string;
  intro: string | null;
  /** The image under the heading; null without one. */
  hero?: MailImageFields | null;
  /** The bundle (or first item) with the call to action. */
  lead: EditionItemView;
  /** The other featured items, as cards. */
  others: EditionItemView[];
}

const PREHEADER_MAX = 140;

/**
 * Every reason the campaign cannot be sent to readers of `locales` (the languages that have
 * recipients; the engine knows them after its scan). Empty = sendable.
 */
export function campaignRefusals(content: CampaignContent, locales: readonly Locale[]): CampaignRefusal[] {
  const refusals = [...content.problems];
  // When every entry is a draft or empty, those refusals already say what to do.
  if (content.featured.length === 0 && content.problems.length === 0) refusals.push(refusal.noFeaturedItems());
  for (const locale of new Set(locales)) if (!clean(content.text[locale]?.subject)) refusals.push(refusal.noSubject(locale));
  return refusals;
}

/** Throws a CampaignRefusedError naming every problem, or returns quietly. */
export function assertSendable(content: CampaignContent, locales: readonly Locale[]): void {
  const refusals = campaignRefusals(content, locales);
  if (refusals.length > 0) throw new CampaignRefusedError(content.title, refusals);
}

/** The models of the given languages, after `assertSendable` for the same languages. */
export function buildCampaignVariantModels(content: CampaignContent, locales: readonly Locale[]): Map<Locale, CampaignVariantModel> {
  assertSendable(content, locales);
  return new Map([...new Set(locales)].map((locale) => [locale, buildCampaignVariantModel(content, locale)]));
}

/** One language's model. Throws a CampaignRefusedError when that language cannot be sent. */
export function buildCampaignVariantModel(content: CampaignContent, locale: Locale): CampaignVariantModel {
  assertSendable(content, [locale]);
  const views = content.featured.map((item) => viewIn(item, locale));
  const leadIndex = Math.max(
    0,
    views.findIndex((view) => view.resourceKind === 'bundle'),
  );
  const lead = views[leadIndex];
  const text = content.text[locale];
  return {
    locale,
    subject: clean(text.subject) as string,
    preheader: (clean(text.preheader) ?? clean(lead.summary) ?? clean(lead.title) ?? '').slice(0, PREHEADER_MAX),
    intro: text.intro?.trim() ? text.intro : null,
    hero: content.hero?.imageUrl
      ? { ...content.hero, imageAlt: clean(text.heroAlt) ?? clean(content.text[locale === 'nl' ? 'en' : 'nl']?.heroAlt) ?? null }
      : null,
    lead,
    others: views.filter((_view, index) => index !== leadIndex),
  };
}

function viewIn(item: FeaturedItem, locale: Locale): EditionItemView {
  const own = item.content[locale];
  if (own) return { ...own, language: locale };
  const other: Locale = locale === 'nl' ? 'en' : 'nl';
  const fallback = item.content[other];
  // content.ts only keeps items published in at least one language.
  if (!fallback) throw new Error(`Featured item ${item.position} (${item.key}) has no published content`);
  return { ...fallback, language: other };
}

function clean(text: string | null | undefined): string | null {
  const trimmed = (text ?? '').replace(/\s+/g, ' ').trim();
  return trimmed.length > 0 ? trimmed : null;
}
