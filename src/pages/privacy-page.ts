/**
 * The newsletter's privacy statement: what is stored about a subscriber, why, for how long, and
 * how to use one's rights. Served at /newsletter/privacy, the default PRIVACY_URL; organisations
 * with their own statement point PRIVACY_URL there instead.
 */
import { html, renderLayout } from './html';
import { CONSENT_TEXT_VERSION, type Locale } from './strings';
import { NO_TRACKING, type MailTracking } from '../mail/outgoing-mail';

export interface PrivacyFacts {
  networkName: string;
  postalAddress: string;
  pendingMaxAgeDays: number;
  unsubscribedRetentionDays: number;
  /** What every SendGrid request sets (src/mail/outgoing-mail.ts): the page promises exactly that. */
  tracking?: MailTracking;
}

function trackingSentence(locale: Locale, tracking: MailTracking): string {
  const measured = [tracking.opens && (locale === 'nl' ? 'of je mails opent' : 'whether you open mails'), tracking.clicks && (locale === 'nl' ? 'op welke links je klikt' : 'which links you click')].filter(Boolean);
  if (measured.length === 0) return locale === 'nl' ? 'We volgen niet of je mails opent of op links klikt.' : 'We do not track whether you open mails or click links.';
  return locale === 'nl' ? `We meten ${measured.join(' en ')}, om de nieuwsbrief te verbeteren.` : `We measure ${measured.join(' and ')}, to improve the newsletter.`;
}

const TEXT: Record<Locale, (facts: PrivacyFacts) => { title: string; sections: Array<[string, string[]]> }> = {
  nl: (f) => ({
    title: 'Privacyverklaring nieuwsbrief',
    sections: [
      ['Wat we bewaren', [
        `Je e-mailadres, je naam als je die opgeeft, je taal en de thema's die je kiest. Daarnaast leggen we je toestemming vast: wanneer je je aanmeldde, via welke pagina, welke versie van de toestemmingstekst je zag (nu ${CONSENT_TEXT_VERSION}) en een versleutelde afgeleide van je IP-adres (niet het adres zelf).`,
        `Per verzonden nieuwsbrief bewaren we of die aan onze verzendpartij is aangeboden. ${trackingSentence('nl', f.tracking ?? NO_TRACKING)}`,
      ]],
      ['Waarom', [`Om je de maandelijkse nieuwsbrief van ${f.networkName} te sturen, in jouw taal en over jouw thema's, en om te kunnen aantonen dat je daar toestemming voor gaf.`]],
      ['Hoe lang', [
        `Bevestig je je aanmelding niet, dan wissen we je gegevens na ${f.pendingMaxAgeDays} dagen.`,
        `Meld je je af, dan wissen we direct je naam en thema's; je e-mailadres bewaren we nog ${f.unsubscribedRetentionDays} dagen om je afmelding te respecteren voor mails die al onderweg waren, daarna wissen we alles.`,
      ]],
      ['Je rechten', [`Je kunt je voorkeuren wijzigen of je afmelden via de links onder elke nieuwsbrief. Wil je weten welke gegevens we van je hebben, of wil je dat we alles wissen? Schrijf naar ${f.networkName}, ${f.postalAddress}, of reageer op een nieuwsbrief: we sturen je een kopie of wissen je gegevens.`]],
      ['Verwerkers', ['We verzenden via SendGrid (Twilio). Zij krijgen alleen wat nodig is om de mail af te leveren.']],
    ],
  }),
  en: (f) => ({
    title: 'Newsletter privacy statement',
    sections: [
      ['What we keep', [
        `Your email address, your name if you give it, your language and the themes you choose. We also record your consent: when you signed up, from which page, which version of the consent text you saw (now ${CONSENT_TEXT_VERSION}) and a keyed hash of your IP address (not the address itself).`,
        `For each newsletter we keep whether it was handed to our sending provider. ${trackingSentence('en', f.tracking ?? NO_TRACKING)}`,
      ]],
      ['Why', [`To send you the monthly newsletter of ${f.networkName}, in your language and about your themes, and to be able to show that you consented to it.`]],
      ['How long', [
        `If you do not confirm your sign-up, we erase your data after ${f.pendingMaxAgeDays} days.`,
        `If you unsubscribe, we erase your name and themes at once; we keep your email address for ${f.unsubscribedRetentionDays} more days to honour your unsubscribe for mail already on its way, then erase everything.`,
      ]],
      ['Your rights', [`Change your preferences or unsubscribe with the links under every newsletter. To get a copy of your data or have it all erased, write to ${f.networkName}, ${f.postalAddress}, or reply to a newsletter.`]],
      ['Processors', ['We send through SendGrid (Twilio). They receive only what is needed to deliver the mail.']],
    ],
  }),
};

export function renderPrivacyPage(locale: Locale, facts: PrivacyFacts, privacyUrl: string): string {
  const text = TEXT[locale](facts);
  const other: Locale = locale === 'nl' ? 'en' : 'nl';
  const body = html`<h1>${text.title}</h1>
${text.sections.map(([heading, paragraphs]) => html`<h2>${heading}</h2>
${paragraphs.map((paragraph) => html`<p>${paragraph}</p>
`)}`)}`;
  return renderLayout({ locale, title: text.title, networkName: facts.networkName, privacyUrl, body, indexable: true, languageSwitch: { href: `/newsletter/privacy?lang=${other}`, locale: other } });
}
