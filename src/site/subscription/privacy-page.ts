/**
 * The newsletter's privacy statement: what is stored about a subscriber, why, for how long, and
 * how to use one's rights. Served at /newsletter/privacy, the default PRIVACY_URL; organisations
 * with their own statement point PRIVACY_URL there instead.
 */
import { html } from '../../core/web/html';
import { renderLayout } from '../page-layout';
import { CONSENT_TEXT_VERSION } from '../strings';
import type { Locale } from '../../core/domain/locale';

export interface PrivacyFacts {
  networkName: string;
  postalAddress: string;
  pendingMaxAgeDays: number;
  unsubscribedRetentionDays: number;
  /**
   * MAIL_ENGAGEMENT_TRACKING (src/settings/mail.ts): when false, no request ever enables SendGrid's
   * open or click tracking (src/mail/outgoing-mail.ts, src/mailings/engine/send-batch.ts) and the page says so.
   */
  engagementTrackingAllowed?: boolean;
  /** MAIL_LINK_COUNTS (src/settings/item-counts.ts): whether items' openings are counted (per item and day, no person); the page says which. */
  itemCounts?: boolean;
}

/** What item counts keep (src/site/counts/): exactly what is counted, that no person is, and that it can be switched off. */
function itemCountSentence(locale: Locale, counting: boolean): string {
  if (!counting)
    return locale === 'nl'
      ? 'We tellen niet hoe vaak berichten worden geopend: de links in de nieuwsbrief gaan rechtstreeks naar het bericht.'
      : 'We do not count how often items are opened: the links in the newsletter lead straight to the item.';
  return locale === 'nl'
    ? 'We tellen hoe vaak elk bericht wordt geopend, per bericht en per dag: hoe vaak een link ernaar in een nieuwsbrief werd aangeklikt (die link loopt daarvoor via ons eigen adres en is dezelfde voor iedere lezer) en hoe vaak de pagina ervan op deze website werd bekeken. Dat zijn alleen aantallen: we bewaren daarbij niets over jou, geen e-mailadres, geen IP-adres, geen cookie en niets over je browser, dus niemand kan eruit afleiden wie wat las. De organisatie kan dit tellen uitzetten; dan gaan de links rechtstreeks naar het bericht.'
    : 'We count how often each item is opened, per item and per day: how often a link to it in a newsletter was clicked (that link goes through our own address for this, and is the same for every reader) and how often its page on this website was viewed. These are numbers only: we keep nothing about you with them, no email address, no IP address, no cookie and nothing about your browser, so no one can tell from them who read what. The organisation can switch this counting off; the links then lead straight to the item.';
}

function trackingSentence(locale: Locale, allowed: boolean): string {
  if (!allowed) return locale === 'nl' ? 'We volgen niet of je mails opent of op links klikt.' : 'We do not track whether you open mails or click links.';
  return locale === 'nl'
    ? 'Standaard volgen we niet of je mails opent of op links klikt. Alleen voor een mailing waarvoor de redactie dat aanzet, meet onze verzendpartij of je die opent en op welke links je klikt; we tellen dat per mailing, om de nieuwsbrief te verbeteren.'
    : 'By default we do not track whether you open mails or click links. Only for a mailing for which the editors switch it on does our sending provider measure whether you open it and which links you click; we count that per mailing, to improve the newsletter.';
}

