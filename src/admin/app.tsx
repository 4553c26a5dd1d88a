import { Mail } from '@strapi/icons';
import type { StrapiApp } from '@strapi/strapi/admin';
import { GdprActions, gdprDefaultMessages, gdprMessageIds } from './components/GdprActions';
import { translateEnumColumns } from './lists/EnumValue';
import { NewsletterWidget, newsletterWidgetMessageIds, newsletterWidgetMessages } from './home/NewsletterWidget';
import { contentTypeMessages } from './translations';

/** Texts of the GDPR buttons on a subscriber (src/admin/components/GdprActions.tsx). */
const gdprMessages: Record<'nl' | 'en', Record<keyof typeof gdprMessageIds, string>> = {
  nl: {
    export: 'Gegevens exporteren',
    erase: 'Abonnee wissen',
    confirmTitle: 'Deze abonnee wissen?',
    confirmBody: 'Dit verwijdert de abonnee, de toestemming en de verzendgegevens definitief. Dat kan niet ongedaan worden gemaakt.',
    confirmButton: 'Definitief wissen',
    exported: 'Gegevens van de abonnee geëxporteerd',
    erased: 'Abonnee gewist',
  },
  en: gdprDefaultMessages,
};

function gdprTranslations(locale: 'nl' | 'en'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, id] of Object.entries(gdprMessageIds)) out[id] = gdprMessages[locale][key as keyof typeof gdprMessageIds];
  return out;
}

/** Texts of the home page's newsletter widget (src/admin/home/NewsletterWidget.tsx). */
function widgetTranslations(locale: 'nl' | 'en'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, id] of Object.entries(newsletterWidgetMessageIds)) out[id] = newsletterWidgetMessages[locale][key as keyof typeof newsletterWidgetMessageIds];
  return out;
}

export default {
  config: {
    locales: ['nl'],
    translations: {
      nl: { ...contentTypeMessages('nl'), ...widgetTranslations('nl'), ...gdprTranslations('nl') },
      en: { ...contentTypeMessages('en'), ...widgetTranslations('en'), ...gdprTranslations('en') },
    },
    tutorials: false,
    notifications: { releases: false },
  },
  register(app: StrapiApp) {
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
  bootstrap(app: StrapiApp) {
    // Lists show an enumeration's translated value (Actief, Gepland), as the edit view does.
    app.registerHook('Admin/CM/pages/ListView/inject-column-in-table', translateEnumColumns);
    // GDPR export / erase buttons in the edit view of a subscriber (the component renders nothing elsewhere).
    app.getPlugin('content-manager').injectComponent('editView', 'right-links', { name: 'netwerkpost-gdpr-actions', Component: GdprActions });
  },
};
