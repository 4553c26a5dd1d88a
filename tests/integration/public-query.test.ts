import { beforeAll, describe, expect, it } from 'vitest';
import { articles as demoArticles } from '../../database/seed/demo-content';
import { fill, findCases, findOneCases, publicTypes } from '../support/bad-queries';
import { getJson } from '../support/http';
import { useCms } from '../support/harness';

/**
 * Public content-API reads answer a malformed query with 400 and a message naming what is wrong,
 * never with a 500 (a malformed query is the client's mistake), while well-formed queries keep working.
 */
const app = useCms({ name: 'public-query', listen: true, seed: true });
const documentIds: Record<string, string> = {};

const get = (path: string) => getJson(`${app.url}${path}`);

beforeAll(async () => {
  for (const type of publicTypes) {
    const { body } = await get(`/api/${type.plural}?pagination[pageSize]=1`);
    documentIds[type.plural] = body.data[0].documentId;
  }
});

const cases = publicTypes.flatMap((type) => [
  ...findCases.map((c) => ({ label: `${type.plural} find: ${c.name}`, plural: type.plural, one: false, query: fill(c.query, type) })),
  ...findOneCases.map((c) => ({ label: `${type.plural} findOne: ${c.name}`, plural: type.plural, one: true, query: fill(c.query, type) })),
]);

describe('malformed queries', () => {
  it('cover enough ground', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
  });

  it.each(cases)('$label answers 400 with a message', async ({ plural, one, query }) => {
    const path = one ? `/api/${plural}/${documentIds[plural]}` : `/api/${plural}`;
    const { status, body } = await get(`${path}?${query}`);
    expect(status, JSON.stringify(body)).toBe(400);
    expect(body.data).toBeNull();
    expect(body.error).toMatchObject({ status: 400, name: 'ValidationError' });
    expect(body.error.message.length).toBeGreaterThan(5);
  });

  it('names the parameter and the problem', async () => {
    const { body } = await get('/api/articles?filters[title][$between]=a');
    expect(body.error.message).toMatch(/filters\[title\]\[\$between\].*two values/);
    const page = await get('/api/articles?pagination[page]=-1');
    expect(page.body.error.message).toMatch(/pagination\[page\]/);
  });
});

describe('well-formed queries still work', () => {
  const main = demoArticles[0];
  const valid = [
    '/api/articles?locale=nl&populate=themes',
    `/api/articles?filters[slug][$eq]=${main.slug.nl}`,
    '/api/articles?sort=title:asc',
    '/api/articles?pagination[pageSize]=2',
    '/api/articles?sort[0]=publicationDate:desc&sort[1]=title',
    '/api/articles?sort[0][title]=asc',
    '/api/articles?fields[0]=title&fields[1]=slug',
    '/api/articles?fields=title,slug',
    '/api/articles?populate[themes][fields][0]=name&populate[themes][sort]=name:asc',
    '/api/articles?populate[themes][filters][slug][$notNull]=true',
    '/api/articles?populate=*',
    '/api/articles?filters[themes][slug][$in][0]=a&filters[themes][slug][$in][1]=b',
    '/api/articles?filters[$or][0][title][$containsi]=net&filters[$or][1][summary][$containsi]=net',
    '/api/articles?filters[publicationDate][$between][0]=2000-01-01&filters[publicationDate][$between][1]=2100-01-01',
    '/api/articles?filters[id][$gt]=0&filters[title][$not][$null]=true',
    '/api/articles?pagination[start]=0&pagination[limit]=2&pagination[withCount]=false',
    '/api/articles?pagination[page]=1&pagination[pageSize]=2&pagination[withCount]=true',
    '/api/resources?locale=nl&filters[kind][$eq]=bundle&populate[items][populate][themes]=true',
    '/api/resources?populate[items][count]=true',
    '/api/themes?locale=en&sort=name:desc&fields[0]=name',
    '/api/themes?status=published',
  ];

  it.each(valid)('%s answers 200', async (path) => {
    const { status, body } = await get(path);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(Array.isArray(body.data)).toBe(true);
  });

  it('returns what was asked for', async () => {
    const bySlug = await get(`/api/articles?filters[slug][$eq]=${main.slug.nl}`);
    expect(bySlug.body.data.map((a: { title: string }) => a.title)).toEqual([main.title.nl]);
    const paged = await get('/api/articles?pagination[pageSize]=2');
    expect(paged.body.data).toHaveLength(2);
    const one = await get(`/api/articles/${documentIds.articles}?populate=themes&fields[0]=title`);
    expect(one.status).toBe(200);
    expect(Array.isArray(one.body.data.themes)).toBe(true);
  });
});
