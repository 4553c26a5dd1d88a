/** Everything a reader sees on the hosted subscription pages, per locale. */
import type { Locale } from '../core/domain/locale';

/**
 * Recorded with every sign-up as proof of what the person agreed to.
 * Change this version whenever the consent text below changes, in either language.
 */
export const CONSENT_TEXT_VERSION = '2026-11';

const CONSENT: Record<Locale, string> = {
  nl: 'Ja, ik wil de maandelijkse nieuwsbrief van het netwerk ontvangen. Mijn gegevens worden gebruikt zoals beschreven in de privacyverklaring. Ik kan me op elk moment afmelden.',
  en: "Yes, I want to receive the network's monthly newsletter. My data is handled as described in the privacy statement. I can unsubscribe at any time.",
};

export function consentText(locale: Locale): string {
  return CONSENT[locale];
}

/** Language names in their own language, so a reader recognises theirs whatever the page language. */
export const LANGUAGE_NAMES: Record<Locale, string> = { nl: 'Nederlands', en: 'English' };
/** The language-switch link, written in the language it switches to. */
export const SWITCH_TO: Record<Locale, string> = { nl: 'Lees in het Nederlands', en: 'Read in English' };

export interface PageStrings {
  skipLink: string;
  privacyStatement: string;
  errorTitlePrefix: string;
  errorSummaryTitle: string;
  errorPrefix: string;
  optional: string;
  email: string;
  name: string;
  localeLegend: string;
  themesLegend: string;
  themesHint: string;
  /** Sentence around the privacy link: [before, link text, after]. */
  privacyHint: [string, string, string];
  honeypotLabel: string;
  signup: { title: string; intro: (network: string) => string; submit: string };
  checkInbox: { title: string; paragraphs: string[] };
  confirm: { title: string; text: (network: string) => string; button: string };
  confirmed: { title: string; text: (network: string) => string; changeQuestion: string; changeLink: string };
  preferences: { title: string; intro: (network: string) => string; saved: string; submit: string; unsubscribeQuestion: string; unsubscribeLink: string };
  unsubscribe: { title: string; text: (network: string) => string; button: string };
  unsubscribed: { title: string; text: (network: string) => string; againQuestion: string; againLink: string };
  invalidLink: { expiredTitle: string; expiredText: string; invalidTitle: string; invalidText: string; next: string; link: string };
  /**
   * A confirm link of an address that was unsubscribed, bounced or complained: it says why in one
   * sentence for all three (the page names no state of the address), and how to sign up again.
   */
  suppressedLink: { title: string; text: string; next: string; contact: (network: string) => string };
  tooManyRequests: { title: string; text: string; retry: (seconds: number) => string };
  tooLarge: { title: string; formMessage: (kib: number) => string; back: string };
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Rounds up to whole minutes from a minute on, so "try again in 2 minutes" is never too early. */
function waitTime(seconds: number, units: { s: [string, string]; m: [string, string] }): string | null {
  if (!Number.isFinite(seconds) || seconds <= 0) return null;
  return seconds < 60 ? plural(Math.ceil(seconds), ...units.s) : plural(Math.ceil(seconds / 60), ...units.m);
}

const nl: PageStrings = {
  skipLink: 'Direct naar de inhoud',
  privacyStatement: 'Privacyverklaring',
  errorTitlePrefix: 'Fout',
  errorSummaryTitle: 'Controleer de volgende punten',
  errorPrefix: 'Fout:',
  optional: '(niet verplicht)',
  email: 'E-mailadres',
  name: 'Naam',
  localeLegend: 'In welke taal wil je de nieuwsbrief ontvangen?',
  themesLegend: "Over welke thema's wil je lezen?",
  themesHint: "Kies je geen thema, dan ontvang je het nieuws over alle thema's.",
  privacyHint: ['Lees in de ', 'privacyverklaring', ' hoe we met je gegevens omgaan.'],
  honeypotLabel: 'Laat dit veld leeg',
  signup: {
    title: 'Aanmelden voor de nieuwsbrief',
    intro: (network) => `Eén keer per maand het nieuws, de agenda en handige informatie van ${network} in je mailbox.`,
    submit: 'Aanmelden',
  },
  checkInbox: {
    title: 'Kijk in je mailbox',
    paragraphs: [
      'Bijna klaar! We hebben je een e-mail gestuurd met een bevestigingslink. Klik op die link om je aanmelding af te ronden.',
      'Pas na je bevestiging ontvang je de nieuwsbrief.',
      'Geen e-mail gezien? Kijk ook in je map met spam of ongewenste e-mail. Het kan een paar minuten duren.',
    ],
  },
  confirm: {
    title: 'Bevestig je aanmelding',
    text: (network) => `Klik op de knop hieronder om je aanmelding voor de nieuwsbrief van ${network} te bevestigen.`,
    button: 'Ja, ik wil de nieuwsbrief ontvangen',
  },
  confirmed: {
    title: 'Je aanmelding is bevestigd',
    text: (network) => `Dank je wel! Vanaf de volgende editie ontvang je de nieuwsbrief van ${network}.`,
    changeQuestion: "Wil je andere thema's of een andere taal?",
    changeLink: 'Pas je voorkeuren aan',
  },
  preferences: {
    title: 'Je voorkeuren',
    intro: (network) => `Kies in welke taal en over welke thema's je de nieuwsbrief van ${network} ontvangt.`,
    saved: 'Je voorkeuren zijn opgeslagen.',
    submit: 'Voorkeuren opslaan',
    unsubscribeQuestion: 'Wil je de nieuwsbrief niet meer ontvangen?',
    unsubscribeLink: 'Afmelden',
  },
  unsubscribe: {
    title: 'Afmelden voor de nieuwsbrief',
    text: (network) => `Jammer dat je gaat. Klik op de knop hieronder om je af te melden. Daarna ontvang je geen nieuwsbrieven meer van ${network}.`,
    button: 'Ja, meld mij af',
  },
  unsubscribed: {
    title: 'Je bent afgemeld',
    text: (network) => `Je ontvangt geen nieuwsbrieven meer van ${network}.`,
    againQuestion: 'Per ongeluk afgemeld, of later toch weer interesse?',
    againLink: 'Meld je opnieuw aan',
  },
  invalidLink: {
    expiredTitle: 'Deze link is verlopen',
    expiredText: 'Voor je veiligheid werken de links in onze e-mails maar een tijdje.',
    invalidTitle: 'Deze link werkt niet',
    invalidText: 'Misschien is de link niet helemaal meegekopieerd, of is hij al eerder gebruikt.',
    next: 'Vul het aanmeldformulier opnieuw in, dan sturen we je een nieuwe link.',
    link: 'Naar het aanmeldformulier',
  },
  suppressedLink: {
    title: 'Deze aanmelding kan niet meer worden bevestigd',
    text: 'Dit e-mailadres is afgemeld voor de nieuwsbrief, of we kunnen er geen e-mail meer naartoe sturen. Daarom kan het niet met deze link worden bevestigd.',
    next: 'Wil je de nieuwsbrief toch ontvangen? Meld je opnieuw aan met het aanmeldformulier, dan sturen we je een nieuwe bevestigingsmail.',
    contact: (network) => `Komt die mail niet aan? Neem dan contact op met ${network}`,
  },
  tooManyRequests: {
    title: 'Even geduld',
    text: 'Er zijn in korte tijd te veel pogingen gedaan.',
    retry: (seconds) => {
      const wait = waitTime(seconds, { s: ['seconde', 'seconden'], m: ['minuut', 'minuten'] });
      return wait ? `Probeer het over ${wait} opnieuw.` : 'Probeer het zo meteen opnieuw.';
    },
  },
  tooLarge: {
    title: 'Te veel tekst',
    formMessage: (kib) =>
      `Wat je hebt ingevuld is te lang (samen hoogstens ${kib} KiB), dus er is niets opgeslagen. Vul het formulier opnieuw in, met kortere antwoorden.`,
    back: 'Terug naar het aanmeldformulier',
  },
};

const en: PageStrings = {
  skipLink: 'Skip to content',
  privacyStatement: 'Privacy statement',
  errorTitlePrefix: 'Error',
  errorSummaryTitle: 'Please check the following',
  errorPrefix: 'Error:',
  optional: '(optional)',
  email: 'Email address',
  name: 'Name',
  localeLegend: 'Which language would you like the newsletter in?',
  themesLegend: 'Which themes would you like to read about?',
  themesHint: 'If you choose none, you will receive news on all themes.',
  privacyHint: ['Read the ', 'privacy statement', ' to see how we handle your data.'],
  honeypotLabel: 'Leave this field empty',
  signup: {
    title: 'Sign up for the newsletter',
    intro: (network) => `Once a month, the news, events and useful resources from ${network} in your inbox.`,
    submit: 'Sign up',
  },
  checkInbox: {
    title: 'Check your inbox',
    paragraphs: [
      'Almost done! We have sent you an email with a confirmation link. Click that link to complete your sign-up.',
      'You will only receive the newsletter once you have confirmed.',
      'No email? Check your spam or junk folder too. It can take a few minutes to arrive.',
    ],
  },
  confirm: {
    title: 'Confirm your subscription',
    text: (network) => `Click the button below to confirm your subscription to the ${network} newsletter.`,
    button: 'Yes, I want to receive the newsletter',
  },
  confirmed: {
    title: 'Your subscription is confirmed',
    text: (network) => `Thank you! You will receive the ${network} newsletter from the next issue onwards.`,
    changeQuestion: 'Would you like different themes or another language?',
    changeLink: 'Change your preferences',
  },
  preferences: {
    title: 'Your preferences',
    intro: (network) => `Choose the language and the themes of your ${network} newsletter.`,
    saved: 'Your preferences have been saved.',
    submit: 'Save preferences',
    unsubscribeQuestion: 'No longer want to receive the newsletter?',
    unsubscribeLink: 'Unsubscribe',
  },
  unsubscribe: {
    title: 'Unsubscribe from the newsletter',
    text: (network) => `Sorry to see you go. Click the button below to unsubscribe. You will then no longer receive newsletters from ${network}.`,
    button: 'Yes, unsubscribe me',
  },
  unsubscribed: {
    title: 'You have been unsubscribed',
    text: (network) => `You will no longer receive newsletters from ${network}.`,
    againQuestion: 'Unsubscribed by mistake, or interested again later?',
    againLink: 'Sign up again',
  },
  invalidLink: {
    expiredTitle: 'This link has expired',
    expiredText: 'For your security, the links in our emails only work for a limited time.',
    invalidTitle: 'This link does not work',
    invalidText: 'Perhaps the link was not copied completely, or it has already been used.',
    next: 'Fill in the sign-up form again and we will send you a new link.',
    link: 'Go to the sign-up form',
  },
  suppressedLink: {
    title: 'This sign-up can no longer be confirmed',
    text: 'This email address was unsubscribed from the newsletter, or we can no longer send email to it. That is why it cannot be confirmed with this link.',
    next: 'Would you still like to receive the newsletter? Sign up again with the sign-up form and we will send you a new confirmation email.',
    contact: (network) => `Does that email not arrive? Then please contact ${network}`,
  },
  tooManyRequests: {
    title: 'Please wait a moment',
    text: 'There have been too many attempts in a short time.',
    retry: (seconds) => {
      const wait = waitTime(seconds, { s: ['second', 'seconds'], m: ['minute', 'minutes'] });
      return wait ? `Please try again in ${wait}.` : 'Please try again in a moment.';
    },
  },
  tooLarge: {
    title: 'Too much text',
    formMessage: (kib) => `What you entered is too long (at most ${kib} KiB in all), so nothing was saved. Please fill in the form again with shorter answers.`,
    back: 'Back to the sign-up form',
  },
};

const STRINGS: Record<Locale, PageStrings> = { nl, en };

export function pageStrings(locale: Locale): PageStrings {
  return STRINGS[locale];
}
