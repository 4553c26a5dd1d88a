import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderCampaignVariant } from '../../src/mailings/campaign/render';
import { renderEditionVariant, type EditionItemView } from '../../src/mail/edition-renderer';
import { createMailRenderer, type RenderedMail } from '../../src/mail/renderer';
import { renderWelcomeMail } from '../../src/site/welcome/welcome-mail';

/**
 * Every HTML or CSS feature our mails use, checked against caniemail's data (the `caniemail`
 * package) for Gmail (web, Android, iOS) and Outlook for Windows, the clients most of a care
 * network's readers use. A feature one of them does not support (or only partly) may be used only
 * with a fallback listed below, whose presence is checked in the rendered mail: the test fails on a
 * new feature that Gmail or Outlook drops and that the mail silently relies on.
 */
interface Feature {
  slug: string;
  stats: Record<string, Record<string, Record<string, string>>>;
}
const data = JSON.parse(readFileSync(createRequire(__filename).resolve('caniemail/caniemail.json'), 'utf8')) as { data: Feature[] };
const TARGETS: Array<[family: string, platform: string]> = [
  ['gmail', 'desktop-webmail'],
  ['gmail', 'android'],
  ['gmail', 'ios'],
  ['outlook', 'windows'],
];

/** How a feature shows in the compiled html. */
const DETECT: Record<string, RegExp> = {
  'html-style': /<style\b/,
  'css-at-media': /@media\b/,
  'css-at-media-prefers-color-scheme': /prefers-color-scheme/,
  'html-meta-color-scheme': /<meta name="color-scheme"/,
  'css-color-scheme': /color-scheme:\s*light/,
  'css-important': /!important/,
  'css-border-radius': /border-radius:/,
  'css-max-width': /max-width:/,
  'css-max-height': /max-height:/,
  'css-opacity': /opacity:/,
  'css-overflow': /overflow:/,
  'css-word-break': /word-break:/,
  'css-display-none': /display:\s*none/,
  'css-background-color': /background-color:/,
  'css-line-height': /line-height:/,
  'css-font-weight': /font-weight:/,
  'css-text-decoration': /text-decoration:/,
  'css-padding': /padding:/,
  'css-margin': /margin:/,
  'css-border': /border(-top)?:/,
  'css-width': /[^-]width:/,
  'css-height': /[^-]height:/,
  'css-text-align': /text-align:/,
  'css-vertical-align': /vertical-align:/,
  'css-direction': /direction:/,
  'css-selector-class': /\.np-[a-z-]+\s*[,{>]/,
  'css-selector-descendant': /\.np-[a-z-]+ [a-z]/,
  'css-selector-child': /\.np-[a-z-]+ > /,
  'css-selector-attribute': /\[style\*=/,
  'html-aria-label': /aria-label=/,
  'html-role': /role="/,
  'html-lang': /<(html|h[1-6]|p)[^>]* lang="/,
  'html-dir': / dir="/,
  'html-h1-h6': /<h[1-6]\b/,
  'html-table': /<table\b/,
};

/**
 * Features Gmail or Outlook for Windows lack (or support only partly) that the mail uses anyway,
 * each with what readers of those clients get instead, and a check that this fallback is there.
 */
const FALLBACKS: Record<string, { without: string; present: (mail: RenderedMail) => boolean }> = {
  'html-style': {
    without:
      'Gmail drops <style> in some views: every colour, size and spacing that matters is inline; only dark-mode and small-screen refinements live in <style>.',
    present: (mail) => (mail.html.match(/<a\b[^>]*>/g) ?? []).every((link) => /style="[^"]*\bcolor:\s*#/.test(link)),
  },
  'css-at-media': {
    without: 'The 600 px layout stacks by itself (MJML columns); the media query only enlarges text on phones.',
    present: (mail) => /max-width:600px/.test(mail.html),
  },
  'css-at-media-prefers-color-scheme': {
    without:
      'No dark palette in Gmail: the light design with inline text and background colours stays readable, also when Gmail inverts it (no images carry text, the header is text).',
    present: (mail) => !/<img\b[^>]*alt=""[^>]*>/.test(mail.html.split('np-header')[1]?.slice(0, 2000) ?? '') && /background-color:#0b5f5a/.test(mail.html),
  },
  'html-meta-color-scheme': { without: 'A hint only; the same inline light design.', present: () => true },
  'css-color-scheme': { without: 'A hint only; the same inline light design.', present: () => true },
  'css-important': {
    without: 'Only in the dark-mode and phone rules, which those clients skip as a whole.',
    present: (mail) => !/style="[^"]*!important/.test(mail.html),
  },
  'css-border-radius': {
    without: 'Square corners on the button in Outlook; the button stays a filled, labelled link.',
    present: (mail) => !/<mj-button/.test(mail.html),
  },
  'css-selector-class': { without: 'Class rules are refinements (dark mode); the inline styles carry the design.', present: () => true },
  'css-selector-descendant': { without: 'As for class rules.', present: () => true },
  'css-selector-child': { without: 'As for class rules.', present: () => true },
  'css-selector-attribute': { without: 'As for class rules.', present: () => true },
  'css-max-width': {
    without: 'MJML wraps the 600 px column in an Outlook-only fixed-width table (conditional comments).',
    present: (mail) => /<!--\[if mso \| IE\]>/.test(mail.html),
  },
  'css-max-height': {
    without: 'Hides the preheader with display:none and font-size as well.',
    present: (mail) => /display:none;font-size:1px/.test(mail.html),
  },
  'css-opacity': {
    without: 'As for max-height: the preheader is hidden by display:none first.',
    present: (mail) => /display:none;font-size:1px/.test(mail.html),
  },
  'css-overflow': { without: 'As for max-height.', present: (mail) => /display:none;font-size:1px/.test(mail.html) },
  'css-word-break': {
    without: "MJML's break-word on text cells, which Outlook ignores: a long fallback URL may run past the edge there; a button above it is the main link.",
    present: (mail) => !/class="[^"]*np-url/.test(mail.html) || /class="[^"]*np-button/.test(mail.html),
  },
  'css-padding': {
    without: 'Padding on table cells (which Outlook honours) carries the spacing.',
    present: (mail) => /<td[^>]*style="[^"]*padding/.test(mail.html),
  },
  'css-margin': {
    without: 'Paragraph margins are refinements; cell padding separates the blocks.',
    present: (mail) => /<td[^>]*style="[^"]*padding/.test(mail.html),
  },
  'css-width': { without: 'Widths are also given as table width attributes for Outlook.', present: (mail) => /<table[^>]*width="/.test(mail.html) },
  'css-height': { without: 'As for width.', present: () => true },
  'css-background-color': { without: 'Backgrounds also given as bgcolor on the Outlook tables.', present: (mail) => /bgcolor="#/.test(mail.html) },
  'css-border': { without: 'Dividers are also drawn as Outlook tables by MJML.', present: () => true },
  'css-line-height': { without: 'Outlook uses its own line height: text stays readable.', present: () => true },
  'css-display-none': { without: 'Only the preheader is hidden; in Outlook it may show as the first line.', present: () => true },
  'css-text-decoration': { without: 'Links keep their colour.', present: () => true },
  'css-font-weight': { without: 'Headings are also larger.', present: () => true },
  'css-text-align': { without: 'Left-aligned text is the default.', present: () => true },
  'css-vertical-align': { without: 'Single-column layout.', present: () => true },
  'css-direction': { without: 'Left-to-right is the default for both languages.', present: () => true },
  'html-aria-label': { without: 'The visible link text also says what opens.', present: () => true },
  'html-role': { without: 'Presentation tables are plain tables.', present: () => true },
  'html-lang': { without: 'The language is also in the text (e.g. "Alleen in het Engels").', present: () => true },
  'html-dir': { without: 'Left-to-right is the default.', present: () => true },
  'html-h1-h6': { without: 'Headings carry inline sizes.', present: (mail) => /<h2[^>]*style="[^"]*font-size/.test(mail.html) },
  'html-table': { without: 'Tables are the layout.', present: () => true },
};

