import { Mail } from '@strapi/icons';
import type { StrapiApp } from '@strapi/strapi/admin';
import { NewsletterWidget, newsletterWidgetMessageIds, newsletterWidgetMessages } from './home/NewsletterWidget';
import { ADMIN_LANGUAGE_KEY, hintsInAdminLanguage } from './edit/field-hints';
import { translateEnumColumns } from './lists/EnumValue';
import { contentTypeMessages } from './translations';
import { SUPPRESSION_REASON_FIELD, THEME_LIST_FIELD } from '../core/custom-fields';
import { itemPickerInLayout, readOnlyWhenMarked } from './edit/edit-layout';
import { ITEM_PICKER_FIELD, ITEM_PICKER_MESSAGES } from './edit/item-picker-messages';

/** Texts of the subscriber's theme checklist (src/admin/edit/ThemeChecklist.tsx) and its field kind. */
const THEME_LIST_MESSAGES = {
  nl: {
    'netwerkpost.themes.loading': "Thema's laden…",
    'netwerkpost.themes.label': "Thema's",
    'netwerkpost.themes.description': "Thema's die een abonnee volgt",
  },
  en: {
    'netwerkpost.themes.loading': 'Loading themes…',
    'netwerkpost.themes.label': 'Themes',
    'netwerkpost.themes.description': 'Themes a subscriber follows',
  },
};

/** Texts of the suppression reason (src/admin/edit/SuppressionReason.tsx) and its field kind. */
const SUPPRESSION_MESSAGES = {
  nl: {
    'netwerkpost.suppression.none': '—',
    'netwerkpost.suppression.original': 'Tekst van SendGrid:',
    'netwerkpost.suppression.label': 'Waarom geen mail meer',
    'netwerkpost.suppression.description': 'Waarom een lezer geen mail meer krijgt',
  },
  en: {
    'netwerkpost.suppression.none': '—',
    'netwerkpost.suppression.original': "SendGrid's text:",
    'netwerkpost.suppression.label': 'Suppression reason',
    'netwerkpost.suppression.description': 'Why a reader gets no more mail',
  },
};

/** Texts of the home page's newsletter widget (src/admin/home/NewsletterWidget.tsx). */
function widgetTranslations(locale: 'nl' | 'en'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, id] of Object.entries(newsletterWidgetMessageIds))
    out[id] = newsletterWidgetMessages[locale][key as keyof typeof newsletterWidgetMessageIds];
  return out;
}

export default {
  config: {
    locales: ['nl'],
    translations: {
      nl: { ...contentTypeMessages('nl'), ...widgetTranslations('nl'), ...THEME_LIST_MESSAGES.nl, ...SUPPRESSION_MESSAGES.nl, ...ITEM_PICKER_MESSAGES.nl },
      en: { ...contentTypeMessages('en'), ...widgetTranslations('en'), ...THEME_LIST_MESSAGES.en, ...SUPPRESSION_MESSAGES.en, ...ITEM_PICKER_MESSAGES.en },
    },
    tutorials: false,
    notifications: { releases: false },
  },
  register(app: StrapiApp) {
    // Dutch from the login page on: Strapi starts a browser that never chose a language in English.
    // A choice made since (the profile's language, or the login page's menu) is kept.
    if (typeof window !== 'undefined' && !window.localStorage.getItem(ADMIN_LANGUAGE_KEY)) window.localStorage.setItem(ADMIN_LANGUAGE_KEY, 'nl');
    // Strapi's "Introducing the new Media Library" banner sits on every page until each user closes it;
    // it is news about Strapi, not about this product, so it starts closed. Strapi keeps the choice
    // under a key of the banner's variant and the project's uuid (none is set: `false`).
    if (typeof window !== 'undefined')
      for (const variant of ['true', 'false'])
        for (const scope of ['false', 'undefined']) window.localStorage.setItem(`STRAPI_MEDIA_LIBRARY_BANNER_DISMISSED_FOR_${variant}:${scope}`, 'true');
    // A subscriber's themes as a checkbox list of theme names (stored as slugs, as the sign-up form does).
    app.customFields.register({
      name: THEME_LIST_FIELD.name,
      type: THEME_LIST_FIELD.type,
      intlLabel: { id: 'netwerkpost.themes.label', defaultMessage: 'Themes' },
      intlDescription: { id: 'netwerkpost.themes.description', defaultMessage: 'Themes a subscriber follows' },
      components: { Input: async () => import('./edit/ThemeChecklist').then((module) => ({ default: module.ThemeChecklist })) },
    } as never);
    // Why a reader gets no more mail, in the admin's language, with SendGrid's text in full.
    app.customFields.register({
      name: SUPPRESSION_REASON_FIELD.name,
      type: SUPPRESSION_REASON_FIELD.type,
      intlLabel: { id: 'netwerkpost.suppression.label', defaultMessage: 'Suppression reason' },
      intlDescription: { id: 'netwerkpost.suppression.description', defaultMessage: 'Why a reader gets no more mail' },
      components: { Input: async () => import('./edit/SuppressionReason').then((module) => ({ default: module.SuppressionReason })) },
    } as never);
    // An edition's items and a campaign's featured items as one list with search, drag and remove
    // (admin-only: it edits a component list, never stored as a field kind of its own).
    app.customFields.register({
      name: ITEM_PICKER_FIELD.name,
      type: ITEM_PICKER_FIELD.type,
      intlLabel: { id: 'netwerkpost.items.label', defaultMessage: 'Items' },
      intlDescription: { id: 'netwerkpost.items.description', defaultMessage: 'Published news articles and resources, in order' },
      components: { Input: async () => import('./edit/ItemPicker').then((module) => ({ default: module.ItemPicker })) },
    } as never);
    // The home page opens with what editors need: the next send and the latest editions and campaigns.
    app.widgets.register((widgets) => [
      {
        id: 'netwerkpost-newsletter',
        icon: Mail,
        title: { id: newsletterWidgetMessageIds.title, defaultMessage: newsletterWidgetMessages.en.title },
        component: async () => NewsletterWidget,
      },
      ...widgets,
    ]);
  },
  // The editors' desk (preview, test send, sending, GDPR) is the local plugin src/plugins/desk.
  bootstrap(app: StrapiApp) {
    // Lists show an enumeration's translated value (Actief, Gepland), as the edit view does.
    app.registerHook('Admin/CM/pages/ListView/inject-column-in-table', translateEnumColumns);
    // The help under fields in the admin's language only (stored in both).
    app.registerHook('Admin/CM/pages/EditView/mutate-edit-view-layout', hintsInAdminLanguage);
    app.registerHook('Admin/CM/pages/EditView/mutate-edit-view-layout', itemPickerInLayout);
    app.registerHook('Admin/CM/pages/EditView/mutate-edit-view-layout', readOnlyWhenMarked);
  },
};
