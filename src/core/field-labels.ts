import { CONTENT_TYPES } from './content-types';
/**
 * Field labels of our content types and components in the editors' two languages. The content
 * manager looks them up as `content-manager.content-types.<uid>.<field>` (content types, edit view
 * and list headers) and `content-manager.components.<component>.<field>` (fields inside a component).
 */
const mailingCounts = {
  nl: { recipientsCount: 'Ontvangers', queuedCount: 'In de wachtrij', submittedCount: 'Aangeboden aan SendGrid', failedCount: 'Mislukt', suppressedCount: 'Onderdrukt (afgemeld of onbestelbaar)', unknownCount: 'Onbekende afloop', cancelledCount: 'Niet verstuurd (geannuleerd)', variantsCount: 'Varianten', plannedAt: 'Gepland op', sentAt: 'Verzonden op', notes: 'Meldingen' },
  en: { recipientsCount: 'Recipients', queuedCount: 'Queued', submittedCount: 'Submitted to SendGrid', failedCount: 'Failed', suppressedCount: 'Suppressed (unsubscribed or bounced)', unknownCount: 'Unknown fate', cancelledCount: 'Not sent (cancelled)', variantsCount: 'Variants', plannedAt: 'Planned at', sentAt: 'Sent at', notes: 'Notes' },
};

/** SendGrid's events per mailing (src/mailings/engine/delivery-statistics.ts), once per reader, the switch that allows opens and clicks, and the one that keeps a mailing out of the public archive and feed. */
const mailingStatistics = {
  nl: { keepOutOfArchive: 'Niet in het archief', trackEngagement: 'Openingen en kliks meten', deliveredCount: 'Bezorgd', deferredCount: 'Uitgesteld', bouncedCount: 'Onbestelbaar', droppedCount: 'Niet verstuurd door SendGrid', spamReportsCount: 'Spammeldingen', unsubscribesCount: 'Afmeldingen via de mailbox', opensCount: 'Openingen (schatting)', machineOpensCount: 'Geopend door mailsoftware (geen lezer)', clicksCount: 'Kliks (schatting)' },
  en: { keepOutOfArchive: 'Keep out of the archive', trackEngagement: 'Track opens and clicks', deliveredCount: 'Delivered', deferredCount: 'Deferred', bouncedCount: 'Bounced', droppedCount: 'Dropped by SendGrid', spamReportsCount: 'Spam reports', unsubscribesCount: 'Unsubscribes through the mailbox', opensCount: 'Opens (estimate)', machineOpensCount: 'Opened by mail software (not a reader)', clicksCount: 'Clicks (estimate)' },
};

/** Strapi's own columns, shown in lists (and by the list settings). */
const systemFields = {
  nl: { id: 'Id', documentId: 'Document-id', createdAt: 'Aangemaakt op', updatedAt: 'Bijgewerkt op', createdBy: 'Aangemaakt door', updatedBy: 'Bijgewerkt door', publishedAt: 'Gepubliceerd op', locale: 'Taal' },
  en: { id: 'Id', documentId: 'Document id', createdAt: 'Created at', updatedAt: 'Updated at', createdBy: 'Created by', updatedBy: 'Updated by', publishedAt: 'Published at', locale: 'Language' },
};

