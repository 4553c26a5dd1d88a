/**
 * The texts of the GDPR export, in Dutch and English: they travel inside the exported file and
 * explain each part of it to the person who asked for their data.
 */

export interface ExportExplanation {
  summary: string;
  subscriber: string;
  consent: string;
  deliveries: string;
}

export const EXPORT_EXPLANATION: { nl: ExportExplanation; en: ExportExplanation } = {
  nl: {
    summary: 'Alle gegevens die wij over u bewaren voor de nieuwsbrief, op het moment van exporteren (exportedAt).',
    subscriber:
      "Uw inschrijving: e-mailadres, naam, voorkeurstaal, gekozen thema's, status (pending = nog niet bevestigd, active = actief, unsubscribed = afgemeld, bounced = onbestelbaar, complained = als spam gemeld) en wanneer u bevestigde, zich afmeldde en wanneer de inschrijving is aangemaakt en laatst gewijzigd.",
    consent:
      'Uw toestemming: wanneer u die gaf, waar (bijvoorbeeld het inschrijfformulier), welke versie van de toestemmingstekst u zag, en een onomkeerbare hash van uw IP-adres (niet het adres zelf).',
    deliveries: 'Verzendingen: welke nieuwsbrieven naar u zijn verstuurd en wat er met de e-mail gebeurde. Leeg als er nog niets is verstuurd.',
  },
  en: {
    summary: 'Everything we hold about you for the newsletter, at the moment of export (exportedAt).',
    subscriber:
      'Your subscription: email address, name, preferred language, chosen themes, state (pending = not yet confirmed, active, unsubscribed, bounced = undeliverable, complained = reported as spam) and when you confirmed, unsubscribed, and when the subscription was created and last changed.',
    consent:
      'Your consent: when you gave it, where (for example the sign-up form), which version of the consent text you saw, and a one-way hash of your IP address (not the address itself).',
    deliveries: 'Deliveries: which newsletters were sent to you and what happened to the email. Empty when nothing has been sent yet.',
  },
};