function latest(stats: Feature['stats'], family: string, platform: string): string | null {
  const versions = stats[family]?.[platform];
  if (!versions) return null;
  const keys = Object.keys(versions);
  return keys.length > 0 ? versions[keys[keys.length - 1]] : null;
}

/** The target clients that lack the feature or support it only partly. */
function lacking(slug: string): string[] {
  const feature = data.data.find((entry) => entry.slug === slug);
  if (!feature) throw new Error(`caniemail has no feature ${slug}`);
  return TARGETS.filter(([family, platform]) => /^[na]/.test(latest(feature.stats, family, platform) ?? 'u')).map(
    ([family, platform]) => `${family} ${platform}`,
  );
}

const SITE = 'https://zorgnetwerk.example';
const item = (title: string, extra: Partial<EditionItemView> = {}): EditionItemView => ({
  kind: 'article',
  title,
  summary: `Over ${title}`,
  url: `${SITE}/nieuws/${encodeURIComponent(title)}`,
  language: 'nl',
  ...extra,
});
const bundle = item('Inspiratiebundel', {
  kind: 'resource',
  resourceKind: 'bundle',
  bundleItems: [{ title: 'Checklist', url: `${SITE}/inspiratie/checklist`, resourceKind: 'tool' }],
});
const mails: Record<string, RenderedMail> = {};

