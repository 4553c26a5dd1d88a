import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { campaigns as demoCampaigns, resources as demoResources } from '../../database/seed/demo-content';
import { seedDemoContent } from '../../database/seed/seed';
import { CAMPAIGN_SUBSTITUTION_TAGS, renderCampaignVariant } from '../../src/mailings/campaign/render';
import { loadCampaign, CAMPAIGN_UID, type CampaignLinks } from '../../src/mailings/campaign/content';
import { assertSendable, buildCampaignVariantModels, campaignRefusals, type CampaignContent } from '../../src/mailings/campaign/model';
import { CampaignRefusedError } from '../../src/mailings/campaign/refusals';
import { createMailRenderer } from '../../src/mail/renderer';
import { useCms } from '../support/harness';
import { solidPng } from '../support/sample-files';

const app = useCms({ name: 'campaign', listen: true, seed: true });
let links: CampaignLinks;
const demo = demoCampaigns[0];
const demoBundle = demoResources.find((resource) => resource.kind === 'bundle')!;

beforeAll(async () => {
  links = { siteUrl: 'https://site.example', publicUrl: app.url };
});

const renderer = () =>
  createMailRenderer({
    templatesDir: 'emails',
    organisation: {
      name: 'Netwerkpost',
      postalAddress: 'Postbus 1, Rotterdam',
      websiteUrl: 'https://site.example',
      privacyUrl: 'https://site.example/privacy',
    },
  });

async function seededCampaign(): Promise<CampaignContent> {
  const found = await app.strapi.documents(CAMPAIGN_UID).findFirst({ filters: { title: demo.title } } as never);
  expect(found).toBeTruthy();
  const content = await loadCampaign(app.strapi, { documentId: found!.documentId }, links);
  expect(content).not.toBeNull();
  return content!;
}

async function bundleDocumentId(): Promise<string> {
  return (await app.strapi.documents('api::resource.resource').findFirst({ locale: 'nl', filters: { slug: demoBundle.slug } } as never))!.documentId;
}

