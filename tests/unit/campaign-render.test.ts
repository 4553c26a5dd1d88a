import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EditionItemView } from '../../src/mail/edition-renderer';
import { CAMPAIGN_SUBSTITUTION_TAGS, LEAD_BUNDLE_LIMIT, renderCampaignVariant } from '../../src/mailings/campaign/render';
import type { CampaignVariantModel } from '../../src/mailings/campaign/model';
import { SUBSTITUTION_TAGS, applySubstitutions, createMailRenderer, type Organisation } from '../../src/mail/renderer';
import type { Locale } from '../../src/core/domain/locale';

const EMAILS_DIR = path.resolve(__dirname, '../../emails');
const ORGANISATION: Organisation = {
  name: 'Zorgnetwerk Rotterdam',
  postalAddress: 'Postbus 1234, 3000 AA Rotterdam',
  websiteUrl: 'https://zorgnetwerk.example/',
  privacyUrl: 'https://zorgnetwerk.example/privacy',
};
const SITE = 'https://zorgnetwerk.example';
const strings = (locale: Locale) =>
  (JSON.parse(fs.readFileSync(path.join(EMAILS_DIR, 'strings', `${locale}.json`), 'utf8')) as Record<string, Record<string, string>>).campaign;

function bundle(locale: Locale, entries = 5): EditionItemView {
  return {
    kind: 'resource',
    resourceKind: 'bundle',
    title: locale === 'nl' ? 'Inspiratiebundel Leercultuur' : 'Learning culture inspiration bundle',
    summary: locale === 'nl' ? 'Alles uit het lerend netwerk bij elkaar.' : 'Everything from the learning network in one place.',
    url: `${SITE}/${locale === 'nl' ? 'inspiratie' : 'en/resources'}/inspiratiebundel-leercultuur`,
    language: locale,
    bundleItems: Array.from({ length: entries }, (_, i) => ({
      title: `Onderdeel ${i + 1}`,
      url: `${SITE}/inspiratie/onderdeel-${i + 1}`,
      resourceKind: ['tool', 'book', 'video'][i % 3],
    })),
  };
}

function model(locale: Locale, overrides: Partial<CampaignVariantModel> = {}): CampaignVariantModel {
  return {
    locale,
    subject: locale === 'nl' ? 'Lancering inspiratiebundel Leercultuur' : 'Launch of the Leercultuur inspiration bundle',
    preheader: locale === 'nl' ? 'Nu voor iedereen bij elkaar.' : 'Now in one place for everyone.',
    intro: locale === 'nl' ? 'Eerste alinea\nover twee regels.\n\nTweede alinea.' : 'First paragraph.\n\nSecond paragraph.',
    lead: bundle(locale),
    others: [
      {
        kind: 'resource',
        resourceKind: 'report',
        title: locale === 'nl' ? 'Rapport: opbrengsten' : 'Report: outcomes',
        summary: null,
        url: 'https://example.org/rapport',
        language: locale,
      },
      // Only in Dutch: English readers get it in Dutch, marked.
      { kind: 'article', title: 'Lerend netwerk Leercultuur afgerond', summary: 'Zes maanden Actieleren.', url: `${SITE}/nieuws/afgerond`, language: 'nl' },
    ],
    ...overrides,
  };
}

