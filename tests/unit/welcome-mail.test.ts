import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUBSTITUTION_TAGS, createMailRenderer } from '../../src/mail/renderer';
import { renderWelcomeMail, welcomePreheader, welcomeText, type WelcomeMailModel } from '../../src/site/welcome/welcome-mail';

const SITE = 'https://zorgnetwerk.example';
const renderer = createMailRenderer({
  templatesDir: path.resolve(__dirname, '../../emails'),
  organisation: { name: 'Zorgnetwerk Rotterdam', postalAddress: 'Postbus 1234, Rotterdam', websiteUrl: SITE, privacyUrl: `${SITE}/privacy` },
});

function model(overrides: Partial<WelcomeMailModel> = {}): WelcomeMailModel {
  return {
    locale: 'nl',
    subject: 'Welkom bij Zorgnetwerk',
    text: 'Fijn dat je erbij bent.\n\nHieronder vind je de laatste nieuwsbrief.',
    latestEdition: { title: 'Leercultuur in december', url: `${SITE}/newsletter/editions/abc123?variant=nl%7C` },
    newestBundle: {
      title: 'Inspiratiebundel Leercultuur',
      summary: 'Artikelen, boeken en tools uit het lerend netwerk.',
      url: `${SITE}/inspiratie/inspiratiebundel-leercultuur`,
      imageUrl: `${SITE}/uploads/medium_bundel.png`,
      imageAlt: 'Stapel boeken op een bureau',
      imageWidth: 750,
      imageHeight: 500,
    },
    ...overrides,
  };
}

describe('the welcome mail', () => {
  it("carries the editors' subject and paragraphs, the latest edition's web version and the newest bundle", async () => {
    const mail = await renderWelcomeMail(renderer, model());
    expect(mail.subject).toBe('Welkom bij Zorgnetwerk');
    expect(mail.preheader).toBe('Fijn dat je erbij bent.');
    expect(mail.html).toContain('<p style="margin: 16px 0;">Fijn dat je erbij bent.</p>');
    expect(mail.html).toContain('<p style="margin: 16px 0;">Hieronder vind je de laatste nieuwsbrief.</p>');
    expect(mail.html).toContain('De laatste nieuwsbrief');
    expect(mail.html).toContain(`href="${SITE}/newsletter/editions/abc123?variant=nl%7C"`);
    expect(mail.html).toContain('Lees de laatste nieuwsbrief');
    expect(mail.html).toContain('De nieuwste inspiratiebundel');
    expect(mail.html).toContain(`href="${SITE}/inspiratie/inspiratiebundel-leercultuur"`);
    expect(mail.html).toMatch(/<img alt="Stapel boeken op een bureau" src="https:\/\/zorgnetwerk\.example\/uploads\/medium_bundel\.png"/);
    expect(mail.html).toMatch(/width="536" height="357"/);
    // The reader's own greeting and links are SendGrid substitutions, filled per recipient.
    for (const tag of [SUBSTITUTION_TAGS.greeting, SUBSTITUTION_TAGS.preferencesUrl, SUBSTITUTION_TAGS.unsubscribeUrl]) expect(mail.html).toContain(tag);
    expect(mail.text).toContain('Lees de laatste nieuwsbrief: https://zorgnetwerk.example/newsletter/editions/abc123?variant=nl%7C');
    expect(mail.text).toContain('Bekijk de bundel: https://zorgnetwerk.example/inspiratie/inspiratiebundel-leercultuur');
    // The text part reads as the html does: the bundle's summary right above its link, no blank line between.
    expect(mail.text).toContain(
      'Inspiratiebundel Leercultuur\nArtikelen, boeken en tools uit het lerend netwerk.\nBekijk de bundel: https://zorgnetwerk.example/inspiratie/inspiratiebundel-leercultuur\n',
    );
    expect(mail.text).not.toMatch(/\n\n\n/);
  });

  it('without an edition sent or a bundle published, leaves those parts out; without a subject, says welcome by the network', async () => {
    const mail = await renderWelcomeMail(renderer, model({ locale: 'en', subject: '', text: 'Good to have you.', latestEdition: null, newestBundle: null }));
    expect(mail.subject).toBe('Welcome to the newsletter of Zorgnetwerk Rotterdam');
    expect(mail.html).toContain('Good to have you.');
    expect(mail.html).not.toContain('The latest newsletter');
    expect(mail.html).not.toContain('The newest inspiration bundle');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('<html lang="en"');
  });

  it("escapes the editors' text in the html part", async () => {
    const mail = await renderWelcomeMail(renderer, model({ text: 'Tips & <b>trucs</b>', subject: 'A < B' }));
    expect(mail.html).toContain('Tips &amp; &lt;b&gt;trucs&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>trucs</b>');
  });

  it('is off in a language whose text is empty or only blank lines', () => {
    const texts = { subjectNl: 'Welkom', textNl: '  \n\n \n', subjectEn: '', textEn: 'Welcome.' };
    expect(welcomeText(texts, 'nl')).toBeNull();
    expect(welcomeText(texts, 'en')).toEqual({ subject: '', text: 'Welcome.' });
    expect(welcomeText(null, 'nl')).toBeNull();
  });

  it('takes its preheader from the first paragraph, cut on a word', () => {
    const long = `${'Elke maand sturen we je het nieuws uit het netwerk '.repeat(4)}en meer.`;
    const preheader = welcomePreheader(`${long}\n\nTweede alinea.`);
    expect(preheader.length).toBeLessThanOrEqual(141);
    expect(preheader.endsWith('…')).toBe(true);
    expect(long.startsWith(preheader.slice(0, -1))).toBe(true);
    expect(preheader.slice(0, -1)).not.toMatch(/\s$/);
  });
});
