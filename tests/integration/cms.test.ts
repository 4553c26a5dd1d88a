import { describe, expect, it } from 'vitest';
import { seedDemoContent } from '../../database/seed/seed';
import { articles as demoArticles, subscribers as demoSubscribers } from '../../database/seed/demo-content';
import { useCms } from '../support/harness';
import { getJson } from '../support/http';

const app = useCms({ name: 'cms', listen: true, seed: true });

const mainArticle = demoArticles[0];
const draftArticle = demoArticles.find((article) => !article.published)!;

const get = (path: string, headers: Record<string, string> = {}) => getJson(`${app.url}${path}`, headers);

describe('public content API', () => {
  it('answers the health check with 204', async () => {
    const response = await fetch(`${app.url}/_health`);
    expect(response.status).toBe(204);
  });

  it.each(['nl', 'en'] as const)('serves the published articles in %s with their themes', async (locale) => {
    const { status, body } = await get(`/api/articles?locale=${locale}&populate=themes&sort=publicationDate:asc`);
    expect(status).toBe(200);
    const published = demoArticles.filter((article) => article.published);
    expect(body.data.map((a: { title: string }) => a.title)).toEqual(published.map((a) => a.title[locale]));
    const first = body.data[0];
    expect(first.slug).toBe(mainArticle.slug[locale]);
    expect(first.locale).toBe(locale);
    expect(first.themes).toHaveLength(4);
    expect(first.themes.every((theme: { locale: string }) => theme.locale === locale)).toBe(true);
    expect(first.themes.map((theme: { name: string }) => theme.name)).toContain(locale === 'nl' ? 'Meten van leercultuur' : 'Measuring learning culture');
  });

  it('serves Dutch when no locale is asked for (the default locale)', async () => {
    const { body } = await get('/api/articles?filters[slug][$eq]=' + mainArticle.slug.nl);
    expect(body.data).toHaveLength(1);
    expect(body.data[0].title).toBe(mainArticle.title.nl);
  });

  it('serves themes and resources, with a bundle and its items', async () => {
    const themes = await get('/api/themes?locale=en');
    expect(themes.status).toBe(200);
    expect(themes.body.data).toHaveLength(4);
    const bundle = await get('/api/resources?locale=nl&filters[kind][$eq]=bundle&populate=items');
    expect(bundle.status).toBe(200);
    expect(bundle.body.data).toHaveLength(1);
    expect(bundle.body.data[0].items).toHaveLength(5);
  });

  it('never serves a draft to an anonymous request, also not with ?status=draft', async () => {
    for (const locale of ['nl', 'en'] as const) {
      for (const query of ['', '&status=draft', '&status=published']) {
        const { status, body } = await get(`/api/articles?locale=${locale}${query}&pagination[pageSize]=100`);
        expect(status).toBe(200);
        expect(body.data.map((a: { title: string }) => a.title)).not.toContain(draftArticle.title[locale]);
      }
    }
    const draft = await app.strapi.documents('api::article.article').findFirst({ locale: 'nl', status: 'draft', filters: { slug: draftArticle.slug.nl } });
    expect(draft).toBeTruthy();
    for (const query of ['', '?status=draft']) {
      const single = await get(`/api/articles/${draft!.documentId}${query}`);
      expect(single.status).toBe(404);
    }
  });

  it('keeps unpublished changes to a published article private', async () => {
    const documents = app.strapi.documents('api::article.article');
    const published = await documents.findFirst({ locale: 'nl', status: 'published', filters: { slug: mainArticle.slug.nl } });
    await documents.update({ documentId: published!.documentId, locale: 'nl', data: { title: 'Geheime conceptwijziging' } } as never);
    const { body } = await get(`/api/articles/${published!.documentId}?locale=nl&status=draft`);
    expect(body.data.title).toBe(mainArticle.title.nl);
    await documents.update({ documentId: published!.documentId, locale: 'nl', data: { title: mainArticle.title.nl } } as never);
  });
});

