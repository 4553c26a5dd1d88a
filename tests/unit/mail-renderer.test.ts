import { mailLinks } from '../../src/mail/transactional-mail';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect, afterAll } from 'vitest';
import { applySubstitutions, createMailRenderer, greetingFor, SUBSTITUTION_TAGS, type Organisation, type TemplateName } from '../../src/mail/renderer';
import type { Locale } from '../../src/core/domain/locale';

const EMAILS_DIR = path.resolve(__dirname, '../../emails');

const ORGANISATION: Organisation = {
  name: 'Zorgnetwerk Midden-Utrecht',
  postalAddress: 'Postbus 1234, 3500 BK Utrecht',
  websiteUrl: 'https://zorgnetwerk.example/?ref=mail&src=nieuwsbrief',
  privacyUrl: 'https://zorgnetwerk.example/privacy',
};

const TEMPLATES: TemplateName[] = ['confirmation', 'already-subscribed'];
const LOCALES: Locale[] = ['nl', 'en'];
const DATA = { expiryDays: 7 };

function renderer(options: { organisation?: Organisation; cache?: boolean; templatesDir?: string } = {}) {
  return createMailRenderer({ templatesDir: EMAILS_DIR, organisation: ORGANISATION, ...options });
}

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A copy of emails/ with one file changed, for tests that need a broken or extended template. */
function emailsCopyWith(file: string, change: (source: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netwerkpost-emails-'));
  tempDirs.push(dir);
  fs.cpSync(EMAILS_DIR, dir, { recursive: true });
  const target = path.join(dir, file);
  fs.writeFileSync(target, change(fs.readFileSync(target, 'utf8')));
  return dir;
}

function readStrings(locale: Locale): Record<string, Record<string, unknown>> {
  return JSON.parse(fs.readFileSync(path.join(EMAILS_DIR, 'strings', `${locale}.json`), 'utf8'));
}

function escaped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;');
}

