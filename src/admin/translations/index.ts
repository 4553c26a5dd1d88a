import { fieldLabels } from '../../core/field-labels';
import { enumLabels, typeNames } from './names';
import { strapiDutchGaps } from './strapi-gaps';

export type AdminLocale = 'nl' | 'en';

/** Every text of our content types for one admin language, keyed as the content manager asks for it. */
export function contentTypeMessages(locale: AdminLocale): Record<string, string> {
  const out: Record<string, string> = { ...(locale === 'nl' ? strapiDutchGaps : {}), ...typeNames[locale], ...enumLabels[locale] };
  for (const [uid, fields] of Object.entries(fieldLabels[locale])) {
    // Content types (`api::x.y`) and components (`category.name`) have their labels under different ids.
    const prefix = uid.includes('::') ? 'content-manager.content-types' : 'content-manager.components';
    for (const [field, label] of Object.entries(fields) as Array<[string, string]>) out[`${prefix}.${uid}.${field}`] = label;
  }
  return out;
}

/** The values of our enumerations (their message ids). */
export const ENUM_VALUES = Object.keys(enumLabels.en) as Array<keyof typeof enumLabels.en>;
