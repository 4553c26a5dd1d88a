/**
 * The help under a field, in the admin's language only. The hints are stored with the content
 * types' configuration (src/boot/admin-hints.ts) as "Nederlands · English", because Strapi shows a
 * stored description as it is; the content manager's edit-view layout hook hands each field's hint
 * through here, which keeps the part of the language the panel speaks.
 */
import { inLanguage } from '../../core/bilingual';
import { mapLayoutFields } from './edit-layout';

/** Where Strapi's admin keeps the language a browser chose (its own key, read when the panel renders). */
export const ADMIN_LANGUAGE_KEY = 'strapi-admin-language';

function adminLocale(): string {
  // The browser's storage (this file is also compiled for the server, without the DOM's types).
  const storage = (globalThis as { localStorage?: { getItem(key: string): string | null } }).localStorage;
  return storage?.getItem(ADMIN_LANGUAGE_KEY) || 'nl';
}

/** The hook's arguments with every hint of the layout (components included) in `locale`; nothing else is touched. */
export function translateLayoutHints<T extends { layout: { layout: unknown; components?: unknown } }>(args: T, locale: string): T {
  return mapLayoutFields(
    args,
    (field) => {
      const hint = (field as { hint?: unknown } | null)?.hint;
      return typeof hint === 'string' ? { ...(field as object), hint: inLanguage(hint, locale) } : field;
    },
    { components: true },
  );
}

/** For the content manager's `Admin/CM/pages/EditView/mutate-edit-view-layout` hook. */
export function hintsInAdminLanguage<T extends { layout: { layout: unknown; components?: unknown } }>(args: T): T {
  return translateLayoutHints(args, adminLocale());
}
