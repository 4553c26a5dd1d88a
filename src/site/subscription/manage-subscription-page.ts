/**
 * "Manage your subscription": where a web version without a token sends its unsubscribe and
 * preferences links. Personal pages need the signed link in the reader's own mail, so this page
 * says where to find it, and how to get one mailed (the sign-up form mails an already subscribed
 * reader their preferences link).
 */
import { archivePath } from '../archive/listing';
import { manageSubscriptionPath } from '../archive/web-version';
import { html } from '../../core/web/html';
import { renderLayout } from '../page-layout';
import type { PageContext } from './subscription-pages';
import type { Locale } from '../../core/domain/locale';

const OTHER: Record<Locale, Locale> = { nl: 'en', en: 'nl' };

const STRINGS = {
  nl: {
    manageTitle: 'Je abonnement wijzigen of opzeggen',
    manageIntro: 'Je persoonlijke links staan onderaan elke nieuwsbrief in je mailbox: zo weten we dat jij het bent, zonder wachtwoord.',
    preferencesHeading: 'Voorkeuren wijzigen',
    preferencesText: 'Klik onderaan een nieuwsbrief op "Voorkeuren aanpassen" om je thema\'s en taal te kiezen.',
    unsubscribeHeading: 'Afmelden',
    unsubscribeText: 'Klik onderaan een nieuwsbrief op "Afmelden": je krijgt een pagina met één knop en daarna geen nieuwsbrief meer.',
    lostHeading: 'Geen nieuwsbrief bij de hand?',
    lostText: 'Vul je e-mailadres in op het aanmeldformulier. Ben je al aangemeld, dan sturen we je een mail met je persoonlijke link.',
    signupLink: 'Naar het aanmeldformulier',
    archiveLink: 'Naar het nieuwsbriefarchief',
  },
  en: {
    manageTitle: 'Change or end your subscription',
    manageIntro: 'Your personal links are at the bottom of every newsletter in your inbox: that is how we know it is you, without a password.',
    preferencesHeading: 'Change your preferences',
    preferencesText: 'Click "Update preferences" at the bottom of a newsletter to choose your themes and language.',
    unsubscribeHeading: 'Unsubscribe',
    unsubscribeText: 'Click "Unsubscribe" at the bottom of a newsletter: you get a page with one button, and no newsletter after that.',
    lostHeading: 'No newsletter at hand?',
    lostText: 'Enter your address in the sign-up form. If you are already subscribed, we mail you your personal link.',
    signupLink: 'Go to the sign-up form',
    archiveLink: 'Go to the newsletter archive',
  },
} as const;

export function renderManageSubscriptionPage(ctx: PageContext): string {
  const s = STRINGS[ctx.locale];
  const body = html`<h1>${s.manageTitle}</h1>
<p>${s.manageIntro}</p>
<h2 id="preferences">${s.preferencesHeading}</h2>
<p>${s.preferencesText}</p>
<h2 id="unsubscribe">${s.unsubscribeHeading}</h2>
<p>${s.unsubscribeText}</p>
<h2>${s.lostHeading}</h2>
<p>${s.lostText}</p>
<p><a href="${`/newsletter?lang=${ctx.locale}`}">${s.signupLink}</a></p>
<p><a href="${archivePath(ctx.locale)}">${s.archiveLink}</a></p>
`;
  return renderLayout({
    locale: ctx.locale,
    title: s.manageTitle,
    networkName: ctx.networkName,
    privacyUrl: ctx.privacyUrl,
    body,
    languageSwitch: { href: manageSubscriptionPath(OTHER[ctx.locale]), locale: OTHER[ctx.locale] },
  });
}
