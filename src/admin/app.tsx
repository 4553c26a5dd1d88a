import type { StrapiApp } from '@strapi/strapi/admin';

/** Field labels in the editors' two languages; content-type names carry both (see their schemas). */
const fieldLabels = {
  nl: {
    'api::article.article': { title: 'Titel', slug: 'Slug (webadres)', summary: 'Samenvatting', body: 'Tekst', cover: 'Omslagafbeelding', coverAlt: 'Alt-tekst van de omslag', themes: "Thema's", publicationDate: 'Publicatiedatum' },
    'api::theme.theme': { name: 'Naam', slug: 'Slug', description: 'Korte beschrijving' },
    'api::resource.resource': { title: 'Titel', slug: 'Slug', kind: 'Soort', description: 'Beschrijving', url: 'Link', file: 'Bestand', themes: "Thema's", items: 'Inhoud van de bundel', bundles: 'Onderdeel van bundels', publicationDate: 'Publicatiedatum' },
    'api::edition.edition': { title: 'Titel', state: 'Verzendstatus', periodStart: 'Periode vanaf', cutoff: 'Peildatum (cut-off)', scheduledAt: 'Verzendmoment', introNl: 'Intro (Nederlands)', introEn: 'Intro (Engels)', items: 'Items (volgorde = volgorde in de mail)', recipientsCount: 'Ontvangers', queuedCount: 'In de wachtrij', submittedCount: 'Aangeboden aan SendGrid', failedCount: 'Mislukt', suppressedCount: 'Onderdrukt', unknownCount: 'Onbekende afloop', cancelledCount: 'Niet verstuurd (geannuleerd)', variantsCount: 'Varianten', plannedAt: 'Gepland op', sentAt: 'Verzonden op', notes: 'Meldingen' },
    'api::campaign.campaign': { title: 'Titel', state: 'Verzendstatus', sendAt: 'Verzendmoment', subjectNl: 'Onderwerp (Nederlands)', subjectEn: 'Onderwerp (Engels)', preheaderNl: 'Voorvertoningstekst (Nederlands)', preheaderEn: 'Voorvertoningstekst (Engels)', introNl: 'Intro (Nederlands)', introEn: 'Intro (Engels)', featuredItems: 'Uitgelichte items (eerste bundel = hoofditem met knop; volgorde = volgorde in de mail)', audienceThemes: "Doelgroep: thema's (leeg = iedereen)", audienceLocale: 'Doelgroep: taal (leeg = beide)', recipientsCount: 'Ontvangers', queuedCount: 'In de wachtrij', submittedCount: 'Aangeboden aan SendGrid', failedCount: 'Mislukt', suppressedCount: 'Onderdrukt', unknownCount: 'Onbekende afloop', cancelledCount: 'Niet verstuurd (geannuleerd)', variantsCount: 'Varianten', plannedAt: 'Gepland op', sentAt: 'Verzonden op', notes: 'Meldingen' },
    'campaign.featured-item': { resource: 'Bron of bundel', article: 'Of: nieuwsbericht' },
    'api::subscriber.subscriber': { email: 'E-mailadres', name: 'Naam', preferredLocale: 'Voorkeurstaal', themes: "Thema's (slugs)", state: 'Abonnementsstatus', consent: 'Toestemming', confirmedAt: 'Bevestigd op', unsubscribedAt: 'Afgemeld op' },
  },
  en: {
    'api::article.article': { title: 'Title', slug: 'Slug (web address)', summary: 'Summary', body: 'Body', cover: 'Cover image', coverAlt: 'Cover alt text', themes: 'Themes', publicationDate: 'Publication date' },
    'api::theme.theme': { name: 'Name', slug: 'Slug', description: 'Short description' },
    'api::resource.resource': { title: 'Title', slug: 'Slug', kind: 'Kind', description: 'Description', url: 'Link', file: 'File', themes: 'Themes', items: 'Bundle contents', bundles: 'Part of bundles', publicationDate: 'Publication date' },
    'api::edition.edition': { title: 'Title', state: 'Sending state', periodStart: 'Period from', cutoff: 'Cut-off', scheduledAt: 'Send time', introNl: 'Intro (Dutch)', introEn: 'Intro (English)', items: 'Items (order = order in the mail)', recipientsCount: 'Recipients', queuedCount: 'Queued', submittedCount: 'Submitted to SendGrid', failedCount: 'Failed', suppressedCount: 'Suppressed', unknownCount: 'Unknown fate', cancelledCount: 'Not sent (cancelled)', variantsCount: 'Variants', plannedAt: 'Planned at', sentAt: 'Sent at', notes: 'Notes' },
    'api::campaign.campaign': { title: 'Title', state: 'Sending state', sendAt: 'Send time', subjectNl: 'Subject (Dutch)', subjectEn: 'Subject (English)', preheaderNl: 'Preheader (Dutch)', preheaderEn: 'Preheader (English)', introNl: 'Intro (Dutch)', introEn: 'Intro (English)', featuredItems: 'Featured items (first bundle = lead with the button; order = order in the mail)', audienceThemes: 'Audience: themes (empty = everyone)', audienceLocale: 'Audience: language (empty = both)', recipientsCount: 'Recipients', queuedCount: 'Queued', submittedCount: 'Submitted to SendGrid', failedCount: 'Failed', suppressedCount: 'Suppressed', unknownCount: 'Unknown fate', cancelledCount: 'Not sent (cancelled)', variantsCount: 'Variants', plannedAt: 'Planned at', sentAt: 'Sent at', notes: 'Notes' },
    'campaign.featured-item': { resource: 'Resource or bundle', article: 'Or: news article' },
    'api::subscriber.subscriber': { email: 'Email address', name: 'Name', preferredLocale: 'Preferred language', themes: 'Themes (slugs)', state: 'Subscription state', consent: 'Consent record', confirmedAt: 'Confirmed at', unsubscribedAt: 'Unsubscribed at' },
  },
} as const;

/** Content types (`api::x.y`) and components (`category.name`) have their labels under different ids. */
function translations(locale: keyof typeof fieldLabels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [uid, fields] of Object.entries(fieldLabels[locale])) {
    const prefix = uid.includes('::') ? 'content-manager.content-types' : 'content-manager.components';
    for (const [field, label] of Object.entries(fields) as Array<[string, string]>) out[`${prefix}.${uid}.${field}`] = label;
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
  // The editors' desk (preview, test send, sending, GDPR) is the local plugin src/plugins/desk.
  bootstrap(_app: StrapiApp) {},
};
