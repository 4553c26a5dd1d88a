import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_PREVIEW_SIZE,
  EDITION_SUBSTITUTION_TAGS,
  renderEditionVariant,
  type EditionItemView,
  type EditionSection,
  type EditionVariantModel,
} from '../../src/mail/edition-renderer';
import { applySubstitutions, createMailRenderer, greetingFor, type Organisation } from '../../src/mail/renderer';
import type { Locale } from '../../src/core/domain/locale';

const EMAILS_DIR = path.resolve(__dirname, '../../emails');
const LOCALES: Locale[] = ['nl', 'en'];
const GMAIL_CLIP_BYTES = 102 * 1024;

const ORGANISATION: Organisation = {
  name: 'Zorgnetwerk Rotterdam',
  postalAddress: 'Postbus 1234, 3000 AA Rotterdam',
  websiteUrl: 'https://zorgnetwerk.example/?ref=mail&src=nieuwsbrief',
  privacyUrl: 'https://zorgnetwerk.example/privacy',
};

function renderer(options: { cache?: boolean; templatesDir?: string } = {}) {
  return createMailRenderer({ templatesDir: EMAILS_DIR, organisation: ORGANISATION, ...options });
}

type Strings = Record<string, Record<string, unknown>>;
function readStrings(locale: Locale): Strings {
  return JSON.parse(fs.readFileSync(path.join(EMAILS_DIR, 'strings', `${locale}.json`), 'utf8'));
}
const edition = (locale: Locale) => readStrings(locale).edition as Record<string, string>;
const common = (locale: Locale) => readStrings(locale).common as Record<string, string>;