export const fieldLabels = {
  nl: {
    [CONTENT_TYPES.article]: { ...systemFields.nl, title: 'Titel', slug: 'Slug (webadres)', summary: 'Samenvatting', body: 'Tekst', cover: 'Omslagafbeelding', coverAlt: 'Alt-tekst van de omslag', themes: "Thema's", publicationDate: 'Publicatiedatum' },
    [CONTENT_TYPES.theme]: { ...systemFields.nl, name: 'Naam', slug: 'Slug (webadres)', description: 'Korte beschrijving' },
    [CONTENT_TYPES.resource]: { ...systemFields.nl, title: 'Titel', slug: 'Slug (webadres)', kind: 'Soort', description: 'Beschrijving', url: 'Link', file: 'Bestand', themes: "Thema's", items: 'Inhoud van de bundel', bundles: 'Onderdeel van bundels', publicationDate: 'Publicatiedatum' },
    [CONTENT_TYPES.edition]: { ...systemFields.nl, title: 'Titel', state: 'Verzendstatus', periodStart: 'Periode vanaf', cutoff: 'Peildatum (cut-off)', periodKey: 'Periode', scheduledAt: 'Verzendmoment', introNl: 'Intro (Nederlands)', introEn: 'Intro (Engels)', items: 'Items (volgorde = volgorde in de mail)', ...mailingCounts.nl, ...mailingStatistics.nl },
    [CONTENT_TYPES.campaign]: { ...systemFields.nl, title: 'Titel', state: 'Verzendstatus', sendAt: 'Verzendmoment', subjectNl: 'Onderwerp (Nederlands)', subjectEn: 'Onderwerp (Engels)', preheaderNl: 'Voorvertoningstekst (Nederlands)', preheaderEn: 'Voorvertoningstekst (Engels)', introNl: 'Intro (Nederlands)', introEn: 'Intro (Engels)', featuredItems: 'Uitgelichte items (volgorde = volgorde in de mail)', audienceThemes: "Doelgroep: thema's", audienceLocale: 'Doelgroep: taal', ...mailingCounts.nl, ...mailingStatistics.nl },
    [CONTENT_TYPES.subscriber]: { ...systemFields.nl, email: 'E-mailadres', name: 'Naam', preferredLocale: 'Voorkeurstaal', themes: "Thema's (slugs)", state: 'Abonnementsstatus', consent: 'Toestemming', confirmedAt: 'Bevestigd op', unsubscribedAt: 'Afgemeld op', suppressionReason: 'Waarom geen mail meer', suppressedAt: 'Geen mail meer sinds', linkKey: 'Sleutel voor links' },
    'campaign.featured-item': { resource: 'Bron of bundel', article: 'Of: nieuwsbericht' },
    'edition.item': { label: 'Item', resource: 'Bron of bundel', article: 'Of: nieuwsbericht' },
    'subscription.consent-record': { givenAt: 'Gegeven op', source: 'Pagina van aanmelding', textVersion: 'Versie van de toestemmingstekst', ipHash: 'IP-adres (versleuteld)' },
  },
  en: {
    [CONTENT_TYPES.article]: { ...systemFields.en, title: 'Title', slug: 'Slug (web address)', summary: 'Summary', body: 'Body', cover: 'Cover image', coverAlt: 'Cover alt text', themes: 'Themes', publicationDate: 'Publication date' },
    [CONTENT_TYPES.theme]: { ...systemFields.en, name: 'Name', slug: 'Slug (web address)', description: 'Short description' },
    [CONTENT_TYPES.resource]: { ...systemFields.en, title: 'Title', slug: 'Slug (web address)', kind: 'Kind', description: 'Description', url: 'Link', file: 'File', themes: 'Themes', items: 'Bundle contents', bundles: 'Part of bundles', publicationDate: 'Publication date' },
    [CONTENT_TYPES.edition]: { ...systemFields.en, title: 'Title', state: 'Sending state', periodStart: 'Period from', cutoff: 'Cut-off', periodKey: 'Period', scheduledAt: 'Send time', introNl: 'Intro (Dutch)', introEn: 'Intro (English)', items: 'Items (order = order in the mail)', ...mailingCounts.en, ...mailingStatistics.en },
    [CONTENT_TYPES.campaign]: { ...systemFields.en, title: 'Title', state: 'Sending state', sendAt: 'Send time', subjectNl: 'Subject (Dutch)', subjectEn: 'Subject (English)', preheaderNl: 'Preheader (Dutch)', preheaderEn: 'Preheader (English)', introNl: 'Intro (Dutch)', introEn: 'Intro (English)', featuredItems: 'Featured items (order = order in the mail)', audienceThemes: 'Audience: themes', audienceLocale: 'Audience: language', ...mailingCounts.en, ...mailingStatistics.en },
    [CONTENT_TYPES.subscriber]: { ...systemFields.en, email: 'Email address', name: 'Name', preferredLocale: 'Preferred language', themes: 'Themes (slugs)', state: 'Subscription state', consent: 'Consent record', confirmedAt: 'Confirmed at', unsubscribedAt: 'Unsubscribed at', suppressionReason: 'Suppression reason', suppressedAt: 'Suppressed at', linkKey: 'Key for links' },
    'campaign.featured-item': { resource: 'Resource or bundle', article: 'Or: news article' },
    'edition.item': { label: 'Item', resource: 'Resource or bundle', article: 'Or: news article' },
    'subscription.consent-record': { givenAt: 'Given at', source: 'Sign-up page', textVersion: 'Consent text version', ipHash: 'IP address (hashed)' },
  },
} as const;
