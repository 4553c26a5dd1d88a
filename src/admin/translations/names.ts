/**
 * Names of our content types and components, and enumeration values, per admin language.
 *
 * The content manager looks a content type's or component's name up with its display name
 * (`info.displayName`, bilingual in the schemas, e.g. "Nieuwsbericht · News article") as the message
 * id, and an enumeration value with the raw value as the id (`draft`, `bundle`, `nl`). These ids
 * are shared by every content type: one word for one value everywhere (a `draft` edition and a
 * `draft` campaign are the same thing).
 */
export const typeNames = {
  nl: {
    'Nieuwsbericht · News article': 'Nieuwsbericht',
    'Thema · Theme': 'Thema',
    'Bron · Resource': 'Bron',
    'Editie · Edition': 'Editie',
    'Campagne · Campaign': 'Campagne',
    'Abonnee · Subscriber': 'Abonnee',
    'Welkomstmail · Welcome mail': 'Welkomstmail',
    'Uitgelicht item · Featured item': 'Uitgelicht item',
    'Item van een editie · Edition item': 'Item',
    'Toestemming · Consent record': 'Toestemming',
  },
  en: {
    'Nieuwsbericht · News article': 'News article',
    'Thema · Theme': 'Theme',
    'Bron · Resource': 'Resource',
    'Editie · Edition': 'Edition',
    'Campagne · Campaign': 'Campaign',
    'Abonnee · Subscriber': 'Subscriber',
    'Welkomstmail · Welcome mail': 'Welcome mail',
    'Uitgelicht item · Featured item': 'Featured item',
    'Item van een editie · Edition item': 'Item',
    'Toestemming · Consent record': 'Consent record',
  },
} as const;

export const enumLabels = {
  nl: {
    // mailing states (editions and campaigns)
    draft: 'Concept',
    scheduled: 'Gepland',
    sending: 'Wordt verzonden',
    sent: 'Verzonden',
    cancelled: 'Geannuleerd',
    failed: 'Mislukt',
    skipped: 'Overgeslagen (niets nieuws)',
    // subscriber states
    pending: 'Wacht op bevestiging',
    active: 'Actief',
    unsubscribed: 'Afgemeld',
    bounced: 'Onbestelbaar',
    complained: 'Als spam gemeld',
    // resource kinds
    article: 'Artikel',
    book: 'Boek',
    tool: 'Tool',
    video: 'Video',
    report: 'Rapport',
    bundle: 'Bundel',
    // languages
    nl: 'Nederlands',
    en: 'Engels',
  },
  en: {
    draft: 'Draft',
    scheduled: 'Scheduled',
    sending: 'Sending',
    sent: 'Sent',
    cancelled: 'Cancelled',
    failed: 'Failed',
    skipped: 'Skipped (nothing new)',
    pending: 'Awaiting confirmation',
    active: 'Active',
    unsubscribed: 'Unsubscribed',
    bounced: 'Bounced',
    complained: 'Marked as spam',
    article: 'Article',
    book: 'Book',
    tool: 'Tool',
    video: 'Video',
    report: 'Report',
    bundle: 'Bundle',
    nl: 'Dutch',
    en: 'English',
  },
} as const;