const TEXT: Record<Locale, (facts: PrivacyFacts) => { title: string; sections: Array<[string, string[]]> }> = {
  nl: (f) => ({
    title: 'Privacyverklaring nieuwsbrief',
    sections: [
      [
        'Wat we bewaren',
        [
          `Je e-mailadres, je naam als je die opgeeft, je taal en de thema's die je kiest. Daarnaast leggen we je toestemming vast: wanneer je je aanmeldde, via welke pagina, welke versie van de toestemmingstekst je zag (nu ${CONSENT_TEXT_VERSION}) en een versleutelde afgeleide van je IP-adres (niet het adres zelf).`,
          `Per verzonden nieuwsbrief bewaren we of die aan onze verzendpartij is aangeboden en wat die over de bezorging meldt: afgeleverd, vertraagd, geweigerd door je mailbox (een bounce), als spam gemarkeerd of afgemeld via je mailprogramma. Na een harde bounce, een spammelding of zo'n afmelding sturen we je geen nieuwsbrief meer; we bewaren waarom en wanneer. ${trackingSentence('nl', f.engagementTrackingAllowed ?? false)}`,
          'Daarnaast bewaren we per dag alleen totalen zonder namen of adressen (hoeveel lezers er zijn, per taal en thema, en hoeveel zich die dag aan- of afmeldden), ook nadat we jouw gegevens wissen.',
          itemCountSentence('nl', f.itemCounts ?? true),
        ],
      ],
      [
        'Waarom',
        [
          `Om je de maandelijkse nieuwsbrief van ${f.networkName} te sturen, in jouw taal en over jouw thema's, en om te kunnen aantonen dat je daar toestemming voor gaf.`,
        ],
      ],
      [
        'Hoe lang',
        [
          `Bevestig je je aanmelding niet, dan wissen we je gegevens na ${f.pendingMaxAgeDays} dagen.`,
          `Meld je je af, dan wissen we direct je naam en thema's; je e-mailadres bewaren we nog ${f.unsubscribedRetentionDays} dagen om je afmelding te respecteren voor mails die al onderweg waren, daarna wissen we alles.`,
        ],
      ],
      [
        'Je rechten',
        [
          `Je kunt je voorkeuren wijzigen of je afmelden via de links onder elke nieuwsbrief. Wil je weten welke gegevens we van je hebben, of wil je dat we alles wissen? Schrijf naar ${f.networkName}, ${f.postalAddress}, of reageer op een nieuwsbrief: we sturen je een kopie of wissen je gegevens.`,
        ],
      ],
      ['Verwerkers', ['We verzenden via SendGrid (Twilio). Zij krijgen alleen wat nodig is om de mail af te leveren.']],
    ],
  }),
  en: (f) => ({
    title: 'Newsletter privacy statement',
    sections: [
      [
        'What we keep',
        [
          `Your email address, your name if you give it, your language and the themes you choose. We also record your consent: when you signed up, from which page, which version of the consent text you saw (now ${CONSENT_TEXT_VERSION}) and a keyed hash of your IP address (not the address itself).`,
          `For each newsletter we keep whether it was handed to our sending provider and what it reports about the delivery: delivered, delayed, refused by your mailbox (a bounce), marked as spam or unsubscribed through your mail app. After a hard bounce, a spam report or such an unsubscribe we send you no more newsletters; we keep why and when. ${trackingSentence('en', f.engagementTrackingAllowed ?? false)}`,
          'We also keep daily totals without names or addresses (how many readers there are, per language and theme, and how many signed up or left that day), also after we erase your data.',
          itemCountSentence('en', f.itemCounts ?? true),
        ],
      ],
      [
        'Why',
        [`To send you the monthly newsletter of ${f.networkName}, in your language and about your themes, and to be able to show that you consented to it.`],
      ],
      [
        'How long',
        [
          `If you do not confirm your sign-up, we erase your data after ${f.pendingMaxAgeDays} days.`,
          `If you unsubscribe, we erase your name and themes at once; we keep your email address for ${f.unsubscribedRetentionDays} more days to honour your unsubscribe for mail already on its way, then erase everything.`,
        ],
      ],
      [
        'Your rights',
        [
          `Change your preferences or unsubscribe with the links under every newsletter. To get a copy of your data or have it all erased, write to ${f.networkName}, ${f.postalAddress}, or reply to a newsletter.`,
        ],
      ],
      ['Processors', ['We send through SendGrid (Twilio). They receive only what is needed to deliver the mail.']],
    ],
  }),
};

export function renderPrivacyPage(locale: Locale, facts: PrivacyFacts, privacyUrl: string): string {
  const text = TEXT[locale](facts);
  const other: Locale = locale === 'nl' ? 'en' : 'nl';
  const body = html`<h1>${text.title}</h1>
${text.sections.map(
  ([heading, paragraphs]) => html`<h2>${heading}</h2>
${paragraphs.map(
  (paragraph) => html`<p>${paragraph}</p>
`,
)}`,
)}`;
  return renderLayout({
    locale,
    title: text.title,
    networkName: facts.networkName,
    privacyUrl,
    body,
    indexable: true,
    languageSwitch: { href: `/newsletter/privacy?lang=${other}`, locale: other },
  });
}