describe('campaign variant', () => {
  const shared = createMailRenderer({ templatesDir: EMAILS_DIR, organisation: ORGANISATION });

  for (const locale of ['nl', 'en'] as const) {
    describe(locale, () => {
      it("has the editors' subject and preheader, in <mj-title> and the preview text, and lang on <html>", async () => {
        const mail = await renderCampaignVariant(shared, model(locale));
        expect(mail.subject).toBe(model(locale).subject);
        expect(mail.preheader).toBe(model(locale).preheader);
        expect(mail.html).toContain(`<title>${model(locale).subject}</title>`);
        expect(mail.html).toContain(model(locale).preheader);
        expect(mail.html).toMatch(new RegExp(`<html[^>]*lang="${locale}"`));
      });

      it('shows the image at the top at the mail width with its size and alt text, and only in the html part', async () => {
        const hero = { imageUrl: `${SITE}/uploads/medium_bundel.jpg`, imageAlt: 'Mensen rond een tafel', imageWidth: 536, imageHeight: 357 };
        const { html, text } = await renderCampaignVariant(shared, model(locale, { hero }));
        const img = html.match(/<img\b[^>]*medium_bundel[^>]*>/)?.[0] ?? '';
        expect(img).toContain('alt="Mensen rond een tafel"');
        expect(img).toContain('width="536" height="357"');
        // Under the heading, before the greeting.
        expect(html.indexOf('medium_bundel')).toBeGreaterThan(html.indexOf(`<h1`));
        expect(html.indexOf('medium_bundel')).toBeLessThan(html.indexOf('%greeting%'));
        expect(text).not.toContain('medium_bundel');
        // Without one the mail has no empty image box.
        expect((await renderCampaignVariant(shared, model(locale))).html).not.toMatch(/<img\b[^>]*medium_bundel/);
        await expect(renderCampaignVariant(shared, model(locale, { hero: { ...hero, imageUrl: '/uploads/x.jpg' } }))).rejects.toThrow(
          /image must be an absolute/,
        );
      });

      it('presents the bundle with all its contents and one button to it', async () => {
        const { html, text } = await renderCampaignVariant(shared, model(locale));
        const lead = bundle(locale);
        for (const entry of lead.bundleItems!) {
          expect(html).toContain(`href="${entry.url}"`);
          expect(text).toContain(`${entry.title}`);
        }
        expect(html).toContain(strings(locale).bundleContains);
        const cta = strings(locale).ctaBundle;
        // The button is MJML's: a table cell with the link, once.
        const buttons = html.match(/<a\s+href="[^"]*"[^>]*target="_blank"[^>]*>\s*[^<]*<\/a>/g) ?? [];
        expect(buttons.filter((button) => button.includes(cta))).toHaveLength(1);
        expect(buttons.find((button) => button.includes(cta))).toContain(`href="${lead.url}"`);
        expect(text).toContain(`${cta}:\n${lead.url}`);
      });

      it('shows the other featured items as cards under "also featured"', async () => {
        const { html, text } = await renderCampaignVariant(shared, model(locale));
        expect(html).toContain(strings(locale).alsoFeatured);
        expect(html).toContain('href="https://example.org/rapport"');
        expect(text).toContain(`${strings(locale)['open-report']}: https://example.org/rapport`);
        expect(html).toContain(`${SITE}/nieuws/afgerond`);
      });

      it('has the intro paragraphs, and the greeting, unsubscribe, preferences and view-in-browser tags of an edition', async () => {
        const { html, text } = await renderCampaignVariant(shared, model(locale));
        const first = locale === 'nl' ? 'Eerste alinea over twee regels.' : 'First paragraph.';
        expect(html).toContain(`<p style="margin: 16px 0;">${first}</p>`);
        expect(text).toContain(first);
        for (const tag of Object.values(CAMPAIGN_SUBSTITUTION_TAGS)) {
          expect(html).toContain(tag);
          expect(text).toContain(tag);
        }
        expect(CAMPAIGN_SUBSTITUTION_TAGS).toMatchObject({
          greeting: SUBSTITUTION_TAGS.greeting,
          unsubscribeUrl: SUBSTITUTION_TAGS.unsubscribeUrl,
          preferencesUrl: SUBSTITUTION_TAGS.preferencesUrl,
        });
        const filled = applySubstitutions(html, { '%unsubscribe_url%': 'https://cms.example/u?t=1', '%greeting%': 'Hallo Anna,' });
        expect(filled).toContain('href="https://cms.example/u?t=1"');
      });
    });
  }

  it('marks an item shown in the other language, with lang on its title', async () => {
    const { html, text } = await renderCampaignVariant(shared, model('en'));
    expect(html).toContain(strings('en')['languageNote-nl']);
    expect(text).toContain(`(${strings('en')['languageNote-nl']})`);
    expect(html).toMatch(/<h3 lang="nl"[^>]*><a href="https:\/\/zorgnetwerk\.example\/nieuws\/afgerond"/);
    const dutch = await renderCampaignVariant(shared, model('nl'));
    expect(dutch.html).not.toContain(strings('nl')['languageNote-nl']);
  });

  it('a lead shown in the other language is marked too', async () => {
    const { html } = await renderCampaignVariant(shared, model('en', { lead: bundle('nl') }));
    expect(html).toContain(strings('en')['languageNote-nl']);
    expect(html).toMatch(/<h2 lang="nl"/);
  });

  it('lists a long lead bundle up to its limit and says how many more', async () => {
    const { html, text } = await renderCampaignVariant(shared, model('nl', { lead: bundle('nl', LEAD_BUNDLE_LIMIT + 3) }));
    expect(html).toContain(`Onderdeel ${LEAD_BUNDLE_LIMIT - 1}<`);
    expect(html).not.toContain(`Onderdeel ${LEAD_BUNDLE_LIMIT}<`);
    expect(text).toContain('En nog 4 andere onderdelen.');
  });

  it('a lead that is not a bundle has its own call to action and no contents list', async () => {
    const article: EditionItemView = { kind: 'article', title: 'Nieuws', summary: null, url: `${SITE}/nieuws/x`, language: 'nl' };
    const { html, text } = await renderCampaignVariant(shared, model('nl', { lead: article, others: [] }));
    expect(html).toContain(strings('nl')['open-article']);
    expect(html).not.toContain(strings('nl').bundleContains);
    expect(html).not.toContain(strings('nl').alsoFeatured);
    expect(text).toContain(`${strings('nl')['open-article']}:\n${SITE}/nieuws/x`);
  });

  it("escapes editors' text and refuses links that are not absolute http(s)", async () => {
    const { html } = await renderCampaignVariant(
      createMailRenderer({ templatesDir: EMAILS_DIR, organisation: ORGANISATION, cache: false }),
      model('nl', { subject: 'Bundel <b>nu</b> & "meer"' }),
    );
    expect(html).toContain('Bundel &lt;b&gt;nu&lt;/b&gt; &amp; &quot;meer&quot;');
    expect(html).not.toContain('<b>nu</b>');
    await expect(renderCampaignVariant(shared, model('nl', { lead: { ...bundle('nl'), url: 'javascript:alert(1)' } }))).rejects.toThrow(
      /absolute http\(s\) URL/,
    );
    await expect(renderCampaignVariant(shared, model('nl', { subject: ' ' }))).rejects.toThrow(/no subject/);
  });

  it('compiles a variant once, however many recipients ask for it', async () => {
    const counted = createMailRenderer({ templatesDir: EMAILS_DIR, organisation: ORGANISATION });
    await Promise.all([renderCampaignVariant(counted, model('nl')), renderCampaignVariant(counted, model('nl')), renderCampaignVariant(counted, model('en'))]);
    expect(counted.mjmlRenders).toBe(2);
  });
});
