import type { Core } from '@strapi/strapi';
import { DEFAULT_LOCALE, type Locale } from '../core/domain/locale';

/** The locales Strapi's i18n plugin holds, with their names in the admin. */
export const LOCALES: ReadonlyArray<{ code: Locale; name: string }> = [
  { code: 'nl', name: 'Nederlands (nl)' },
  { code: 'en', name: 'English (en)' },
];

/**
 * Dutch is the default and English exists. Idempotent: a locale is created only when missing, and the
 * default is set only when Dutch is new, so an admin's later choice of default survives restarts.
 */
export async function ensureLocales(strapi: Core.Strapi): Promise<void> {
  const locales = strapi.plugin('i18n').service('locales');
  for (const { code, name } of LOCALES) {
    if (await locales.findByCode(code)) continue;
    await locales.create({ code, name });
    if (code === DEFAULT_LOCALE) await locales.setDefaultLocale({ code });
  }
}