describe('the seeded campaign', () => {
  it('is a draft for everyone, featuring the bundle first, then the report and the article, all published', async () => {
    const content = await seededCampaign();
    expect(content).toMatchObject({ title: demo.title, state: 'draft', sendAt: null, audience: { themes: [], locale: null }, problems: [] });
    expect(content.text.nl.subject).toBe('Lancering inspiratiebundel Leercultuur');
    expect(content.text.en.subject).toBe('Launch of the Leercultuur inspiration bundle');
    expect(content.featured.map((item) => item.content.nl?.title)).toEqual([
      'Inspiratiebundel Leercultuur',
      'Rapport: opbrengsten van het lerend netwerk',
      'Lerend netwerk Leercultuur afgerond',
    ]);
    expect(content.featured[0].content.en?.bundleItems?.map((entry) => entry.title)).toHaveLength(demoBundle.items!.length);
    expect(campaignRefusals(content, ['nl', 'en'])).toEqual([]);
  });

  it("labels each featured entry with its item's title and kind, so the admin's collapsed rows are not blank; a draft is marked", async () => {
    const { id, documentId } = await seededCampaign();
    const labels = async () =>
      (
        (await app.strapi.db.query(CAMPAIGN_UID).findOne({ where: { id }, populate: { featuredItems: { select: ['label'] } } })) as {
          featuredItems: Array<{ label: string }>;
        }
      ).featuredItems.map((entry) => entry.label);
    expect(await labels()).toEqual([
      'Inspiratiebundel Leercultuur · bundel / bundle',
      'Rapport: opbrengsten van het lerend netwerk · rapport / report',
      'Lerend netwerk Leercultuur afgerond · nieuws / news',
    ]);
    const draft = (await app.strapi.documents('api::article.article').create({
      locale: 'nl',
      data: { title: 'Nog een concept', summary: 'Niet gepubliceerd.', body: 'Tekst.' },
    } as never)) as { documentId: string };
    const record = (await app.strapi
      .documents(CAMPAIGN_UID)
      .findOne({ documentId, populate: { featuredItems: { populate: ['resource', 'article'] } } } as never)) as unknown as {
      featuredItems: Array<{ resource?: { documentId: string } | null; article?: { documentId: string } | null }>;
    };
    const entries = record.featuredItems.map((entry) => ({
      resource: entry.resource ? { connect: [{ documentId: entry.resource.documentId, locale: 'nl' }] } : undefined,
      article: entry.article ? { connect: [{ documentId: entry.article.documentId, locale: 'nl' }] } : undefined,
    }));
    await app.strapi
      .documents(CAMPAIGN_UID)
      .update({ documentId, data: { featuredItems: [...entries, { article: { connect: [{ documentId: draft.documentId, locale: 'nl' }] } }] } } as never);
    expect((await labels()).at(-1)).toBe('Nog een concept · nieuws / news · concept, niet gepubliceerd / draft, not published');
    await app.strapi.documents(CAMPAIGN_UID).update({ documentId, data: { featuredItems: entries } } as never);
    expect(await labels()).toHaveLength(3);
    await app.strapi.documents('api::article.article').delete({ documentId: draft.documentId } as never);
  });

  it('is found by its numeric id as well', async () => {
    const content = await seededCampaign();
    expect((await loadCampaign(app.strapi, { id: content.id }, links))?.documentId).toBe(content.documentId);
    expect(await loadCampaign(app.strapi, { id: 987_654 }, links)).toBeNull();
  });

  it('renders both variants: subject, the bundle with its contents, the button, the cards, the per-recipient tags', async () => {
    const content = await seededCampaign();
    const models = buildCampaignVariantModels(content, ['nl', 'en']);
    const mails = renderer();
    for (const [locale, model] of models) {
      const mail = await renderCampaignVariant(mails, model);
      expect(mail.subject).toBe(content.text[locale].subject);
      expect(mail.preheader).toBe(content.text[locale].preheader);
      const bundle = content.featured[0].content[locale]!;
      expect(mail.html).toContain(`href="${bundle.url}"`);
      for (const entry of bundle.bundleItems!) expect(mail.html).toContain(`href="${entry.url}"`);
      expect(mail.html).toContain(locale === 'nl' ? 'Ontdek de inspiratiebundel' : 'Explore the bundle');
      expect(mail.html).toContain(locale === 'nl' ? 'Ook uitgelicht' : 'Also featured');
      expect(mail.html).toContain(
        `${links.siteUrl}${locale === 'nl' ? '/nieuws/lerend-netwerk-leercultuur-afgerond' : '/en/news/learning-culture-network-completed'}`,
      );
      for (const tag of Object.values(CAMPAIGN_SUBSTITUTION_TAGS)) expect(mail.text).toContain(tag);
    }
    expect(mails.mjmlRenders).toBe(2);
  });

  it('a second seed run creates nothing, also not a second campaign', async () => {
    const report = await seedDemoContent(app.strapi);
    expect(report.created.campaigns).toBe(0);
    expect(Object.values(report.created).every((n) => n === 0)).toBe(true);
    expect(await app.strapi.db.query(CAMPAIGN_UID).count({})).toBe(1);
  });

  it('unpublishing the bundle makes it a refusal that names it; publishing it again lifts it', async () => {
    const documentId = await bundleDocumentId();
    const resources = app.strapi.documents('api::resource.resource');
    await resources.unpublish({ documentId, locale: '*' } as never);
    try {
      const content = await seededCampaign();
      expect(content.featured).toHaveLength(2);
      let refused: unknown;
      try {
        assertSendable(content, ['nl', 'en']);
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(CampaignRefusedError);
      const [draft] = (refused as CampaignRefusedError).refusals;
      expect(draft).toMatchObject({ code: 'featured-item-draft', position: 1 });
      expect(draft.message.nl).toContain('"Inspiratiebundel Leercultuur"');
      expect(draft.message.en).toContain('is not published');
      expect(() => buildCampaignVariantModels(content, ['nl'])).toThrow(/Inspiratiebundel Leercultuur/);
    } finally {
      await resources.publish({ documentId, locale: '*' } as never);
    }
    const again = await seededCampaign();
    expect(again.problems).toEqual([]);
    expect(again.featured[0].content.nl?.title).toBe('Inspiratiebundel Leercultuur');
  });

  it('a bundle lists only its published contents', async () => {
    const resources = app.strapi.documents('api::resource.resource');
    const part = (await resources.findFirst({ locale: 'nl', filters: { slug: demoBundle.items![0] } } as never))!;
    await resources.unpublish({ documentId: part.documentId, locale: '*' } as never);
    try {
      const content = await seededCampaign();
      expect(content.featured[0].content.nl?.bundleItems?.map((entry) => entry.title)).not.toContain(part.title);
      expect(content.featured[0].content.nl?.bundleItems).toHaveLength(demoBundle.items!.length - 1);
    } finally {
      await resources.publish({ documentId: part.documentId, locale: '*' } as never);
    }
  });

  it('an item published in one language only is shown to the other language in that one, marked', async () => {
    const articles = app.strapi.documents('api::article.article');
    const article = (await articles.findFirst({ locale: 'nl', filters: { slug: 'lerend-netwerk-leercultuur-afgerond' } } as never))!;
    await articles.unpublish({ documentId: article.documentId, locale: 'en' } as never);
    try {
      const content = await seededCampaign();
      const en = buildCampaignVariantModels(content, ['en']).get('en')!;
      expect(en.others.find((item) => item.kind === 'article')).toMatchObject({ title: 'Lerend netwerk Leercultuur afgerond', language: 'nl' });
      const mail = await renderCampaignVariant(renderer(), en);
      expect(mail.html).toContain('Only available in Dutch');
    } finally {
      await articles.publish({ documentId: article.documentId, locale: 'en' } as never);
    }
  });
});

describe('audience and the document rule', () => {
  it('reads the audience themes as slugs and the language', async () => {
    const theme = (await app.strapi.documents('api::theme.theme').findFirst({ locale: 'nl', filters: { slug: 'verandermanagement' } } as never))!;
    const created = await app.strapi
      .documents(CAMPAIGN_UID)
      .create({ data: { title: 'Alleen Engels, verandermanagement', audienceThemes: [theme.documentId], audienceLocale: 'en', featuredItems: [] } } as never);
    const content = (await loadCampaign(app.strapi, { documentId: created.documentId }, links))!;
    expect(content.audience).toEqual({ themes: ['verandermanagement'], locale: 'en' });
    expect(campaignRefusals(content, ['en']).map((entry) => entry.code)).toEqual(['no-featured-items', 'no-subject']);
    await app.strapi.documents(CAMPAIGN_UID).delete({ documentId: created.documentId } as never);
  });

  it("editors cannot set the engine's states, nor change a campaign that is being sent", async () => {
    const campaigns = app.strapi.documents(CAMPAIGN_UID);
    const created = await campaigns.create({ data: { title: 'Regeltest' } } as never);
    await expect(campaigns.update({ documentId: created.documentId, data: { state: 'sent' } } as never)).rejects.toThrow(/draft, scheduled or cancelled/);
    await campaigns.update({ documentId: created.documentId, data: { state: 'scheduled', sendAt: new Date(Date.now() + 3600_000).toISOString() } } as never);
    // The engine claims it through the database, as it does an edition.
    await app.strapi.db.query(CAMPAIGN_UID).update({ where: { documentId: created.documentId }, data: { state: 'sending' } });
    await expect(campaigns.update({ documentId: created.documentId, data: { title: 'Toch anders' } } as never)).rejects.toThrow(/can no longer be changed/);
    await app.strapi.db.query(CAMPAIGN_UID).delete({ where: { documentId: created.documentId } });
  });

  it('the admin list shows title, state and send time; the counts are read-only', async () => {
    const service = app.strapi.plugin('content-manager').service('content-types');
    const configuration = (await service.findConfiguration(service.findContentType(CAMPAIGN_UID))) as {
      layouts: { list: string[] };
      metadatas: Record<string, { edit: { editable?: boolean } }>;
    };
    expect(configuration.layouts.list).toEqual(expect.arrayContaining(['title', 'state', 'sendAt']));
    for (const field of ['recipientsCount', 'submittedCount', 'failedCount', 'sentAt', 'notes'])
      expect(configuration.metadatas[field].edit.editable).toBe(false);
    expect(configuration.metadatas.subjectNl.edit.editable).not.toBe(false);
  });
});

describe('campaigns are private', () => {
  const methods = [
    ['GET', '/api/campaigns'],
    ['GET', '/api/campaigns/any-id'],
    ['POST', '/api/campaigns'],
    ['PUT', '/api/campaigns/any-id'],
    ['DELETE', '/api/campaigns/any-id'],
  ] as const;

  it.each(methods)('the Public role gets 403 on %s %s', async (method, path) => {
    const response = await fetch(`${app.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'POST' || method === 'PUT' ? JSON.stringify({ data: { title: 'intruder' } }) : undefined,
    });
    expect(response.status).toBe(403);
  });

  it('a full-access API token is refused too, and nothing is written', async () => {
    const token = await app.strapi.service('admin::api-token').create({ name: 'campaign test full access', type: 'full-access', lifespan: null });
    const headers = { authorization: `Bearer ${token.accessKey}`, 'content-type': 'application/json' };
    expect((await fetch(`${app.url}/api/campaigns`, { headers })).status).toBe(403);
    expect((await fetch(`${app.url}/api/campaigns`, { method: 'POST', headers, body: JSON.stringify({ data: { title: 'token' } }) })).status).toBe(403);
    expect(await app.strapi.db.query(CAMPAIGN_UID).count({ where: { title: 'token' } })).toBe(0);
  });
});

describe('images', () => {
  const RESOURCE = 'api::resource.resource';

  /** An editor's photo through the media library, which stores it with its resized copies. */
  async function uploadPhoto(name: string): Promise<{ id: number; url: string; formats: Record<string, { url: string; width: number }> }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'np-photo-'));
    const filepath = path.join(dir, name);
    fs.writeFileSync(filepath, solidPng(1200, 800));
    try {
      const [file] = await app.strapi
        .plugin('upload')
        .service('upload')
        .upload({ data: {}, files: { filepath, originalFilename: name, mimetype: 'image/png', size: fs.statSync(filepath).size } });
      return file;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it("a resource's image needs alt text; the bundle's image then leads the launch mail at the mail width, from a resized copy, and is on its page", async () => {
    const photo = await uploadPhoto('bundel-foto.png');
    expect(photo.formats.medium.width).toBe(750);
    const documentId = await bundleDocumentId();
    const withoutAlt = app.strapi.documents(RESOURCE).update({ documentId, locale: 'nl', data: { image: photo.id, imageAlt: '' } } as never);
    await expect(withoutAlt).rejects.toThrow(/alt-tekst/);
    for (const locale of ['nl', 'en'] as const) {
      const imageAlt = locale === 'nl' ? 'Deelnemers van het lerend netwerk rond een tafel' : 'Members of the learning network around a table';
      await app.strapi.documents(RESOURCE).update({ documentId, locale, data: { image: photo.id, imageAlt } } as never);
      await app.strapi.documents(RESOURCE).publish({ documentId, locale } as never);
    }

    const content = await seededCampaign();
    const models = buildCampaignVariantModels(content, ['nl', 'en']);
    const lead = models.get('nl')!.lead;
    expect(lead).toMatchObject({ imageUrl: `${app.url}${photo.formats.medium.url}`, imageWidth: 536, imageHeight: 357 });
    const mail = await renderCampaignVariant(renderer(), models.get('en')!);
    expect(mail.html).toMatch(
      new RegExp(`<img alt="Members of the learning network around a table" src="${app.url}${photo.formats.medium.url}" width="536" height="357"`),
    );

    const page = await (await fetch(`${app.url}/inspiratie/${demoBundle.slug}`)).text();
    expect(page).toContain(`alt="Deelnemers van het lerend netwerk rond een tafel" width="640" height="427"`);
    // The image's own file answers (every link in a mail opens).
    expect((await fetch(`${app.url}${photo.formats.medium.url}`)).status).toBe(200);
  });

  it("a campaign's image at the top needs alt text in each language it is written in, and shows under the subject", async () => {
    const photo = await uploadPhoto('campagne-foto.png');
    const { documentId } = await seededCampaign();
    await expect(
      app.strapi.documents(CAMPAIGN_UID).update({ documentId, data: { hero: photo.id, heroAltNl: 'Een zaal vol mensen' } } as never),
    ).rejects.toThrow(/alt-tekst/);
    await app.strapi
      .documents(CAMPAIGN_UID)
      .update({ documentId, data: { hero: photo.id, heroAltNl: 'Een zaal vol mensen', heroAltEn: 'A room full of people' } } as never);
    const models = buildCampaignVariantModels(await seededCampaign(), ['nl', 'en']);
    for (const [locale, alt] of [
      ['nl', 'Een zaal vol mensen'],
      ['en', 'A room full of people'],
    ] as const) {
      const mail = await renderCampaignVariant(renderer(), models.get(locale)!);
      expect(mail.html).toMatch(new RegExp(`<img alt="${alt}" src="${app.url}${photo.formats.medium.url}" width="536" height="357"`));
    }
    await app.strapi.documents(CAMPAIGN_UID).update({ documentId, data: { hero: null } } as never);
    expect((await seededCampaign()).hero ?? null).toBeNull();
  });
});