describe('subscribers are private', () => {
  const methods = [
    ['GET', '/api/subscribers'],
    ['GET', '/api/subscribers/any-id'],
    ['POST', '/api/subscribers'],
    ['PUT', '/api/subscribers/any-id'],
    ['DELETE', '/api/subscribers/any-id'],
  ] as const;

  it.each(methods)('the Public role gets 403 on %s %s', async (method, path) => {
    const response = await fetch(`${app.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'POST' || method === 'PUT' ? JSON.stringify({ data: { email: 'intruder@example.org' } }) : undefined,
    });
    expect(response.status).toBe(403);
  });

  it('a full-access API token is refused too, and nothing is written', async () => {
    const token = await app.strapi.service('admin::api-token').create({ name: 'test full access', type: 'full-access', lifespan: null });
    const headers = { authorization: `Bearer ${token.accessKey}`, 'content-type': 'application/json' };
    expect((await fetch(`${app.url}/api/subscribers`, { headers })).status).toBe(403);
    const created = await fetch(`${app.url}/api/subscribers`, { method: 'POST', headers, body: JSON.stringify({ data: { email: 'token@example.org' } }) });
    expect(created.status).toBe(403);
    expect(await app.strapi.db.query('api::subscriber.subscriber').count({ where: { email: 'token@example.org' } })).toBe(0);
    // The token itself works: it may read articles.
    expect((await fetch(`${app.url}/api/articles`, { headers })).status).toBe(200);
  });

  it('does not leak subscribers through populate on public content', async () => {
    const { status, body } = await get('/api/articles?populate=*');
    expect(status).toBe(200);
    expect(JSON.stringify(body)).not.toContain('@example.org');
  });

  it('stores addresses normalised and keeps them unique regardless of case', async () => {
    const subscribers = app.strapi.documents('api::subscriber.subscriber');
    const created = await subscribers.create({ data: { email: '  Case.Test@Example.ORG ', preferredLocale: 'en', state: 'pending', themes: [] } as never });
    expect(created.email).toBe('case.test@example.org');
    await expect(
      subscribers.create({ data: { email: 'CASE.TEST@example.org', preferredLocale: 'nl', state: 'pending', themes: [] } as never }),
    ).rejects.toThrow();
    // The database refuses it as well, also when Strapi's validation is bypassed.
    await expect(
      app.strapi.db.connection('subscribers').insert({ document_id: 'dup-test', email: 'case.test@example.org', state: 'pending', preferred_locale: 'nl' }),
    ).rejects.toThrow();
    expect(await app.strapi.db.query('api::subscriber.subscriber').count({ where: { email: 'case.test@example.org' } })).toBe(1);
  });
});

describe('seed and restarts', () => {
  it('re-running the seed changes nothing', async () => {
    const count = async () => ({
      articles: await app.strapi.db.query('api::article.article').count(),
      themes: await app.strapi.db.query('api::theme.theme').count(),
      resources: await app.strapi.db.query('api::resource.resource').count(),
      subscribers: await app.strapi.db.query('api::subscriber.subscriber').count(),
    });
    const before = await count();
    const report = await seedDemoContent(app.strapi);
    expect(Object.values(report.created).every((n) => n === 0)).toBe(true);
    expect(await count()).toEqual(before);
    expect(before.subscribers).toBeGreaterThanOrEqual(demoSubscribers.length);
  });

  it('keeps locales and permissions, without duplicates, across a restart', async () => {
    const snapshot = async () => {
      const locales = await app.strapi.db.query('plugin::i18n.locale').findMany({ orderBy: { code: 'asc' } });
      const defaultLocale = await app.strapi.plugin('i18n').service('locales').getDefaultLocale();
      const permissions = await app.strapi.db.query('plugin::users-permissions.permission').findMany({ where: { role: { type: 'public' } } });
      return { locales: locales.map((l: { code: string }) => l.code), defaultLocale, permissions: permissions.map((p: { action: string }) => p.action).sort() };
    };
    const before = await snapshot();
    expect(before.locales).toEqual(['en', 'nl']);
    expect(before.defaultLocale).toBe('nl');
    expect(before.permissions).toEqual(['article', 'resource', 'theme'].flatMap((t) => [`api::${t}.${t}.find`, `api::${t}.${t}.findOne`]).sort());
    await app.restart();
    expect(await snapshot()).toEqual(before);
    const { status, body } = await get('/api/articles?locale=en&populate=themes');
    expect(status).toBe(200);
    expect(body.data.length).toBe(3);
  });
});
