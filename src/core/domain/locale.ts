/**
 * The product's languages: Dutch (the default) and English. The one Locale type: content, mail,
 * pages, subscriptions and the admin's i18n set-up all use it (docs/CONTEXT.md, "locale").
 */
export const LOCALES = ['nl', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'nl';

export function isLocale(value: unknown): value is Locale {
  return (LOCALES as readonly unknown[]).includes(value);
}
