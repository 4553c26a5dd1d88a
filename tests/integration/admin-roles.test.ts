import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoContent } from '../../database/seed/seed';
import { AUTHOR_ROLE_CODE, EDITOR_ROLE_CODE, ensureEditorialRoles } from '../../src/bootstrap/admin-roles';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { deleteRedisPrefix, testRedisPrefix } from '../support/redis';
import { startStrapi, type TestApp } from '../support/strapi';

/**
 * The demo accounts and what their roles may do, asked of the admin panel's own content-manager
 * API (the one the admin panel calls): an Author prepares, an Editor publishes and sees subscribers.
 */
let database: TestDatabase;
let app: TestApp;
const redisPrefix = testRedisPrefix('admin-roles');
const editor = { email: 'roles-editor@example.org', password: 'Roles-editor-password-1' };
const author = { email: 'roles-author@example.org', password: 'Roles-author-password-1' };
const CM = '/content-manager/collection-types';

async function login(account: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${app.url}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(account) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { token: string } }).data.token;
}

function admin(token: string, path: string, init: { method?: string; body?: unknown } = {}) {
  return fetch(`${app.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

const draftArticle = (title: string) => ({ title, slug: title.toLowerCase().replace(/\W+/g, '-'), summary: 'Samenvatting', body: 'Tekst', publicationDate: '2026-12-01' });

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startStrapi(database, { listen: true, env: { REDIS_PREFIX: redisPrefix } });
  await seedDemoContent(app.strapi, { accounts: { editor, author } });
});

afterAll(async () => {
  await app?.stop();
  await database?.drop();
  await deleteRedisPrefix(redisPrefix);
});

describe('demo accounts and roles', () => {
  it('creates the demo editor as an Editor and the demo author as an Author, never Super Admin; a second seed changes nothing', async () => {
    const users = app.strapi.db.query('admin::user');
    const roleOf = async (email: string) => ((await users.findOne({ where: { email }, populate: ['roles'] })) as { roles: Array<{ code: string }> }).roles.map((r) => r.code);
    expect(await roleOf(editor.email)).toEqual([EDITOR_ROLE_CODE]);
    expect(await roleOf(author.email)).toEqual([AUTHOR_ROLE_CODE]);
    const permissionsBefore = await app.strapi.db.query('admin::permission').count();
    const again = await seedDemoContent(app.strapi, { accounts: { editor, author } });
    expect(again.created.accounts).toBe(0);
    await ensureEditorialRoles(app.strapi);
    expect(await app.strapi.db.query('admin::permission').count()).toBe(permissionsBefore);
  });

  it('turns an editor account from before (a Super Admin) into an Editor once a separate super admin exists', async () => {
    const users = app.strapi.db.query('admin::user');
    const superAdmin = await app.strapi.service('admin::role').getSuperAdmin();
    const old = { email: 'roles-old-editor@example.org', password: 'Roles-old-editor-1' };
    await app.strapi.service('admin::user').create({ ...old, firstname: 'Oud', lastname: 'Redacteur', isActive: true, roles: [superAdmin.id] });
    const admin = { email: 'roles-admin@example.org', password: 'Roles-admin-password-1' };
    await seedDemoContent(app.strapi, { accounts: { editor: old, admin } });
    const rolesOf = async (email: string) => ((await users.findOne({ where: { email }, populate: ['roles'] })) as { roles: Array<{ code: string }> }).roles.map((r) => r.code);
    expect(await rolesOf(old.email)).toEqual([EDITOR_ROLE_CODE]);
    expect(await rolesOf(admin.email)).toEqual(['strapi-super-admin']);
  });

  it('an Author cannot read subscribers (403) but creates a draft article, and cannot publish it', async () => {
    const token = await login(author);
    expect((await admin(token, `${CM}/api::subscriber.subscriber`)).status).toBe(403);
    const subscriber = await app.strapi.db.query('api::subscriber.subscriber').findOne({ where: { email: 'anna.jansen@example.org' } });
    expect((await admin(token, `${CM}/api::subscriber.subscriber/${subscriber.documentId}`)).status).toBe(403);

    const created = await admin(token, `${CM}/api::article.article?locale=nl`, { method: 'POST', body: draftArticle('Concept van de auteur') });
    expect(created.status).toBe(201);
    const { data } = (await created.json()) as { data: { documentId: string; publishedAt: string | null } };
    expect(data.publishedAt).toBeNull();
    expect((await admin(token, `${CM}/api::article.article/${data.documentId}/actions/publish?locale=nl`, { method: 'POST', body: {} })).status).toBe(403);
    // The English admin can read articles in both languages.
    expect((await admin(token, `${CM}/api::article.article?locale=en`)).status).toBe(200);
  });

  it("an Author's edit of a campaign keeps its state and send time (sending is an Editor's)", async () => {
    const token = await login(author);
    const campaign = await app.strapi.db.query('api::campaign.campaign').findOne({ where: {} });
    const response = await admin(token, `${CM}/api::campaign.campaign/${campaign.documentId}`, {
      method: 'PUT',
      body: { title: 'Door de auteur bijgewerkt', state: 'scheduled', sendAt: '2030-01-01T09:00:00.000Z' },
    });
    expect(response.status).toBe(200);
    const after = await app.strapi.db.query('api::campaign.campaign').findOne({ where: { id: campaign.id } });
    expect(after).toMatchObject({ title: 'Door de auteur bijgewerkt', state: 'draft', sendAt: null });
  });

  it('an Editor reads subscribers, creates and publishes an article', async () => {
    const token = await login(editor);
    const list = await admin(token, `${CM}/api::subscriber.subscriber`);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { results: unknown[] }).results.length).toBeGreaterThan(0);
    const created = await admin(token, `${CM}/api::article.article?locale=nl`, { method: 'POST', body: draftArticle('Nieuws van de redactie') });
    expect(created.status).toBe(201);
    const { data } = (await created.json()) as { data: { documentId: string } };
    const published = await admin(token, `${CM}/api::article.article/${data.documentId}/actions/publish?locale=nl`, { method: 'POST', body: {} });
    expect(published.status).toBe(200);
    // The send time an Author could not set, an Editor can.
    const campaign = await app.strapi.db.query('api::campaign.campaign').findOne({ where: {} });
    expect((await admin(token, `${CM}/api::campaign.campaign/${campaign.documentId}`, { method: 'PUT', body: { sendAt: '2030-01-01T09:00:00.000Z' } })).status).toBe(200);
    expect(new Date((await app.strapi.db.query('api::campaign.campaign').findOne({ where: { id: campaign.id } })).sendAt).toISOString()).toBe('2030-01-01T09:00:00.000Z');
  });
});