describe('mail renderer: every template in every locale', () => {
  const shared = renderer();

  for (const template of TEMPLATES) {
    for (const locale of LOCALES) {
      describe(`${template} (${locale})`, () => {
        const mail = () => shared.render(template, locale, DATA);
        const strings = readStrings(locale)[template] as Record<string, string>;

        it('renders subject, preheader, html and text from the strings', async () => {
          const { subject, preheader, html, text } = await mail();
          expect(subject).toBe(strings.subject.replace('{{org.name}}', ORGANISATION.name));
          expect(preheader).toBe(strings.preheader);
          expect(html.startsWith('<!doctype html>')).toBe(true);
          expect(text.length).toBeGreaterThan(200);
          expect(`${html}\n${text}`).not.toMatch(/\{\{|\}\}/);
        });

        it('sets lang on the html element, a 600 px layout and the color-scheme meta', async () => {
          const { html } = await mail();
          expect(html).toMatch(new RegExp(`<html lang="${locale}"`));
          expect(html).toContain('max-width:600px');
          expect(html).toContain('<meta name="color-scheme" content="light dark">');
          expect(html).toContain('prefers-color-scheme: dark');
        });

        it('carries the preheader as hidden preview text', async () => {
          const { html } = await mail();
          expect(html).toMatch(new RegExp(`<div style="display:none;[^"]*">${escaped(strings.preheader)}(&#847;&zwnj;&nbsp;){60,}</div>`));
        });

        it('has the greeting tag in both parts', async () => {
          const { html, text } = await mail();
          expect(html).toContain(`<p style="margin: 16px 0;">${SUBSTITUTION_TAGS.greeting}</p>`);
          expect(text).toContain(`${SUBSTITUTION_TAGS.greeting}\n`);
        });

        it('has the postal address, website and privacy links in the footer', async () => {
          const { html, text } = await mail();
          expect(html).toContain(`${ORGANISATION.name} &middot; ${ORGANISATION.postalAddress}`);
          expect(html).toContain(`href="${escaped(ORGANISATION.websiteUrl)}"`);
          expect(html).toContain(`href="${ORGANISATION.privacyUrl}"`);
          expect(text).toContain(`${ORGANISATION.name} · ${ORGANISATION.postalAddress}`);
          expect(text).toContain(ORGANISATION.websiteUrl);
          expect(text).toContain(ORGANISATION.privacyUrl);
        });

        it('gives every image an alt text', async () => {
          const { html } = await mail();
          for (const img of html.match(/<img\b[^>]*>/gi) ?? []) expect(img).toMatch(/\balt="[^"]*"/);
        });

        it('loads nothing from outside the mail (no remote fonts, images, styles or scripts)', async () => {
          const { html } = await mail();
          expect(html).not.toMatch(/\b(?:src|background|poster)\s*=\s*["']?\s*(?:https?:)?\/\//i);
          expect(html).not.toMatch(/url\(\s*["']?\s*(?:https?:)?\/\//i);
          expect(html).not.toMatch(/<link\b|@import|<script\b/i);
        });
      });
    }
  }
});

describe('pages opened from a mail speak its language', () => {
  it("links the hosted privacy statement with the mail's language; an organisation's own statement as given", async () => {
    const hosted = createMailRenderer({
      templatesDir: EMAILS_DIR,
      organisation: { ...ORGANISATION, privacyUrl: 'https://cms.example.org/newsletter/privacy' },
    });
    expect((await hosted.render('confirmation', 'en', { expiryDays: 7 })).html).toContain('href="https://cms.example.org/newsletter/privacy?lang=en"');
    expect((await hosted.render('confirmation', 'nl', { expiryDays: 7 })).text).toContain('https://cms.example.org/newsletter/privacy?lang=nl');
    expect((await renderer().render('confirmation', 'en', { expiryDays: 7 })).html).toContain(`href="${ORGANISATION.privacyUrl}"`);
  });

  it("signed links carry the mail's language, so even a page for a link that no longer works speaks it", () => {
    const links = mailLinks('https://cms.example.org', 'k'.repeat(22), 'secret', { locale: 'en' });
    for (const link of Object.values(links)) expect(new URL(link).searchParams.get('lang')).toBe('en');
    expect(new URL(mailLinks('https://cms.example.org', 'k'.repeat(22), 'secret').unsubscribe).searchParams.has('lang')).toBe(false);
  });
});

describe('confirmation mail', () => {
  const shared = renderer();

  it('puts %confirm_url% in the button href and as visible link, and in the text part', async () => {
    const { html, text } = await shared.render('confirmation', 'nl', DATA);
    expect(html.match(/href="%confirm_url%"/g)?.length).toBe(2);
    expect(html).toContain('>%confirm_url%</a>');
    expect(text).toContain(`\n${SUBSTITUTION_TAGS.confirmUrl}\n`);
    expect(html).toContain('Aanmelding bevestigen');
  });

  it('says the link expires after the given number of days, with correct plurals', async () => {
    const nl7 = await shared.render('confirmation', 'nl', { expiryDays: 7 });
    const nl1 = await shared.render('confirmation', 'nl', { expiryDays: 1 });
    const en7 = await shared.render('confirmation', 'en', { expiryDays: 7 });
    const en1 = await shared.render('confirmation', 'en', { expiryDays: 1 });
    expect(nl7.text).toContain('De link is 7 dagen geldig.');
    expect(nl1.text).toContain('De link is 1 dag geldig.');
    expect(en7.html).toContain('This link is valid for 7 days.');
    expect(en1.html).toContain('This link is valid for 1 day.');
  });

  it('explains that ignoring it is safe and has no unsubscribe or preferences link', async () => {
    for (const locale of LOCALES) {
      const { html, text } = await shared.render('confirmation', locale, DATA);
      const common = readStrings(locale).common as Record<string, string>;
      expect(text).toContain(common.optinIgnore);
      for (const part of [html, text]) {
        expect(part).not.toContain(SUBSTITUTION_TAGS.unsubscribeUrl);
        expect(part).not.toContain(SUBSTITUTION_TAGS.preferencesUrl);
        expect(part).not.toContain(common.unsubscribe);
      }
    }
  });

  it('fails clearly when expiryDays is missing', async () => {
    await expect(shared.render('confirmation', 'nl', {})).rejects.toThrow(/confirmation.*data\.expiryDays must be a number/);
    await expect(shared.render('confirmation', 'nl', { expiryDays: null })).rejects.toThrow(/expiryDays/);
  });
});

describe('already-subscribed mail', () => {
  it('links to the preferences (button, visible link, text) and has the subscriber footer', async () => {
    const { html, text } = await renderer().render('already-subscribed', 'en', {});
    expect(html.match(/href="%preferences_url%"/g)?.length).toBe(3);
    expect(html).toContain('href="%unsubscribe_url%"');
    expect(html).toContain('Manage preferences');
    expect(text).toContain(`Manage preferences:\n${SUBSTITUTION_TAGS.preferencesUrl}\n`);
    expect(text).toContain(`Unsubscribe: ${SUBSTITUTION_TAGS.unsubscribeUrl}`);
    expect(text).not.toContain(SUBSTITUTION_TAGS.confirmUrl);
  });
});

describe('the final mail per recipient (what SendGrid does with the tags)', () => {
  it('applySubstitutions + greetingFor produce a complete confirmation mail', async () => {
    const mail = await renderer().render('confirmation', 'nl', DATA);
    const substitutions = {
      [SUBSTITUTION_TAGS.confirmUrl]: 'https://zorgnetwerk.example/bevestigen?token=abc123',
      [SUBSTITUTION_TAGS.greeting]: greetingFor('nl', 'Anna'),
    };
    const html = applySubstitutions(mail.html, substitutions);
    const text = applySubstitutions(mail.text, substitutions);
    expect(html).toContain('href="https://zorgnetwerk.example/bevestigen?token=abc123"');
    expect(html).toContain('<p style="margin: 16px 0;">Hallo Anna,</p>');
    expect(text).toContain('Hallo Anna,\n');
    expect(text).toContain('\nhttps://zorgnetwerk.example/bevestigen?token=abc123\n');
    for (const tag of Object.values(SUBSTITUTION_TAGS)) expect(`${html}${text}`).not.toContain(tag);
  });

  it('greetingFor reads well with and without a name', () => {
    expect(greetingFor('nl', 'Anna')).toBe('Hallo Anna,');
    expect(greetingFor('nl')).toBe('Hallo,');
    expect(greetingFor('nl', null)).toBe('Hallo,');
    expect(greetingFor('nl', '   ')).toBe('Hallo,');
    expect(greetingFor('en', 'Anna')).toBe('Hi Anna,');
    expect(greetingFor('en', '')).toBe('Hello,');
    expect(greetingFor('en', "  Seán   O'Brien ")).toBe("Hi Seán O'Brien,");
  });

  it('greetingFor keeps markup and substitution tags out of the (unescaped) greeting', () => {
    expect(greetingFor('nl', '<script>alert(1)</script>Anna')).toBe('Hallo scriptalert(1)/scriptAnna,');
    expect(greetingFor('en', 'Bob %unsubscribe_url%')).toBe('Hi Bob unsubscribe_url,');
    expect(greetingFor('nl', 'Anna\r\nBcc: x')).toBe('Hallo Anna Bcc: x,');
  });

  it('applySubstitutions replaces every occurrence literally', () => {
    expect(applySubstitutions('%a% en %a%, %b%', { '%a%': 'x', '%b%': '$& $1' })).toBe('x en x, $& $1');
    expect(applySubstitutions('%a%', { '': 'never', '%c%': 'unused' })).toBe('%a%');
  });
});

describe('escaping', () => {
  const hostile = '<script>alert("x")</script> & \'co\'';

  it('escapes shared data in the html part but not in the text part', async () => {
    const dir = emailsCopyWith('templates/confirmation.mjml', (s) =>
      s.replace('<p style="margin: 16px 0;">{{mail.intro}}</p>', '<p>{{note}}</p><a href="{{note}}">x</a>{{mail.intro}}'),
    );
    fs.appendFileSync(path.join(dir, 'templates/confirmation.txt'), 'Note: {{note}}\n');
    const { html, text } = await renderer({ templatesDir: dir }).render('confirmation', 'en', { ...DATA, note: hostile });
    expect(html).toContain('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</p>');
    expect(html).toContain('href="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;"');
    expect(html).not.toContain('<script');
    expect(text).toContain(`Note: ${hostile}\n`);
  });

  it('escapes organisation values everywhere in the html, including title and preheader', async () => {
    const organisation = { ...ORGANISATION, name: hostile };
    const { subject, html, text } = await renderer({ organisation }).render('already-subscribed', 'nl', {});
    expect(subject).toContain(hostile);
    expect(html).not.toContain('<script');
    expect(html).toContain('<title>Je bent al aangemeld voor de nieuwsbrief van &lt;script&gt;');
    expect(text).toContain(hostile);
  });

  it('leaves substitution tags intact next to escaped values', async () => {
    const { html } = await renderer().render('already-subscribed', 'nl', {});
    expect(html).toContain('href="%unsubscribe_url%"');
    expect(html).toContain('href="https://zorgnetwerk.example/?ref=mail&amp;src=nieuwsbrief"');
  });
});

describe('caching', () => {
  it('compiles MJML once for the same template, locale and data', async () => {
    const r = renderer();
    const first = await r.render('confirmation', 'nl', { expiryDays: 7, unused: null });
    const second = await r.render('confirmation', 'nl', { expiryDays: '7' });
    expect(second).toEqual(first);
    expect(r.mjmlRenders).toBe(1);
  });

  it('compiles again for another locale, template or data', async () => {
    const r = renderer();
    await Promise.all([r.render('confirmation', 'nl', DATA), r.render('confirmation', 'nl', DATA)]);
    expect(r.mjmlRenders).toBe(1);
    await r.render('confirmation', 'en', DATA);
    expect(r.mjmlRenders).toBe(2);
    await r.render('already-subscribed', 'en', DATA);
    await r.render('confirmation', 'en', { expiryDays: 3 });
    expect(r.mjmlRenders).toBe(4);
  });

  it('compiles every time with cache: false', async () => {
    const r = renderer({ cache: false });
    await r.render('confirmation', 'nl', DATA);
    await r.render('confirmation', 'nl', DATA);
    expect(r.mjmlRenders).toBe(2);
  });

  it('does not read any file before the first render', () => {
    const r = createMailRenderer({ templatesDir: '/does/not/exist', organisation: ORGANISATION });
    expect(r.mjmlRenders).toBe(0);
  });
});

describe('errors', () => {
  it('throws a clear message when MJML validation fails (strict)', async () => {
    const dir = emailsCopyWith('templates/confirmation.mjml', (s) => s.replace('<mj-column>', '<mj-column><mj-section></mj-section>'));
    await expect(renderer({ templatesDir: dir }).render('confirmation', 'nl', DATA)).rejects.toThrow(
      /Mail template "confirmation" \(nl\): MJML validation failed[\s\S]*mj-section/,
    );
  });

  it('throws on a placeholder without a value', async () => {
    const dir = emailsCopyWith('templates/already-subscribed.txt', (s) => `${s}{{mail.doesNotExist}}\n`);
    await expect(renderer({ templatesDir: dir }).render('already-subscribed', 'en', {})).rejects.toThrow(
      'Mail template "already-subscribed" (en): no value for placeholder {{mail.doesNotExist}}',
    );
  });

  it('rejects unknown templates, locales, reserved data keys and includes outside the folder', async () => {
    const r = renderer();
    await expect(r.render('../secret' as TemplateName, 'nl', {})).rejects.toThrow('Unknown mail template "../secret"');
    await expect(r.render('confirmation', 'de' as Locale, DATA)).rejects.toThrow('Unknown mail locale "de"');
    await expect(r.render('confirmation', 'nl', { ...DATA, locale: 'en' })).rejects.toThrow('"locale" is reserved');
    const dir = emailsCopyWith('templates/confirmation.txt', (s) => `${s}{{> ../../etc/hostname}}\n`);
    await expect(renderer({ templatesDir: dir }).render('confirmation', 'nl', DATA)).rejects.toThrow(/points outside/);
  });
});

describe('strings', () => {
  it('nl and en have the same sections and keys, and every template has a subject and preheader', () => {
    const keys = (locale: Locale) => Object.entries(readStrings(locale)).flatMap(([section, entries]) => Object.keys(entries).map((k) => `${section}.${k}`));
    expect(keys('en').sort()).toEqual(keys('nl').sort());
    for (const template of TEMPLATES) {
      expect(keys('nl')).toEqual(expect.arrayContaining([`${template}.subject`, `${template}.preheader`]));
    }
  });
});
