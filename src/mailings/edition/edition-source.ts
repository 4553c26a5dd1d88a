import type { Core } from '@strapi/strapi';
import type { EditionVariantModel } from '../../mail/edition-renderer';
import { toDate } from '../engine/values';
import { readEditionItems } from './edition-items';
import type { ItemLinks } from '../content';
import { editionText, resolveItems, themeInfos } from './edition-content';
import type { EditionRow } from './edition-row';
import { buildVariantModel, parseVariantKey, variantFor, variantKey, type ResolvedItem } from './variants';
import type { Locale } from '../../core/domain/locale';

/**
 * What an edition's variants are made of, read once: its items as published now, the themes and
 * the edition's text. The one place that turns an edition row into render input (planning,
 * preview, test send and the bench's naive reference all use it).
 */
export interface EditionSource {
  items: ResolvedItem[];
  /** The key of a reader's variant: locale and the followed themes that occur in this edition. */
  variantKeyFor(locale: Locale, subscriberThemes: readonly string[] | null | undefined): string;
  model(variantKey: string): EditionVariantModel;
}

export async function loadEditionSource(strapi: Core.Strapi, edition: EditionRow, settings: ItemLinks & { timeZone: string }): Promise<EditionSource> {
  const items = await resolveItems(strapi, await readEditionItems(strapi, edition.id), settings);
  const themes = await themeInfos(strapi);
  const text = editionText(
    {
      cutoff: (toDate(edition.cutoff) ?? new Date()).toISOString(),
      introNl: edition.intro_nl,
      introEn: edition.intro_en,
      subjectNl: edition.subject_nl,
      subjectEn: edition.subject_en,
      preheaderNl: edition.preheader_nl,
      preheaderEn: edition.preheader_en,
    },
    settings.timeZone,
  );
  const editionThemes = new Set(items.flatMap((item) => item.themes));
  return {
    items,
    variantKeyFor: (locale, subscriberThemes) => variantKey(variantFor(locale, subscriberThemes, editionThemes)),
    model: (key) => buildVariantModel(text, items, themes, parseVariantKey(key)),
  };
}

export const readerLocale = (preferredLocale: string | null | undefined): Locale => (preferredLocale === 'en' ? 'en' : 'nl');
