/**
 * What the stored suppression reason (src/mailings/feedback/events.ts `suppressionFor`: the event,
 * then SendGrid's own words) means, in a sentence an editor reads in the admin's language. The
 * stored text itself stays as SendGrid wrote it: it is the evidence, shown in full beside this.
 */
export type SuppressionCause = 'hard-bounce' | 'dropped-invalid' | 'dropped-spam' | 'dropped-unsubscribed' | 'spam-report' | 'mailbox-unsubscribe' | 'other';

const SENTENCES: Record<SuppressionCause, { nl: string; en: string }> = {
  'hard-bounce': {
    nl: 'Het adres bestaat niet (meer) of weigert mail blijvend (harde bounce).',
    en: 'The address does not exist (any more) or refuses mail for good (hard bounce).',
  },
  'dropped-invalid': {
    nl: 'SendGrid verstuurde niets: het adres is ongeldig of bouncete eerder.',
    en: 'SendGrid sent nothing: the address is invalid or bounced before.',
  },
  'dropped-spam': {
    nl: 'SendGrid verstuurde niets: vanaf dit adres is eerder een mail als spam gemeld.',
    en: 'SendGrid sent nothing: this address reported a mail as spam before.',
  },
  'dropped-unsubscribed': {
    nl: 'SendGrid verstuurde niets: dit adres meldde zich eerder bij SendGrid af.',
    en: 'SendGrid sent nothing: this address unsubscribed at SendGrid before.',
  },
  'spam-report': {
    nl: 'De lezer markeerde een mail als spam in de mailbox. Alleen een beheerder kan dit opheffen.',
    en: 'The reader marked a mail as spam in their mailbox. Only an admin can lift this.',
  },
  'mailbox-unsubscribe': {
    nl: 'De lezer meldde zich af met de afmeldknop van de mailbox (bijvoorbeeld in Gmail).',
    en: "The reader unsubscribed with their mailbox's unsubscribe button (for example in Gmail).",
  },
  other: { nl: 'Reden zoals SendGrid die gaf:', en: 'The reason as SendGrid gave it:' },
};

export function suppressionCause(stored: string): SuppressionCause {
  const text = stored.trim();
  if (/^bounce\b/i.test(text)) return 'hard-bounce';
  if (/^dropped\b/i.test(text)) {
    if (/spam reporting address/i.test(text)) return 'dropped-spam';
    if (/unsubscribed address/i.test(text)) return 'dropped-unsubscribed';
    if (/invalid|bounced address/i.test(text)) return 'dropped-invalid';
    return 'other';
  }
  if (/^spam report\b/i.test(text)) return 'spam-report';
  if (/^unsubscribed through the mailbox provider\b/i.test(text)) return 'mailbox-unsubscribe';
  return 'other';
}

export function explainSuppression(stored: string, locale: 'nl' | 'en'): string {
  return SENTENCES[suppressionCause(stored)][locale];
}
