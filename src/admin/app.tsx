import type { StrapiApp } from '@strapi/strapi/admin';

/** Field labels in the editors' two languages; content-type names carry both (see their schemas). */
const fieldLabels = {
  nl: {
    'api::article.article': { title: 'Titel', slug: 'Slug (webadres)', summary: 'Samenvatting', body: 'Tekst', cover: 'Omslagafbeelding', coverAlt: 'Alt-tekst van de omslag', themes: "Thema's", publicationDate: 'Publicatiedatum' },
    'api::theme.theme': { name: 'Naam', slug: 'Slug', description: 'Korte beschrijving' },
    'api::resource.resource': { title: 'Titel', slug: 'Slug', kind: 'Soort', description: 'Beschrijving', url: 'Link', file: 'Bestand', themes: "Thema's", items: 'Inhoud van de bundel', bundles: 'Onderdeel van bundels', publicationDate: 'Publicatiedatum' },
    'api::subscriber.subscriber': { email: 'E-mailadres', name: 'Naam', preferredLocale: 'Voorkeurstaal', themes: "Thema's (slugs)", status: 'Status', consent: 'Toestemming', confirmedAt: 'Bevestigd op', unsubscribedAt: 'Afgemeld op' },
  },
  en: {
    'api::article.article': { title: 'Title', slug: 'Slug (web address)', summary: 'Summary', body: 'Body', cover: 'Cover image', coverAlt: 'Cover alt text', themes: 'Themes', publicationDate: 'Publication date' },
    'api::theme.theme': { name: 'Name', slug: 'Slug', description: 'Short description' },
    'api::resource.resource': { title: 'Title', slug: 'Slug', kind: 'Kind', description: 'Description', url: 'Link', file: 'File', themes: 'Themes', items: 'Bundle contents', bundles: 'Part of bundles', publicationDate: 'Publication date' },
    'api::subscriber.subscriber': { email: 'Email address', name: 'Name', preferredLocale: 'Preferred language', themes: 'Themes (slugs)', status: 'Status', consent: 'Consent record', confirmedAt: 'Confirmed at', unsubscribedAt: 'Unsubscribed at' },
  },
} as const;

function translations(locale: keyof typeof fieldLabels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [uid, fields] of Object.entries(fieldLabels[locale])) {
    for (const [field, label] of Object.entries(fields)) out[`content-manager.content-types.${uid}.${field}`] = label;
  }
  return out;
}

export default {
  config: {
    locales: ['nl'],
    translations: { nl: translations('nl'), en: translations('en') },
    tutorials: false,
    notifications: { releases: false },
  },
  bootstrap(_app: StrapiApp) {},
};
