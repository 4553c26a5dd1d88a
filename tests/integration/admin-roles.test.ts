import { randomBytes } from 'node:crypto';
import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoContent } from '../../database/seed/seed';
import { AUTHOR_ROLE_CODE, EDITOR_ROLE_CODE, ensureEditorialRoles } from '../../src/bootstrap/admin-roles';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { deleteRedisPrefix, testRedisPrefix } from '../support/redis';
import { ALLOWED_SAMPLES, REFUSED_SAMPLES, SCRIPT_PAGE } from '../support/sample-files';
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

describe('media library uploads', () => {
  const UPLOADS_DIR = path.resolve(__dirname, '..', '..', 'public', 'uploads');
  const BOTH_LANGUAGES = 'Dit bestandstype is niet toegestaan: alleen JPEG, PNG, WebP, GIF, AVIF en PDF. / This file type is not allowed: only JPEG, PNG, WebP, GIF, AVIF and PDF.';
  const placed: string[] = [];
  // One login for the describe: Strapi allows five logins per address and IP in a short while.
  let authorToken: Promise<string> | undefined;
  const authorLogin = () => (authorToken ??= login(author));

  afterAll(async () => {
    await Promise.all(placed.map((file) => rm(path.join(UPLOADS_DIR, file), { force: true })));
  });

  /** A file name no other test uses, so what lands in public/uploads can be told apart. */
  const unique = (name: string) => {
    const dot = name.lastIndexOf('.');
    return `${name.slice(0, dot)}-${randomBytes(4).toString('hex')}${name.slice(dot)}`;
  };

  function uploadForm(files: Array<{ name: string; mime: string; bytes: Buffer }>): FormData {
    const form = new FormData();
    for (const file of files) form.append('files', new Blob([file.bytes], { type: file.mime }), file.name);
    for (const file of files) form.append('fileInfo', JSON.stringify({ name: file.name, caption: null, alternativeText: null, folder: null }));
    return form;
  }

  const post = (pathAndQuery: string, authorization: string, form: FormData) =>
    fetch(`${app.url}${pathAndQuery}`, { method: 'POST', headers: { authorization }, body: form });

  const storedOnDisk = async (name: string) => (await readdir(UPLOADS_DIR)).filter((file) => file.startsWith(name.slice(0, name.lastIndexOf('.'))));
  const rowsNamed = (name: string) => app.strapi.db.query('plugin::upload.file').count({ where: { name } });

  it('an Author uploads every allowed kind through the admin route; each is stored with its content’s type', async () => {
    const token = await authorLogin();
    for (const sample of Object.values(ALLOWED_SAMPLES)) {
      const file = { ...sample, name: unique(sample.name) };
      const response = await post('/upload', `Bearer ${token}`, uploadForm([file]));
      expect(response.status, file.name).toBe(201);
      const [stored] = (await response.json()) as Array<{ name: string; mime: string; url: string }>;
      expect(stored).toMatchObject({ name: file.name, mime: sample.mime });
      placed.push(...(await storedOnDisk(file.name)));
      const served = await fetch(`${app.url}${stored.url}`);
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).subarray(0, 4)).toEqual(sample.bytes.subarray(0, 4));
    }
  });

  it('stores a file whose name says another kind under its content’s extension, so it is served as what it is', async () => {
    const token = await authorLogin();
    const cases = [
      { sample: ALLOWED_SAMPLES.jpeg, name: unique('eigenlijk-jpeg.png'), ext: '.jpg' },
      { sample: ALLOWED_SAMPLES.pdf, name: unique('eigenlijk-pdf.html'), ext: '.pdf' },
    ];
    for (const { sample, name, ext } of cases) {
      const response = await post('/upload/files', `Bearer ${token}`, uploadForm([{ ...sample, name, mime: 'application/octet-stream' }]));
      expect(response.status, name).toBe(201);
      const stored = (await response.json()) as { ext: string; mime: string; url: string };
      expect(stored, name).toMatchObject({ ext, mime: sample.mime });
      placed.push(...(await storedOnDisk(name)));
      const served = await fetch(`${app.url}${stored.url}`);
      expect(served.headers.get('content-type'), name).toBe(sample.mime);
    }
  });

  it('refuses HTML, JavaScript, SVG, a disguised page, polyglots and an empty file with a 400 in both languages, storing nothing', async () => {
    const token = await authorLogin();
    const rowsBefore = await app.strapi.db.query('plugin::upload.file').count();
    for (const sample of REFUSED_SAMPLES) {
      const file = { ...sample, name: unique(sample.name) };
      const response = await post('/upload', `Bearer ${token}`, uploadForm([file]));
      expect(response.status, sample.what).toBe(400);
      // An empty file is already refused by Strapi's own controller ("Files are empty").
      if (sample.bytes.length > 0) expect(((await response.json()) as { error: { message: string } }).error.message, sample.what).toBe(BOTH_LANGUAGES);
      expect(await storedOnDisk(file.name), sample.what).toEqual([]);
      expect(await rowsNamed(file.name), sample.what).toBe(0);
    }
    expect(await app.strapi.db.query('plugin::upload.file').count()).toBe(rowsBefore);
  });

  it('refuses the whole request when one of several files is not allowed, and speaks the user’s own language', async () => {
    const users = app.strapi.db.query('admin::user');
    await users.update({ where: { email: author.email }, data: { preferedLanguage: 'nl' } });
    try {
      const token = await authorLogin();
      const good = { ...ALLOWED_SAMPLES.png, name: unique('goed.png') };
      const bad = { ...REFUSED_SAMPLES[0], name: unique('slecht.html') };
      const response = await post('/upload', `Bearer ${token}`, uploadForm([good, bad]));
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toBe('Dit bestandstype is niet toegestaan: alleen JPEG, PNG, WebP, GIF, AVIF en PDF.');
      expect(await storedOnDisk(good.name)).toEqual([]);
      expect(await rowsNamed(good.name)).toBe(0);
    } finally {
      await users.update({ where: { email: author.email }, data: { preferedLanguage: null } });
    }
  });

  it('refuses replacing a stored file with a page, and keeps the stored file as it was', async () => {
    const token = await authorLogin();
    const original = { ...ALLOWED_SAMPLES.png, name: unique('te-vervangen.png') };
    const created = await post('/upload', `Bearer ${token}`, uploadForm([original]));
    expect(created.status).toBe(201);
    const [stored] = (await created.json()) as Array<{ id: number; url: string; hash: string }>;
    placed.push(...(await storedOnDisk(original.name)));
    // What is served, not what was sent: Strapi re-encodes images it stores.
    const before = Buffer.from(await (await fetch(`${app.url}${stored.url}`)).arrayBuffer());
    const page = { ...REFUSED_SAMPLES[0], name: 'vervanging.html' };
    for (const route of [`/upload?id=${stored.id}`, `/upload/files/${stored.id}/replace`]) {
      const response = await post(route, `Bearer ${token}`, uploadForm([page]));
      expect(response.status, route).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toBe(BOTH_LANGUAGES);
    }
    const served = await fetch(`${app.url}${stored.url}`);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(before);
    expect(await app.strapi.db.query('plugin::upload.file').findOne({ where: { id: stored.id } })).toMatchObject({ mime: 'image/png', hash: stored.hash });
  });

  it('refuses a page on the content API’s /api/upload too, even with a full-access API token', async () => {
    const { accessKey } = (await app.strapi.service('admin::api-token').create({ name: `upload-${randomBytes(3).toString('hex')}`, type: 'full-access', lifespan: null })) as { accessKey: string };
    const page = { ...REFUSED_SAMPLES[0], name: unique('api-pagina.html') };
    const refused = await post('/api/upload', `Bearer ${accessKey}`, uploadForm([page]));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(BOTH_LANGUAGES);
    expect(await rowsNamed(page.name)).toBe(0);
    const image = { ...ALLOWED_SAMPLES.gif, name: unique('api-beeld.gif') };
    const accepted = await post('/api/upload', `Bearer ${accessKey}`, uploadForm([image]));
    expect(accepted.status).toBe(201);
    placed.push(...(await storedOnDisk(image.name)));
  });

  it('serves every file below /uploads, also one stored before these checks, sandboxed and without sniffing, however the path is spelled', async () => {
    const oldPage = `oude-pagina-${randomBytes(4).toString('hex')}.html`;
    await writeFile(path.join(UPLOADS_DIR, oldPage), SCRIPT_PAGE);
    placed.push(oldPage);
    const policy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";
    const spellings = [`/uploads/${oldPage}`, `//uploads/${oldPage}`, `/uploads//${oldPage}`, `/%75ploads/${oldPage}`, `/UPLOADS/${oldPage}`, `/Uploads/${oldPage}/`];
    const served: string[] = [];
    for (const spelling of spellings) {
      const response = await fetch(`${app.url}${spelling}`);
      expect(response.headers.get('x-content-type-options'), spelling).toBe('nosniff');
      expect(response.headers.get('content-security-policy'), spelling).toBe(policy);
      expect(response.headers.get('content-disposition'), spelling).toBe('attachment');
      if (response.status === 200) served.push(spelling);
    }
    // Other spellings than the plain one do reach the file (the rest are 400/404), so the headers
    // above were checked on the page itself as served.
    expect(served).toEqual(expect.arrayContaining([`/uploads/${oldPage}`, `/%75ploads/${oldPage}`]));

    const token = await authorLogin();
    const image = { ...ALLOWED_SAMPLES.webp, name: unique('inline.webp') };
    const [stored] = (await (await post('/upload', `Bearer ${token}`, uploadForm([image]))).json()) as Array<{ url: string }>;
    placed.push(...(await storedOnDisk(image.name)));
    const shown = await fetch(`${app.url}${stored.url.replace('/uploads/', '//UPLOADS/')}`);
    expect(shown.headers.get('content-security-policy')).toBe(policy);
    expect(shown.headers.get('x-content-type-options')).toBe('nosniff');
    const plain = await fetch(`${app.url}${stored.url}`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('image/webp');
    expect(plain.headers.get('content-disposition')).toBeNull();
  });
});
