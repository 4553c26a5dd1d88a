import type { Locale } from '../../core/domain/locale';
/**
 * Why a campaign cannot be sent, in words an editor understands, in both languages. Everything
 * wrong is collected and reported at once (one round trip to fix a campaign, not one per problem).
 * The sending engine and the CLI show `message` (Dutch / English) or pick one language per refusal.
 */

export type CampaignRefusalCode =
  /** The campaign has no featured items at all (or none left that are published). */
  | 'no-featured-items'
  /** A featured item exists but is published in no language (a draft, or unpublished). */
  | 'featured-item-draft'
  /** A featured entry points at nothing (both pickers empty, or its item was deleted). */
  | 'featured-item-empty'
  /** A featured entry names both a resource and an article: which one was meant is unclear. */
  | 'featured-item-ambiguous'
  /** No subject in a language that has recipients. */
  | 'no-subject'
  /** The audience has no recipients (the engine finds this out when it scans). */
  | 'no-recipients';

export interface CampaignRefusal {
  code: CampaignRefusalCode;
  message: Record<Locale, string>;
  /** The featured entry it is about (1-based, as editors count the entries in the admin panel). */
  position?: number;
  /** The language it is about (`no-subject`). */
  locale?: Locale;
}

export class CampaignRefusedError extends Error {
  readonly refusals: readonly CampaignRefusal[];

  constructor(campaign: string, refusals: readonly CampaignRefusal[]) {
    const lines = refusals.map((refusal) => `- ${refusal.message.nl} / ${refusal.message.en}`);
    super(`Campagne "${campaign}" kan niet worden verstuurd / Campaign "${campaign}" cannot be sent:\n${lines.join('\n')}`);
    this.name = 'CampaignRefusedError';
    this.refusals = refusals;
  }

  has(code: CampaignRefusalCode): boolean {
    return this.refusals.some((refusal) => refusal.code === code);
  }
}

export function isCampaignRefused(error: unknown): error is CampaignRefusedError {
  return error instanceof CampaignRefusedError;
}

const LANGUAGE: Record<Locale, Record<Locale, string>> = {
  nl: { nl: 'Nederlands', en: 'Dutch' },
  en: { nl: 'Engels', en: 'English' },
};

export type FeaturedKind = 'resource' | 'article';
const KIND: Record<FeaturedKind, Record<Locale, string>> = {
  resource: { nl: 'bron', en: 'resource' },
  article: { nl: 'nieuwsbericht', en: 'news article' },
};

/** The constructors: one per code, so every message is written once. */
export const refusal = {
  noFeaturedItems(): CampaignRefusal {
    return {
      code: 'no-featured-items',
      message: {
        nl: 'De campagne heeft geen uitgelichte items; voeg minstens één gepubliceerde bron, bundel of nieuwsbericht toe.',
        en: 'The campaign has no featured items; add at least one published resource, bundle or news article.',
      },
    };
  },
  featuredItemDraft(position: number, kind: FeaturedKind, title: string): CampaignRefusal {
    return {
      code: 'featured-item-draft',
      position,
      message: {
        nl: `Uitgelicht item ${position}, ${KIND[kind].nl} "${title}", is niet gepubliceerd (concept); publiceer het of haal het uit de campagne.`,
        en: `Featured item ${position}, ${KIND[kind].en} "${title}", is not published (draft); publish it or remove it from the campaign.`,
      },
    };
  },
  featuredItemEmpty(position: number): CampaignRefusal {
    return {
      code: 'featured-item-empty',
      position,
      message: {
        nl: `Uitgelicht item ${position} verwijst nergens naar (leeg, of het item is verwijderd); kies een bron of nieuwsbericht of haal de regel weg.`,
        en: `Featured item ${position} points to nothing (empty, or its item was deleted); pick a resource or news article or remove the entry.`,
      },
    };
  },
  featuredItemAmbiguous(position: number): CampaignRefusal {
    return {
      code: 'featured-item-ambiguous',
      position,
      message: {
        nl: `Uitgelicht item ${position} noemt zowel een bron als een nieuwsbericht; kies er één per regel.`,
        en: `Featured item ${position} names both a resource and a news article; pick one per entry.`,
      },
    };
  },
  noSubject(locale: Locale): CampaignRefusal {
    return {
      code: 'no-subject',
      locale,
      message: {
        nl: `De campagne heeft geen onderwerp in het ${LANGUAGE[locale].nl}, en er zijn ontvangers die ${LANGUAGE[locale].nl} lezen.`,
        en: `The campaign has no subject in ${LANGUAGE[locale].en}, and some recipients read ${LANGUAGE[locale].en}.`,
      },
    };
  },
  noRecipients(): CampaignRefusal {
    return {
      code: 'no-recipients',
      message: {
        nl: "Niemand in de doelgroep: geen actieve abonnee volgt de gekozen thema's of leest de gekozen taal.",
        en: 'Nobody is in the audience: no active subscriber follows the chosen themes or reads the chosen language.',
      },
    };
  },
} as const;
