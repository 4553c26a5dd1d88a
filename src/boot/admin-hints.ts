import { CONTENT_TYPES } from '../core/content-types';
import type { MailingKind } from '../mailings/engine/mailing';
import { ENGINE_FIELDS } from '../mailings/engine/mailing-rules';
/**
 * Short help under the fields where an editor would wonder, stored as "Dutch · English": the
 * content manager keeps one description per field, and the admin panel shows the half of the
 * language it speaks (src/admin/edit/field-hints.ts).
 */
export const FIELD_HINTS: Record<string, Record<string, string>> = {
  [CONTENT_TYPES.article]: {
    slug: "Leeg laten: wordt bij opslaan gemaakt uit de titel van deze taal · Leave empty: made from this language's title when saved",
    summary: 'Staat in de nieuwsbrief en in overzichten · Shown in the newsletter and in lists',
    coverAlt: 'Beschrijft de afbeelding voor wie hem niet ziet · Describes the image for readers who cannot see it',
    publicationDate:
      "De datum die lezers zien, voor beide talen (typen of kiezen; leeg = die van de andere taal of vandaag); de nieuwsbrief kijkt naar het moment van publiceren · The date readers see, for both languages (type or pick it; empty = the other language's or today); the newsletter goes by the moment of publishing",
  },
  [CONTENT_TYPES.resource]: {
    slug: 'Eén voor beide talen, in links gebruikt: kleine letters, cijfers en streepjes · One for both languages, used in links: lower-case letters, digits and hyphens',
    kind: 'Een bundel groepeert andere bronnen (zie Inhoud van de bundel) · A bundle groups other resources (see Bundle contents)',
    url: 'Een link of een bestand; met allebei opent de link · A link or a file; with both, the link opens',
    items: 'Alleen bij een bundel: de bronnen die hij groepeert · Only for a bundle: the resources it groups',
    image: 'Niet verplicht: staat boven de bron in mails en op de pagina · Optional: shown above the resource in mails and on its page',
    imageAlt: 'Verplicht bij een afbeelding: beschrijft hem voor wie hem niet ziet · Required with an image: describes it for readers who cannot see it',
  },
  [CONTENT_TYPES.theme]: {
    slug: 'Eén voor beide talen; abonnees volgen het thema met deze slug: niet meer wijzigen na publicatie · One for both languages; subscribers follow the theme by it: do not change it once published',
  },
  [CONTENT_TYPES.edition]: {
    items:
      "Kies gepubliceerde nieuwsberichten en bronnen, sleep om de volgorde te wijzigen. Elke lezer ziet eerst de eigen thema's, daarbinnen deze volgorde · Pick published news articles and resources, drag to reorder. Each reader sees their own themes first, in this order within them",
    cutoff: 'Wat tot dit moment is gepubliceerd, zit in deze editie · What was published up to this moment is in this edition',
    subjectNl: 'Leeg = de titel en de naam van het netwerk · Empty = the title and the name of the network',
    subjectEn: 'Leeg = de titel en de naam van het netwerk · Empty = the title and the name of the network',
    preheaderNl:
      "De regel die mailprogramma's na het onderwerp tonen. Leeg = de titels van de eerste items die elke lezer ziet · The line mail apps show after the subject. Empty = the titles of the first items each reader sees",
    preheaderEn:
      "De regel die mailprogramma's na het onderwerp tonen. Leeg = de titels van de eerste items die elke lezer ziet · The line mail apps show after the subject. Empty = the titles of the first items each reader sees",
    introNl: 'Platte tekst; een lege regel begint een nieuwe alinea · Plain text; a blank line starts a new paragraph',
    introEn: 'Platte tekst; een lege regel begint een nieuwe alinea · Plain text; a blank line starts a new paragraph',
    trackEngagement:
      'Uit = we meten niet of lezers openen of klikken. Aan = openen en klikken worden voor deze mail geteld, als uw beheerder dat heeft toegestaan; de privacyverklaring zegt het dan · Off = opens and clicks are not tracked. On = opens and clicks of this mail are counted, if your administrator allowed it; the privacy statement then says so',
    keepOutOfArchive:
      'Aan = deze mail staat niet in het openbare archief en de RSS-feed; lezers openen hem nog wel via de link in hun mail · On = this mail is not in the public archive and RSS feed; its readers still open it through the link in their mail',
  },
  [CONTENT_TYPES.campaign]: {
    featuredItems:
      'De eerste bundel opent de mail, met de knop; zonder bundel het eerste item · The first bundle leads the mail, with the button; without a bundle the first item',
    audienceThemes:
      "Leeg = iedereen; anders lezers die een van deze thema's volgen (of geen thema koos) · Empty = everyone; else readers who follow one of these themes (or chose none)",
    audienceLocale: 'Leeg = beide talen · Empty = both languages',
    hero: 'Niet verplicht: staat boven de mail, onder het onderwerp · Optional: shown at the top of the mail, under the subject',
    heroAltNl: 'Verplicht bij een afbeelding: beschrijft hem voor wie hem niet ziet · Required with an image: describes it for readers who cannot see it',
    heroAltEn: 'Verplicht bij een afbeelding: beschrijft hem voor wie hem niet ziet · Required with an image: describes it for readers who cannot see it',
    preheaderNl: "De regel die mailprogramma's na het onderwerp tonen · The line mail apps show after the subject",
    preheaderEn: "De regel die mailprogramma's na het onderwerp tonen · The line mail apps show after the subject",
    introNl: 'Platte tekst; een lege regel begint een nieuwe alinea · Plain text; a blank line starts a new paragraph',
    introEn: 'Platte tekst; een lege regel begint een nieuwe alinea · Plain text; a blank line starts a new paragraph',
    trackEngagement:
      'Uit = we meten niet of lezers openen of klikken (zoals de privacyverklaring belooft). Aan = SendGrid meet opens en kliks voor deze mail; de mail en de privacyverklaring zeggen het dan · Off = opens and clicks are not tracked (as the privacy statement promises). On = SendGrid tracks opens and clicks for this mail; the mail and the privacy statement then say so',
    keepOutOfArchive:
      'Aan = deze mail staat niet in het openbare archief en de RSS-feed; lezers openen hem nog wel via de link in hun mail · On = this mail is not in the public archive and RSS feed; its readers still open it through the link in their mail',
  },
  [CONTENT_TYPES.welcomeMail]: {
    subjectNl:
      'Leeg = "Welkom bij de nieuwsbrief van" en de naam van het netwerk · Empty = the Dutch for "Welcome to the newsletter of" and the name of the network',
    subjectEn:
      'Leeg = het Engelse "welkom bij de nieuwsbrief van" en de naam van het netwerk · Empty = "Welcome to the newsletter of" and the name of the network',
    textNl:
      'Platte tekst; een lege regel begint een nieuwe alinea. Leeg = Nederlandstalige lezers krijgen geen welkomstmail. De mail wijst zelf naar de laatste nieuwsbrief en de nieuwste inspiratiebundel · Plain text; a blank line starts a new paragraph. Empty = Dutch readers get no welcome mail. The mail itself points to the latest newsletter and the newest inspiration bundle',
    textEn:
      'Platte tekst; een lege regel begint een nieuwe alinea. Leeg = Engelstalige lezers krijgen geen welkomstmail. De mail wijst zelf naar de laatste nieuwsbrief en de nieuwste inspiratiebundel · Plain text; a blank line starts a new paragraph. Empty = English readers get no welcome mail. The mail itself points to the latest newsletter and the newest inspiration bundle',
  },
  [CONTENT_TYPES.subscriber]: {
    themes: "Niets aangevinkt = alle thema's · Nothing ticked = every theme",
    state:
      'Alleen Actief krijgt mail. Na een spammelding blijft een lezer geblokkeerd tot een beheerder dit op Actief zet · Only Active gets mail. After a spam report a reader stays blocked until an admin sets this to Active',
    suppressionReason:
      'Waarom deze lezer geen mail meer krijgt (bounce, spammelding, afmelding via de mailbox) · Why this reader gets no more mail (bounce, spam report, unsubscribe through the mailbox)',
  },
};

/**
 * The sending's own fields: the state and the send time are set by the Sending panel's buttons
 * (plugin desk: Inplannen, Nu versturen, Planning intrekken, Verzending annuleren), and the engine's
 * fields (counts, SendGrid's statistics, when it was planned and sent, notes) are shown there; none
 * of them is a field an editor fills in. An edition's cut-off stays in view (read-only): it says
 * what the edition holds.
 */
const sendingFields = (kind: MailingKind, sendAt: string) => ['state', sendAt, ...ENGINE_FIELDS[kind].filter((field) => field !== 'cutoff')];

/** Fields never in the edit view: internal ones, written by code and meaningless to editors, and the sending's own. */
export const HIDDEN_FIELDS: Record<string, string[]> = {
  [CONTENT_TYPES.edition]: sendingFields('edition', 'scheduledAt'),
  [CONTENT_TYPES.campaign]: sendingFields('campaign', 'sendAt'),
  [CONTENT_TYPES.subscriber]: ['linkKey'],
};
