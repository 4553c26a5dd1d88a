import { describe, expect, it } from 'vitest';
import {
  assertSendable,
  buildCampaignVariantModel,
  buildCampaignVariantModels,
  campaignRefusals,
  type CampaignContent,
  type FeaturedItem,
} from '../../src/mailings/campaign/model';
import { CampaignRefusedError, refusal } from '../../src/mailings/campaign/refusals';

const bundle: FeaturedItem = {
  key: 'resource:bundle',
  position: 1,
  content: {
    nl: {
      kind: 'resource',
      resourceKind: 'bundle',
      title: 'Inspiratiebundel',
      summary: 'Alles bij elkaar.',
      url: 'https://site.example/inspiratie/bundel',
      bundleItems: [{ title: 'Checklist', url: 'https://site.example/c', resourceKind: 'tool' }],
    },
    en: {
      kind: 'resource',
      resourceKind: 'bundle',
      title: 'Inspiration bundle',
      summary: 'All in one place.',
      url: 'https://site.example/en/resources/bundel',
      bundleItems: [{ title: 'Checklist', url: 'https://site.example/c', resourceKind: 'tool' }],
    },
  },
};
const article: FeaturedItem = {
  key: 'article:a',
  position: 1,
  content: { nl: { kind: 'article', title: 'Netwerk afgerond', summary: 'Zes maanden.', url: 'https://site.example/nieuws/afgerond' } },
};
const report: FeaturedItem = {
  key: 'resource:r',
  position: 3,
  content: {
    nl: { kind: 'resource', resourceKind: 'report', title: 'Rapport', summary: null, url: 'https://site.example/r' },
    en: { kind: 'resource', resourceKind: 'report', title: 'Report', summary: null, url: 'https://site.example/r' },
  },
};

function campaign(overrides: Partial<CampaignContent> = {}): CampaignContent {
  return {
    id: 1,
    documentId: 'doc',
    title: 'Lancering',
    state: 'draft',
    sendAt: null,
    audience: { themes: [], locale: null },
    text: {
      nl: { subject: 'Lancering bundel', preheader: 'Nu voor iedereen', intro: 'Eerste alinea.\n\nTweede.' },
      en: { subject: 'Launch', preheader: null, intro: null },
    },
    featured: [{ ...article, position: 1 }, { ...bundle, position: 2 }, report],
    problems: [],
    ...overrides,
  };
}

describe('campaign variant model', () => {
  it("leads with the first bundle, the others follow as cards in the editors' order", () => {
    const model = buildCampaignVariantModel(campaign(), 'nl');
    expect(model.lead.title).toBe('Inspiratiebundel');
    expect(model.lead.bundleItems).toHaveLength(1);
    expect(model.others.map((item) => item.title)).toEqual(['Netwerk afgerond', 'Rapport']);
    expect(model).toMatchObject({ locale: 'nl', subject: 'Lancering bundel', preheader: 'Nu voor iedereen', intro: 'Eerste alinea.\n\nTweede.' });
  });

  it('without a bundle the first item leads', () => {
    const model = buildCampaignVariantModel(campaign({ featured: [report, article] }), 'nl');
    expect(model.lead.title).toBe('Rapport');
    expect(model.others.map((item) => item.title)).toEqual(['Netwerk afgerond']);
  });

  it('an item without a translation is shown in the language it has, marked by its language', () => {
    const model = buildCampaignVariantModel(campaign(), 'en');
    expect(model.lead).toMatchObject({ title: 'Inspiration bundle', language: 'en' });
    expect(model.others[0]).toMatchObject({ title: 'Netwerk afgerond', language: 'nl' });
    expect(model.others[1]).toMatchObject({ title: 'Report', language: 'en' });
  });

  it("an empty preheader falls back to the lead's summary; an empty intro is none", () => {
    const model = buildCampaignVariantModel(campaign(), 'en');
    expect(model.preheader).toBe('All in one place.');
    expect(model.intro).toBeNull();
  });

  it('builds the models of the languages that have recipients only', () => {
    const models = buildCampaignVariantModels(
      campaign({ text: { nl: { subject: 'Alleen nl', preheader: null, intro: null }, en: { subject: null, preheader: null, intro: null } } }),
      ['nl'],
    );
    expect([...models.keys()]).toEqual(['nl']);
  });
});

describe('campaign refusals', () => {
  it('no subject in a language that has recipients; a language without recipients needs none', () => {
    const content = campaign({ text: { nl: { subject: ' ', preheader: null, intro: null }, en: { subject: 'Launch', preheader: null, intro: null } } });
    expect(campaignRefusals(content, ['en'])).toEqual([]);
    expect(campaignRefusals(content, ['nl', 'en']).map((entry) => [entry.code, entry.locale])).toEqual([['no-subject', 'nl']]);
    expect(() => buildCampaignVariantModel(content, 'nl')).toThrow(CampaignRefusedError);
  });

  it('no featured items', () => {
    const error = captured(() => assertSendable(campaign({ featured: [] }), ['nl']));
    expect(error.refusals.map((entry) => entry.code)).toEqual(['no-featured-items']);
    expect(error.message).toContain('geen uitgelichte items');
    expect(error.message).toContain('no featured items');
  });

  it('drafts are named, with their position, and every problem is reported at once', () => {
    const problems = [refusal.featuredItemDraft(2, 'resource', 'Inspiratiebundel Leercultuur'), refusal.featuredItemEmpty(4)];
    const error = captured(() =>
      assertSendable(
        campaign({ problems, text: { nl: { subject: 'x', preheader: null, intro: null }, en: { subject: null, preheader: null, intro: null } } }),
        ['nl', 'en'],
      ),
    );
    expect(error.refusals.map((entry) => entry.code)).toEqual(['featured-item-draft', 'featured-item-empty', 'no-subject']);
    expect(error.refusals[0].message.nl).toBe(
      'Uitgelicht item 2, bron "Inspiratiebundel Leercultuur", is niet gepubliceerd (concept); publiceer het of haal het uit de campagne.',
    );
    expect(error.refusals[0].message.en).toContain('resource "Inspiratiebundel Leercultuur", is not published');
    expect(error.has('featured-item-draft')).toBe(true);
    expect(error.message).toContain('Campaign "Lancering" cannot be sent');
  });

  it('when every entry is a draft, "no featured items" is not added on top', () => {
    const error = captured(() => assertSendable(campaign({ featured: [], problems: [refusal.featuredItemDraft(1, 'article', 'A')] }), ['nl']));
    expect(error.refusals.map((entry) => entry.code)).toEqual(['featured-item-draft']);
  });
});

function captured(run: () => void): CampaignRefusedError {
  try {
    run();
  } catch (error) {
    if (error instanceof CampaignRefusedError) return error;
    throw error;
  }
  throw new Error('expected a CampaignRefusedError');
}