function escaped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function unescaped(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A copy of emails/ with one file changed. */
function emailsCopyWith(file: string, change: (source: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netwerkpost-edition-'));
  tempDirs.push(dir);
  fs.cpSync(EMAILS_DIR, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, file), change(fs.readFileSync(path.join(dir, file), 'utf8')));
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Models

const other = (locale: Locale): Locale => (locale === 'nl' ? 'en' : 'nl');

/** Every kind of card once, in the reader's language unless said otherwise. */
function fullModel(locale: Locale): EditionVariantModel {
  const site = 'https://zorgnetwerk.example';
  const articleWithImage: EditionItemView = {
    kind: 'article',
    title: locale === 'nl' ? 'Wijkteams en huisartsen werken samen rond dementie' : 'District teams and GPs join forces on dementia',
    summary: locale === 'nl' ? 'Wat één overleg per wijk oplevert.' : 'What one meeting per district brings.',
    url: `${site}/nieuws/wijkteams?utm_source=nieuwsbrief&utm_medium=mail`,
    imageUrl: 'https://cms.zorgnetwerk.example/uploads/wijkteam_1.jpg',
    imageAlt: locale === 'nl' ? 'Een wijkverpleegkundige in gesprek met een oudere vrouw' : 'A district nurse talking with an older woman',
    language: locale,
  };
  const articleImageNoAlt: EditionItemView = {
    kind: 'article',
    title: 'Mantelzorgcafé Delfshaven',
    summary: null,
    url: `${site}/nieuws/mantelzorgcafe`,
    imageUrl: 'https://cms.zorgnetwerk.example/uploads/cafe.jpg',
    imageAlt: null,
    language: locale,
  };
  const untranslated: EditionItemView = {
    kind: 'article',
    title: locale === 'nl' ? 'Learning network on loneliness' : 'Lerend netwerk eenzaamheid',
    summary: locale === 'nl' ? 'A first meeting in English.' : 'Een eerste bijeenkomst.',
    url: `${site}/untranslated`,
    language: other(locale),
  };
  const book: EditionItemView = {
    kind: 'resource',
    resourceKind: 'book',
    title: 'Samen zorgen',
    summary: 'Een boek over netwerkzorg.',
    url: 'https://uitgeverij.example/samen-zorgen',
    language: locale,
  };
  const video: EditionItemView = {
    kind: 'resource',
    resourceKind: 'video',
    title: 'Video: de keukentafel',
    summary: null,
    url: `${site}/video`,
    language: locale,
  };
  const bundle: EditionItemView = {
    kind: 'resource',
    resourceKind: 'bundle',
    title: 'Inspiratiebundel samen leren',
    summary: 'Alles over leren in netwerken.',
    url: `${site}/inspiratie/samen-leren`,
    language: locale,
    bundleItems: Array.from({ length: 7 }, (_, i) => ({
      title: `Onderdeel ${i + 1}`,
      url: `${site}/inspiratie/onderdeel-${i + 1}`,
      resourceKind: ['tool', 'report', 'article'][i % 3],
    })),
  };
  return {
    locale,
    title: locale === 'nl' ? 'Nieuwsbrief november 2026' : 'Newsletter November 2026',
    intro: locale === 'nl' ? 'Welkom bij de novembereditie.\nVeel nieuws.\n\nEen tweede alinea.' : 'Welcome to the November edition.\n\nA second paragraph.',
    preheader: locale === 'nl' ? 'Dementie, mantelzorg en een nieuwe inspiratiebundel.' : 'Dementia, carers and a new bundle.',
    followed: [{ themeSlug: 'dementie', heading: locale === 'nl' ? 'Dementie' : 'Dementia', items: [articleWithImage, untranslated] }],
    sections: [
      { themeSlug: 'mantelzorg', heading: locale === 'nl' ? 'Mantelzorg' : 'Informal care', items: [articleImageNoAlt, book, video] },
      { themeSlug: null, heading: locale === 'nl' ? 'Meer uit het netwerk' : 'More from the network', items: [bundle] },
    ],
  };
}

function allItems(model: EditionVariantModel): EditionItemView[] {
  return [...model.followed, ...model.sections].flatMap((section) => section.items);
}

function simpleSection(heading: string, slug: string, titles: string[]): EditionSection {
  return {
    themeSlug: slug,
    heading,
    items: titles.map((title) => ({
      kind: 'article',
      title,
      summary: null,
      url: `https://zorgnetwerk.example/${slug}/${encodeURIComponent(title)}`,
      language: 'nl',
    })),
  };
}

/** About what a real month holds: 20 items over four sections, a few images, a bundle, two untranslated. */
function realisticModel(): EditionVariantModel {
  const summary =
    'In Rotterdam-Zuid werken wijkteams, huisartsen en thuiszorg sinds dit voorjaar samen in één overleg per wijk. ' +
    'Wat levert dat op voor cliënten met dementie en hun mantelzorgers, en wat kost het de professionals aan tijd?';
  const item = (i: number): EditionItemView => {
    if (i === 7) {
      return {
        kind: 'resource',
        resourceKind: 'bundle',
        title: 'Inspiratiebundel wijkgericht werken',
        summary,
        url: 'https://zorgnetwerk.example/inspiratie/wijkgericht',
        imageUrl: 'https://cms.zorgnetwerk.example/uploads/bundel.jpg',
        imageAlt: 'Mensen in overleg rond een tafel',
        language: 'nl',
        bundleItems: Array.from({ length: 8 }, (_, j) => ({
          title: `Werkblad ${j + 1}: samen plannen`,
          url: `https://zorgnetwerk.example/inspiratie/werkblad-${j + 1}`,
          resourceKind: 'tool',
        })),
      };
    }
    if (i % 4 === 3) {
      const kinds = ['book', 'tool', 'video', 'report'] as const;
      return {
        kind: 'resource',
        resourceKind: kinds[i % 4],
        title: `Handreiking samenwerken in de wijk, deel ${i}`,
        summary,
        url: `https://zorgnetwerk.example/inspiratie/handreiking-${i}`,
        language: 'nl',
      };
    }
    return {
      kind: 'article',
      title: `Wijkgericht samenwerken rond dementie: ervaringen uit Feijenoord (${i})`,
      summary,
      url: `https://zorgnetwerk.example/nieuws/wijkgericht-${i}`,
      imageUrl: i % 3 === 0 ? `https://cms.zorgnetwerk.example/uploads/foto_${i}.jpg` : null,
      imageAlt: i % 2 === 0 ? 'Een wijkverpleegkundige in gesprek met een oudere vrouw' : null,
      language: i === 5 || i === 13 ? 'en' : 'nl',
    };
  };
  const items = Array.from({ length: 20 }, (_, i) => item(i));
  return {
    locale: 'nl',
    title: 'Nieuwsbrief november 2026',
    intro: 'Welkom bij de novembereditie.\n\nDeze maand staat in het teken van samenwerken in de wijk.\n\nVeel leesplezier!',
    preheader: 'Wijkgericht werken, mantelzorg en een nieuwe inspiratiebundel.',
    followed: [{ themeSlug: 'dementie', heading: 'Dementie', items: items.slice(0, 5) }],
    sections: [
      { themeSlug: 'mantelzorg', heading: 'Mantelzorg', items: items.slice(5, 11) },
      { themeSlug: 'jeugd', heading: 'Jeugd en gezin', items: items.slice(11, 16) },
      { themeSlug: null, heading: 'Meer uit het netwerk', items: items.slice(16) },
    ],
  };
}

// ---------------------------------------------------------------------------------------------

describe('edition variant: both locales', () => {
  const shared = renderer();

  for (const locale of LOCALES) {
    describe(locale, () => {
      const model = fullModel(locale);
      const mail = () => renderEditionVariant(shared, model);

      it('has the edition title as subject (with the network name) and the preheader', async () => {
        const { subject, preheader, html } = await mail();
        expect(subject).toBe(`${model.title} – ${ORGANISATION.name}`);
        expect(preheader).toBe(model.preheader);
        expect(html).toContain(`<title>${escaped(subject)}</title>`);
        expect(html).toMatch(new RegExp(`<div style="display:none;[^"]*">${escaped(model.preheader)}(&#847;&zwnj;&nbsp;){60,}</div>`));
      });

      it("uses the editors' own subject when they wrote one", async () => {
        const own = await renderEditionVariant(shared, { ...model, subject: `Eigen onderwerp & meer (${locale})` });
        expect(own.subject).toBe(`Eigen onderwerp & meer (${locale})`);
        expect(own.html).toContain(`<title>${escaped(own.subject)}</title>`);
      });

      it('sets lang on the html element, a 600 px layout, dark-mode hooks and the greeting tag', async () => {
        const { html, text } = await mail();
        expect(html).toMatch(new RegExp(`<html lang="${locale}"`));
        expect(html).toContain('max-width:600px');
        expect(html).toContain('<meta name="color-scheme" content="light dark">');
        expect(html).toContain('prefers-color-scheme: dark');
        expect(html).toContain('class="np-card"');
        expect(html).toContain(`<p style="margin: 16px 0;">${EDITION_SUBSTITUTION_TAGS.greeting}</p>`);
        expect(text).toContain(`\n${EDITION_SUBSTITUTION_TAGS.greeting}\n`);
        expect(`${html}\n${text}`).not.toMatch(/\{\{|\}\}/);
      });

      it('shows the title, the intro paragraphs, every section heading and every item title in both parts', async () => {
        const { html, text } = await mail();
        expect(html).toContain(`<h1 style="margin: 0; font-size: 24px; line-height: 1.3;">${escaped(model.title)}</h1>`);
        const paragraphs = model.intro!.split('\n\n').map((p) => p.replace(/\s+/g, ' '));
        for (const paragraph of paragraphs) {
          expect(html).toContain(`<p style="margin: 16px 0;">${escaped(paragraph)}</p>`);
          expect(text).toContain(`${paragraph}\n`);
        }
        // This reader follows themes: their part and the rest each have an h2, the themes an h3, the items an h4.
        expect(html).toContain(`>${escaped(edition(locale).yourThemes)}</h2>`);
        for (const section of [...model.followed, ...model.sections]) {
          expect(html).toContain(`>${escaped(section.heading)}</h3>`);
          expect(text).toContain(`\n${section.heading}\n`);
        }
        for (const item of allItems(model)) {
          expect(html).toContain(`>${escaped(item.title)}</a></h4>`);
          expect(text).toContain(item.title);
          if (item.summary) expect(html).toContain(`>${escaped(item.summary)}</p>`);
        }
      });

      it('takes every label from the strings of its locale', async () => {
        const { html, text } = await mail();
        const strings = edition(locale);
        expect(html).toContain(`>${escaped(strings.readMore)}</a>`);
        expect(html).toContain(`>${escaped(strings['kind-book'])}</p>`);
        expect(html).toContain(`>${escaped(strings['open-book'])}</a>`);
        expect(html).toContain(`>${escaped(strings['open-video'])}</a>`);
        expect(html).toContain(`>${escaped(strings['kind-bundle'])}</p>`);
        expect(html).toContain(`>${escaped(strings.bundleContains)}</p>`);
        expect(text).toContain(`[${strings['kind-book']}] Samen zorgen\n`);
        expect(text).toContain(`${strings.readMore}: `);
      });

      it('has the footer with view-in-browser, preferences, unsubscribe and the postal address', async () => {
        const { html, text } = await mail();
        for (const tag of [EDITION_SUBSTITUTION_TAGS.viewUrl, EDITION_SUBSTITUTION_TAGS.preferencesUrl, EDITION_SUBSTITUTION_TAGS.unsubscribeUrl]) {
          expect(html).toContain(`href="${tag}"`);
          expect(text).toContain(`: ${tag}\n`);
        }
        expect(html).toContain(`>${escaped(common(locale).viewInBrowser)}</a>`);
        expect(html).toContain(`${ORGANISATION.name} &middot; ${ORGANISATION.postalAddress}`);
        expect(text).toContain(`${ORGANISATION.name} · ${ORGANISATION.postalAddress}`);
        expect(text.trimEnd().endsWith(ORGANISATION.postalAddress)).toBe(true);
      });
    });
  }
});

describe('edition variant: cards', () => {
  const shared = renderer();

  it("gives every image an alt text: the editor's, or empty (decorative) when there is none", async () => {
    const model = fullModel('nl');
    const { html } = await renderEditionVariant(shared, model);
    const images = html.match(/<img\b[^>]*>/gi) ?? [];
    expect(images).toHaveLength(allItems(model).filter((item) => item.imageUrl).length);
    for (const img of images) expect(img).toMatch(/\balt="[^"]*"/);
    expect(html).toMatch(
      new RegExp(`<img\\b[^>]*alt="${escaped(allItems(model)[0].imageAlt!)}"[^>]*src="https://cms.zorgnetwerk.example/uploads/wijkteam_1.jpg"`),
    );
    // No alt from the editor: the linked title follows right under the image, so a screen reader
    // would read it twice; the image is treated as decorative.
    expect(html).toMatch(/<img\b[^>]*alt=""[^>]*src="https:\/\/cms.zorgnetwerk.example\/uploads\/cafe.jpg"/);
  });

  it('renders images 600 px layout wide (536 px inside the padding) and fluid on phones', async () => {
    const { html } = await renderEditionVariant(shared, fullModel('en'));
    const images = html.match(/<img\b[^>]*>/gi) ?? [];
    expect(images.length).toBeGreaterThan(0);
    for (const img of images) {
      expect(img).toContain('width="536"');
      expect(img).toMatch(/style="[^"]*width: ?100%[^"]*max-width: ?536px[^"]*height: ?auto/);
    }
  });

  it('gives an image of known size its width and height, scaled to the shown width, never wider than it is', async () => {
    const model = fullModel('nl');
    Object.assign(model.followed[0].items[0], { imageWidth: 536, imageHeight: 302 });
    Object.assign(model.followed[0].items[1], { imageUrl: 'https://cms.zorgnetwerk.example/uploads/small_klein.jpg', imageWidth: 300, imageHeight: 200 });
    const { html } = await renderEditionVariant(shared, model);
    expect(html).toMatch(/<img\b[^>]*src="https:\/\/cms.zorgnetwerk.example\/uploads\/wijkteam_1.jpg" width="536" height="302"/);
    expect(html).toMatch(/<img\b[^>]*src="https:\/\/cms.zorgnetwerk.example\/uploads\/small_klein.jpg" width="300" height="200"[^>]*max-width: ?300px/);
  });

  it('leaves no empty image box when an item has no image', async () => {
    const model: EditionVariantModel = { ...fullModel('nl'), followed: [], sections: [simpleSection('Dementie', 'dementie', ['Zonder beeld'])] };
    const { html } = await renderEditionVariant(shared, model);
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toContain('mj-full-width-mobile');
  });

  it('notes "only in <language>" exactly for the items not written in the reader\'s language', async () => {
    for (const locale of LOCALES) {
      const model = fullModel(locale);
      const { html, text } = await renderEditionVariant(shared, model);
      const note = edition(locale)[`languageNote-${other(locale)}`];
      const ownNote = edition(locale)[`languageNote-${locale}`];
      const foreign = allItems(model).filter((item) => item.language !== locale);
      expect(foreign).toHaveLength(1);
      expect(count(html, `>${escaped(note)}</p>`)).toBe(1);
      expect(count(text, `(${note})`)).toBe(1);
      expect(html).not.toContain(ownNote);
      expect(text).toContain(`${foreign[0].title}\n(${note})\n`);
      expect(html).toContain(`<h4 lang="${other(locale)}"`);
    }
    expect(edition('nl')['languageNote-en']).toBe('Alleen in het Engels');
    expect(edition('en')['languageNote-nl']).toBe('Only available in Dutch');
  });

  it("lists a bundle's items, at most a few, and says how many more there are", async () => {
    const { html, text } = await renderEditionVariant(shared, fullModel('nl'));
    expect(count(html, '<li ')).toBe(BUNDLE_PREVIEW_SIZE - 1);
    expect(html).toContain(
      '<a href="https://zorgnetwerk.example/inspiratie/onderdeel-1" style="color: #0b5f5a; text-decoration: underline;">Onderdeel 1</a> (tool)</li>',
    );
    expect(html).toContain('(rapport)</li>');
    expect(html).not.toContain('Onderdeel 5');
    expect(html).toContain('>En nog 3 andere onderdelen.</p>');
    expect(text).toContain('- Onderdeel 1 (tool): https://zorgnetwerk.example/inspiratie/onderdeel-1\n');
    expect(text).toContain('En nog 3 andere onderdelen.\nBekijk de bundel: https://zorgnetwerk.example/inspiratie/samen-leren\n');

    const small = fullModel('en');
    const bundle = small.sections[1].items[0];
    bundle.bundleItems = bundle.bundleItems!.slice(0, BUNDLE_PREVIEW_SIZE);
    const en = await renderEditionVariant(shared, small);
    expect(count(en.html, '<li ')).toBe(BUNDLE_PREVIEW_SIZE);
    expect(en.html).not.toMatch(/more items?\./);

    bundle.bundleItems = [];
    const empty = await renderEditionVariant(shared, small);
    expect(empty.html).not.toContain('<ul');
    expect(empty.html).not.toContain(edition('en').bundleContains);
    expect(empty.html).toContain('>View the bundle</a>');
  });

  it('picks the plural of "more items" by the locale\'s rules', async () => {
    const model = fullModel('en');
    const bundle = model.sections[1].items[0];
    bundle.bundleItems = Array.from({ length: 12 }, (_, i) => ({ title: `Part ${i}`, url: `https://zorgnetwerk.example/p/${i}`, resourceKind: 'video' }));
    const { html, text } = await renderEditionVariant(shared, model);
    expect(html).toContain('>And 8 more items.</p>');
    expect(text).toContain('And 8 more items.\n');
  });

  it('labels resources of an unknown or missing kind as a resource', async () => {
    const model = fullModel('nl');
    model.sections[0].items = [{ kind: 'resource', title: 'Iets zonder soort', summary: null, url: 'https://zorgnetwerk.example/x', language: 'nl' }];
    model.sections[1].items[0].bundleItems = [{ title: 'Podcast', url: 'https://zorgnetwerk.example/podcast', resourceKind: 'podcast' }];
    const { html, text } = await renderEditionVariant(shared, model);
    expect(html).toContain('>bron</p>');
    expect(html).toContain('>Bekijken</a>');
    expect(html).toContain('>Podcast</a> (bron)</li>');
    expect(text).toContain('[bron] Iets zonder soort\n');
  });

  it('leaves out the intro when there is none, but keeps the greeting', async () => {
    const { html, text } = await renderEditionVariant(shared, { ...fullModel('nl'), intro: null });
    expect(html).toContain('<p style="margin: 16px 0;">%greeting%</p>');
    expect(html).not.toContain('Welkom bij de novembereditie');
    expect(text).toContain('Nieuwsbrief november 2026\n\n%greeting%\n\n');
  });
});

describe('edition variant: links keep their colour without <style> (Gmail ignores it)', () => {
  it('every link carries its colour inline', async () => {
    const { html } = await renderEditionVariant(renderer(), fullModel('nl'));
    const links = html.match(/<a\b[^>]*>/g) ?? [];
    expect(links.length).toBeGreaterThan(10);
    for (const link of links) expect(link, link).toMatch(/style="[^"]*\bcolor:\s*#/);
  });
});

describe('edition variant: followed themes first, then "also in this edition"', () => {
  const shared = renderer();
  const base = fullModel('nl');
  const also = edition('nl').alsoInThisEdition;

  it('shows the heading between the followed themes and the rest when the reader follows themes', async () => {
    const model: EditionVariantModel = {
      ...base,
      followed: [simpleSection('Dementie', 'dementie', ['Gevolgd item'])],
      sections: [simpleSection('Mantelzorg', 'mantelzorg', ['Ander item'])],
    };
    const { html, text } = await renderEditionVariant(shared, model);
    expect(count(html, `>${also}</h2>`)).toBe(1);
    expect(html.indexOf('Gevolgd item')).toBeLessThan(html.indexOf(also));
    expect(html.indexOf(also)).toBeLessThan(html.indexOf('Ander item'));
    expect(count(text, `\n${also}\n`)).toBe(1);
    expect(text.indexOf('Gevolgd item')).toBeLessThan(text.indexOf(also));
    // The reader's own part has a heading naming their themes; the rest says where it comes from.
    const own = escaped(edition('nl').yourThemes);
    expect(count(html, `>${own}</h2>`)).toBe(1);
    expect(html.indexOf(own)).toBeLessThan(html.indexOf('Gevolgd item'));
    // One theme followed: its own heading names it, the part's heading does not repeat it.
    expect(html).not.toMatch(/>Dementie<\/p>/);
    expect(html).toContain(escaped(edition('nl').alsoInThisEditionNote));
    expect(html).toContain('background-color:#e3efec');
    expect(text).toContain(`${edition('nl').yourThemes}\n`);
    const two = await renderEditionVariant(shared, {
      ...model,
      followed: [simpleSection('Dementie', 'dementie', ['Gevolgd item']), simpleSection('Jeugd', 'jeugd', ['Ander gevolgd'])],
    });
    expect(two.html).toMatch(/>Dementie, Jeugd<\/p>/);
    expect(two.text).toContain(`${edition('nl').yourThemes}: Dementie, Jeugd\n`);
    // Themes one level below the parts, items one below the themes.
    expect(html).toContain('>Dementie</h3>');
    expect(html).toContain('>Gevolgd item</a></h4>');
  });

  it('has no such heading when the reader follows no theme', async () => {
    const { html, text } = await renderEditionVariant(shared, { ...base, followed: [] });
    expect(html).not.toContain(also);
    expect(text).not.toContain(also);
    for (const section of base.sections) expect(html).toContain(`>${section.heading}</h2>`);
  });

  it('has no such heading when there is nothing else, and leaves out empty sections', async () => {
    const model: EditionVariantModel = {
      ...base,
      followed: [simpleSection('Dementie', 'dementie', ['Gevolgd item']), { themeSlug: 'leeg', heading: 'Leeg thema', items: [] }],
      sections: [{ themeSlug: 'mantelzorg', heading: 'Mantelzorg', items: [] }],
    };
    const { html, text } = await renderEditionVariant(shared, model);
    expect(html).not.toContain(also);
    expect(html).not.toContain('Leeg thema');
    expect(html).not.toContain('Mantelzorg');
    expect(text).not.toContain('Leeg thema');

    const onlyEmptyFollowed = { ...base, followed: [{ themeSlug: 'leeg', heading: 'Leeg thema', items: [] }] };
    expect((await renderEditionVariant(shared, onlyEmptyFollowed)).html).not.toContain(also);
  });
});

describe('edition variant: escaping and links', () => {
  const shared = renderer();
  const hostile = '<script>alert("x")</script> & \'co\'';

  it('escapes titles, summaries, headings, alt texts and the intro in the html, not in the text part', async () => {
    const model = fullModel('nl');
    model.title = `Nieuwsbrief ${hostile}`;
    model.intro = hostile;
    model.followed[0].heading = hostile;
    Object.assign(model.followed[0].items[0], { title: hostile, summary: hostile, imageAlt: hostile });
    model.sections[1].items[0].bundleItems![0].title = hostile;
    const { subject, html, text } = await renderEditionVariant(shared, model);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(`>${escaped(hostile)}</a></h4>`);
    expect(html).toContain(`>${escaped(hostile)}</h3>`);
    expect(html).toContain(`alt="${escaped(hostile)}"`);
    expect(html).toContain(`aria-label="Lees verder: ${escaped(hostile)}"`);
    expect(html).toContain(`<title>Nieuwsbrief ${escaped(hostile)}`);
    expect(subject).toBe(`Nieuwsbrief ${hostile} – ${ORGANISATION.name}`);
    expect(text).toContain(`${hostile}\n`);
  });

  it('does not treat placeholder-like text from editors as a placeholder', async () => {
    const model = fullModel('en');
    model.followed[0].items[0].title = 'About {{org.name}} and {{@sections}}';
    const { html, text } = await renderEditionVariant(shared, model);
    expect(html).toContain('>About {{org.name}} and {{@sections}}</a></h4>');
    expect(text).toContain('About {{org.name}} and {{@sections}}\n');
  });

  it('writes every link of the html part out in the text part, item and bundle URLs included', async () => {
    for (const locale of LOCALES) {
      const model = fullModel(locale);
      const { html, text } = await renderEditionVariant(shared, model);
      const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((match) => unescaped(match[1]));
      expect(hrefs.length).toBeGreaterThan(10);
      for (const href of new Set(hrefs)) expect(text).toContain(href);
      for (const item of allItems(model)) expect(text).toContain(`: ${item.url}\n`);
      expect(html).toContain('href="https://zorgnetwerk.example/nieuws/wijkteams?utm_source=nieuwsbrief&amp;utm_medium=mail"');
    }
  });

  it('loads nothing from outside the mail except the images the model names', async () => {
    const model = fullModel('nl');
    const { html } = await renderEditionVariant(shared, model);
    const allowed = new Set(allItems(model).flatMap((item) => (item.imageUrl ? [item.imageUrl] : [])));
    const sources = [...html.matchAll(/\s(?:src|background|poster)\s*=\s*["']?([^"'\s>]+)/gi)].map((match) => unescaped(match[1]));
    expect(sources.length).toBe(allowed.size);
    for (const source of sources) expect(allowed).toContain(source);
    expect(html).not.toMatch(/url\(\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b|@import|<script\b/i);
  });

  it('refuses links and images that are not absolute http(s) URLs, and variants without items', async () => {
    const withUrl = (change: (item: EditionItemView) => void) => {
      const model = fullModel('nl');
      change(model.followed[0].items[0]);
      return renderEditionVariant(shared, model);
    };
    await expect(withUrl((item) => (item.url = 'javascript:alert(1)'))).rejects.toThrow(/absolute http\(s\) URL.*javascript:alert/);
    await expect(withUrl((item) => (item.url = '/nieuws/relatief'))).rejects.toThrow(/Wijkteams.*absolute http\(s\) URL/);
    await expect(withUrl((item) => (item.imageUrl = '/uploads/foto.jpg'))).rejects.toThrow(/image must be an absolute/);
    await expect(withUrl((item) => (item.imageUrl = 'data:image/png;base64,AAAA'))).rejects.toThrow(/image must be an absolute/);
    const model = fullModel('nl');
    model.sections[1].items[0].bundleItems![0].url = 'ftp://example.org/x';
    await expect(renderEditionVariant(shared, model)).rejects.toThrow(/bundle entry "Onderdeel 1"/);
    await expect(renderEditionVariant(shared, { ...fullModel('nl'), followed: [], sections: [] })).rejects.toThrow(/no items/);
    await expect(renderEditionVariant(shared, { ...fullModel('nl'), locale: 'de' as Locale })).rejects.toThrow(/unknown locale "de"/);
    await expect(renderEditionVariant(shared, { ...fullModel('nl'), preheader: '  ' })).rejects.toThrow(/no preheader/);
  });
});

describe('edition variant: the final mail per recipient', () => {
  it('has nothing left to fill once the tags are substituted', async () => {
    const mail = await renderEditionVariant(renderer(), fullModel('nl'));
    const substitutions = {
      [EDITION_SUBSTITUTION_TAGS.greeting]: greetingFor('nl', 'Anna'),
      [EDITION_SUBSTITUTION_TAGS.viewUrl]: 'https://zorgnetwerk.example/nieuwsbrief/2026-11?v=abc',
      [EDITION_SUBSTITUTION_TAGS.preferencesUrl]: 'https://zorgnetwerk.example/newsletter/preferences?token=p',
      [EDITION_SUBSTITUTION_TAGS.unsubscribeUrl]: 'https://zorgnetwerk.example/newsletter/unsubscribe?token=u',
    };
    const html = applySubstitutions(mail.html, substitutions);
    const text = applySubstitutions(mail.text, substitutions);
    expect(html).toContain('<p style="margin: 16px 0;">Hallo Anna,</p>');
    expect(text).toContain('Bekijk deze e-mail in je browser: https://zorgnetwerk.example/nieuwsbrief/2026-11?v=abc\n');
    expect(`${html}${text}`).not.toMatch(/%[a-z_]+%/);
  });
});

describe('edition variant: compiling and caching', () => {
  it('compiles an identical model once, also when it is built anew, has its keys in another order or comes twice at once', async () => {
    const r = renderer();
    const [first, second] = await Promise.all([renderEditionVariant(r, fullModel('nl')), renderEditionVariant(r, fullModel('nl'))]);
    expect(second).toEqual(first);
    expect(r.mjmlRenders).toBe(1);

    const reordered = fullModel('nl');
    const [item] = reordered.followed[0].items;
    reordered.followed[0].items[0] = Object.fromEntries(Object.entries(item).reverse()) as unknown as EditionItemView;
    reordered.followed[0].items[1].imageUrl = undefined;
    await renderEditionVariant(r, reordered);
    expect(r.mjmlRenders).toBe(1);
  });

  it('compiles again for another locale or another model, and shares the counter with the other mails', async () => {
    const r = renderer();
    await renderEditionVariant(r, fullModel('nl'));
    await renderEditionVariant(r, fullModel('en'));
    const changed = fullModel('nl');
    changed.sections[0].items[1].title = 'Samen zorgen, tweede druk';
    await renderEditionVariant(r, changed);
    await r.render('already-subscribed', 'nl', {});
    expect(r.mjmlRenders).toBe(4);
    await renderEditionVariant(r, changed);
    expect(r.mjmlRenders).toBe(4);
  });

  it('compiles every time with cache: false', async () => {
    const r = renderer({ cache: false });
    await renderEditionVariant(r, fullModel('en'));
    await renderEditionVariant(r, fullModel('en'));
    expect(r.mjmlRenders).toBe(2);
  });

  it('validates the MJML strictly: a broken edition partial fails with the template and locale named', async () => {
    const dir = emailsCopyWith('partials/edition/item-card.mjml', (source) => `${source}<mj-section></mj-section>\n`);
    await expect(renderEditionVariant(renderer({ templatesDir: dir }), fullModel('en'))).rejects.toThrow(
      /Mail template "edition" \(en\): MJML validation failed[\s\S]*mj-section/,
    );
  });

  it('renders a realistic edition of 20 items quickly and below the size at which Gmail clips a mail', async () => {
    const model = realisticModel();
    expect(allItems(model)).toHaveLength(20);
    const r = renderer({ cache: false });
    const first = await renderEditionVariant(r, model); // warms up MJML and the file reads
    const runs = 10;
    const started = performance.now();
    for (let run = 0; run < runs; run += 1) await renderEditionVariant(r, model);
    const perRender = (performance.now() - started) / runs;
    const htmlBytes = Buffer.byteLength(first.html);
    console.log(
      `[edition] 20 items: ${perRender.toFixed(1)} ms per compile (${runs} runs, cache off), html ${(htmlBytes / 1024).toFixed(1)} KiB, text ${(Buffer.byteLength(first.text) / 1024).toFixed(1)} KiB`,
    );
    expect(r.mjmlRenders).toBe(runs + 1);
    expect(perRender).toBeLessThan(2000);
    expect(htmlBytes).toBeLessThan(GMAIL_CLIP_BYTES);
    for (const item of allItems(model)) expect(first.text).toContain(item.url);
  });
});

describe('compose (the renderer underneath)', () => {
  it('refuses template names that are paths and unknown locales', async () => {
    const r = renderer();
    const slots = async () => ({ mjml: {}, text: {} });
    await expect(r.compose({ template: '../secret', locale: 'nl', data: {}, slots })).rejects.toThrow('Unknown mail template "../secret"');
    await expect(r.compose({ template: 'edition', locale: 'de' as Locale, data: {}, slots })).rejects.toThrow('Unknown mail locale "de"');
  });

  it('names a slot that gets no contents, and contents that have no slot', async () => {
    const r = renderer();
    const data = { editionTitle: 'T', editionPreheader: 'P' };
    await expect(r.compose({ template: 'edition', locale: 'nl', data, slots: async () => ({ mjml: { sections: '' }, text: {} }) })).rejects.toThrow(
      /no contents for slot \{\{@introParagraphs\}\}/,
    );
    await expect(
      r.compose({
        template: 'edition',
        locale: 'nl',
        data,
        slots: async (filler) => ({
          mjml: { introParagraphs: '', sections: '' },
          text: { introParagraphs: '', sections: await filler.fill('partials/edition/summary.txt', { summary: 's', itemLanguage: 'nl' }), typo: 'x' },
        }),
      }),
    ).rejects.toThrow(/no slot for \{\{@typo\}\}/);
  });

  it('fills partials with escaped values and refuses reserved value keys', async () => {
    const r = renderer();
    let filled = '';
    await r.compose({
      template: 'edition',
      locale: 'en',
      data: { editionTitle: 'T', editionPreheader: 'P' },
      slots: async (filler) => {
        filled = await filler.fill('partials/edition/intro-paragraph.mjml', { paragraph: '<b>&</b>' });
        await expect(filler.fill('partials/edition/intro-paragraph.mjml', { 'org.name': 'x' })).rejects.toThrow(/"org.name" is reserved/);
        await expect(filler.fill('partials/edition/intro-paragraph.mjml', { editionTitle: 'x' })).rejects.toThrow(/"editionTitle" is reserved/);
        await expect(filler.fill('partials/edition/image.html', {})).rejects.toThrow(/must end in .mjml or .txt/);
        expect(() => filler.text('mail.nope')).toThrow(/the strings have no "mail.nope"/);
        return { mjml: { introParagraphs: filled, sections: '' }, text: { introParagraphs: '', sections: '' } };
      },
    });
    expect(filled).toBe('<p style="margin: 16px 0;">&lt;b&gt;&amp;&lt;/b&gt;</p>\n');
  });
});