beforeAll(async () => {
  const renderer = createMailRenderer({
    templatesDir: path.join(__dirname, '..', '..', 'emails'),
    organisation: { name: 'Zorgnetwerk Rotterdam', postalAddress: 'Postbus 1234, Rotterdam', websiteUrl: SITE, privacyUrl: `${SITE}/privacy` },
  });
  mails.edition = await renderEditionVariant(renderer, {
    locale: 'nl',
    title: 'Nieuwsbrief november 2026',
    intro: 'Welkom.',
    preheader: 'Dementie · Mantelzorg',
    followed: [{ themeSlug: 'dementie', heading: 'Dementie', items: [item('Dementie thuis')] }],
    sections: [{ themeSlug: 'mantelzorg', heading: 'Mantelzorg', items: [item('Mantelzorg'), bundle] }],
  });
  mails.campaign = await renderCampaignVariant(renderer, {
    locale: 'nl',
    subject: 'Lancering',
    preheader: 'Nu voor iedereen',
    intro: 'Welkom.',
    lead: bundle,
    others: [item('Rapport')],
  });
  mails.confirmation = await renderer.render('confirmation', 'nl', { expiryDays: 7 });
  mails['already-subscribed'] = await renderer.render('already-subscribed', 'en', {});
  mails.welcome = await renderWelcomeMail(renderer, {
    locale: 'nl',
    subject: '',
    text: 'Fijn dat je erbij bent.',
    latestEdition: { title: 'Nieuwsbrief november 2026', url: `${SITE}/newsletter/editions/abc?variant=nl%7C` },
    newestBundle: {
      title: 'Inspiratiebundel',
      summary: 'Alles bij elkaar.',
      url: `${SITE}/inspiratie/bundel`,
      imageUrl: `${SITE}/uploads/b.png`,
      imageAlt: 'Bundel',
      imageWidth: 750,
      imageHeight: 500,
    },
  });
});

describe('mail client support (caniemail data, Gmail and Outlook for Windows)', () => {
  for (const name of ['edition', 'campaign', 'confirmation', 'already-subscribed', 'welcome']) {
    it(`${name}: every feature those clients lack has a fallback, and the fallback is there`, () => {
      const mail = mails[name];
      const used = Object.entries(DETECT)
        .filter(([, pattern]) => pattern.test(mail.html))
        .map(([slug]) => slug);
      expect(used.length).toBeGreaterThan(10);
      const missing: string[] = [];
      for (const slug of used) {
        const clients = lacking(slug);
        if (clients.length === 0) continue;
        const fallback = FALLBACKS[slug];
        if (!fallback) missing.push(`${slug} (lacking in ${clients.join(', ')}): no fallback`);
        else if (!fallback.present(mail)) missing.push(`${slug}: the fallback "${fallback.without}" is not in the mail`);
      }
      expect(missing).toEqual([]);
    });
  }

  it('knows the features it looks for (caniemail still has them)', () => {
    for (const slug of Object.keys(DETECT)) expect(() => lacking(slug)).not.toThrow();
  });

  it('would fail on a link whose colour only <style> gives (as 23 of 28 links once did)', () => {
    const broken = { ...mails.edition, html: mails.edition.html.replace(/(<a\b[^>]*?) style="[^"]*"/, '$1') };
    expect(FALLBACKS['html-style'].present(broken)).toBe(false);
  });
});
