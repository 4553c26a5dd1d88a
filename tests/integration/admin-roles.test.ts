import { afterAll, describe, expect, it } from 'vitest';
import { seedDemoContent } from '../../database/seed/seed';
import { AUTHOR_ROLE_CODE, EDITOR_ROLE_CODE, ensureEditorialRoles } from '../../src/boot/admin-roles';
import { createCampaign } from '../../src/mailings/campaign/create';
import { testRedisPrefix } from '../support/redis';
import { randomBytes } from 'node:crypto';
import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ALLOWED_SAMPLES, REFUSED_SAMPLES, SCRIPT_PAGE } from '../support/sample-files';
import { useCms } from '../support/harness';

/**
 * The demo accounts and what their roles may do, asked of the admin panel's own content-manager
 * API (the one the admin panel calls): an Author prepares, an Editor publishes and sees subscribers.
 */
const redisPrefix = testRedisPrefix('admin-roles');
const editor = { email: 'roles-editor@example.org', password: 'Roles-editor-password-1' };
const author = { email: 'roles-author@example.org', password: 'Roles-author-password-1' };
const app = useCms({ name: 'admin-roles', listen: true, seed: { accounts: { editor, author } }, env: { REDIS_PREFIX: redisPrefix } });
const CM = '/content-manager/collection-types';

const tokens = new Map<string, string>();

/** An admin session token, one login per account (the admin login is rate-limited). */
async function login(account: { email: string; password: string }): Promise<string> {
  const known = tokens.get(account.email);
  if (known) return known;
  const response = await fetch(`${app.url}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(account) });
  expect(response.status).toBe(200);
  const { token } = ((await response.json()) as { data: { token: string } }).data;
  tokens.set(account.email, token);
  return token;
}

function admin(token: string, path: string, init: { method?: string; body?: unknown } = {}) {
  return fetch(`${app.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

const draftArticle = (title: string) => ({
  title,
  slug: title.toLowerCase().replace(/\W+/g, '-'),
  summary: 'Samenvatting',
  body: 'Tekst',
  publicationDate: '2026-12-01',
});

describe('demo accounts and roles', () => {
  it('creates the demo editor as an Editor and the demo author as an Author, never Super Admin; a second seed changes nothing', async () => {
    const users = app.strapi.db.query('admin::user');
    const roleOf = async (email: string) =>
      ((await users.findOne({ where: { email }, populate: ['roles'] })) as { roles: Array<{ code: string }> }).roles.map((r) => r.code);
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
    const rolesOf = async (email: string) =>
      ((await users.findOne({ where: { email }, populate: ['roles'] })) as { roles: Array<{ code: string }> }).roles.map((r) => r.code);
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
    expect(
      (await admin(token, `${CM}/api::campaign.campaign/${campaign.documentId}`, { method: 'PUT', body: { sendAt: '2030-01-01T09:00:00.000Z' } })).status,
    ).toBe(200);
    expect(new Date((await app.strapi.db.query('api::campaign.campaign').findOne({ where: { id: campaign.id } })).sendAt).toISOString()).toBe(
      '2030-01-01T09:00:00.000Z',
    );
  });

  it("an Editor changes a subscriber, but never the consent record: it is evidence of the reader's own act", async () => {
    const token = await login(editor);
    const anna = await app.strapi.db.query('api::subscriber.subscriber').findOne({ where: { email: 'anna.jansen@example.org' }, populate: { consent: true } });
    expect(anna.consent?.givenAt).toBeTruthy();
    const saved = await admin(token, `${CM}/api::subscriber.subscriber/${anna.documentId}`, {
      method: 'PUT',
      body: { name: 'Anna J.', consent: { givenAt: '2020-01-01T00:00:00.000Z', source: 'made up', textVersion: 'x', ipHash: 'x' } },
    });
    expect(saved.status).toBe(200);
    const after = await app.strapi.db.query('api::subscriber.subscriber').findOne({ where: { id: anna.id }, populate: { consent: true } });
    expect(after.name).toBe('Anna J.');
    expect({ givenAt: after.consent?.givenAt, source: after.consent?.source, textVersion: after.consent?.textVersion }).toEqual({
      givenAt: anna.consent.givenAt,
      source: anna.consent.source,
      textVersion: anna.consent.textVersion,
    });
  });
});

describe('media library uploads', () => {
  const UPLOADS_DIR = path.resolve(__dirname, '..', '..', 'public', 'uploads');
  const BOTH_LANGUAGES =
    'Dit bestandstype is niet toegestaan: alleen JPEG, PNG, WebP, GIF, AVIF en PDF. / This file type is not allowed: only JPEG, PNG, WebP, GIF, AVIF and PDF.';
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
      expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
        'Dit bestandstype is niet toegestaan: alleen JPEG, PNG, WebP, GIF, AVIF en PDF.',
      );
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
    const { accessKey } = (await app.strapi
      .service('admin::api-token')
      .create({ name: `upload-${randomBytes(3).toString('hex')}`, type: 'full-access', lifespan: null })) as { accessKey: string };
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
    const spellings = [
      `/uploads/${oldPage}`,
      `//uploads/${oldPage}`,
      `/uploads//${oldPage}`,
      `/%75ploads/${oldPage}`,
      `/UPLOADS/${oldPage}`,
      `/Uploads/${oldPage}/`,
    ];
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

describe('mailings change only as their state and the acting role allow (the Content Manager API)', () => {
  const CAMPAIGN = 'api::campaign.campaign';
  const EDITION = 'api::edition.edition';

  /** The plain fields of the document as the edit view loads it (relations and components left out: the form sends its own shape of those). */
  async function form(token: string, uid: string, documentId: string): Promise<Record<string, unknown>> {
    const response = await admin(token, `${CM}/${uid}/${documentId}`);
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: Record<string, unknown> };
    return Object.fromEntries(Object.entries(data).filter(([, value]) => value === null || typeof value !== 'object'));
  }
  const save = (token: string, uid: string, documentId: string, body: Record<string, unknown>) =>
    admin(token, `${CM}/${uid}/${documentId}`, { method: 'PUT', body });
  const desk = (token: string, documentId: string, action: string, body: unknown = {}) =>
    admin(token, `/desk/mailings/campaign/${documentId}/${action}`, { method: 'POST', body });
  const message = async (response: Response) => ((await response.json()) as { error: { message: string } }).error.message;
  const campaignRow = (documentId: string) => app.strapi.db.query(CAMPAIGN).findOne({ where: { documentId } }) as Promise<Record<string, unknown>>;

  async function draftCampaign(title: string): Promise<string> {
    const response = await admin(await login(editor), `${CM}/${CAMPAIGN}`, {
      method: 'POST',
      body: { title, subjectNl: 'Onderwerp', subjectEn: 'Subject', introNl: 'Hallo', featuredItems: [] },
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { data: { documentId: string } }).data.documentId;
  }

  it('a scheduled campaign is read-only for an Author and an Editor until an Editor unschedules it; then it is edited and scheduled again', async () => {
    const [editorToken, authorToken] = [await login(editor), await login(author)];
    const sendable = await createCampaign(app.strapi, { title: 'Regels: ingepland', features: ['handboek-actieleren'], themes: [], locale: null });
    const sendAt = new Date(Date.now() + 86_400_000).toISOString();
    expect((await desk(editorToken, sendable.documentId, 'schedule', { sendAt })).status).toBe(200);
    const before = await campaignRow(sendable.documentId);
    expect(before.state).toBe('scheduled');

    // An Author: subject, intro, audience language, the tracking switch; each refused, nothing changed.
    const loaded = await form(authorToken, CAMPAIGN, sendable.documentId);
    for (const change of [{ subjectNl: 'Stiekem anders' }, { introNl: 'Nieuwe intro' }, { audienceLocale: 'en' }, { trackEngagement: true }]) {
      const response = await save(authorToken, CAMPAIGN, sendable.documentId, { ...loaded, ...change });
      expect(response.status, JSON.stringify(change)).toBe(400);
      expect(await message(response)).toMatch(/scheduled and cannot be changed.*Unschedule.*ingepland en kan niet worden gewijzigd.*Planning intrekken/);
    }
    // Unscheduling is the send permission's: an Author may not, through the desk or the form.
    expect((await desk(authorToken, sendable.documentId, 'unschedule')).status).toBe(403);
    // An Editor's edit is refused too, until unscheduled.
    expect((await save(editorToken, CAMPAIGN, sendable.documentId, { ...loaded, subjectNl: 'Redactie wil anders' })).status).toBe(400);
    expect(await campaignRow(sendable.documentId)).toMatchObject({
      state: 'scheduled',
      subjectNl: before.subjectNl,
      introNl: before.introNl,
      audienceLocale: before.audienceLocale,
      trackEngagement: before.trackEngagement,
    });

    const unscheduled = await desk(editorToken, sendable.documentId, 'unschedule');
    expect(unscheduled.status).toBe(200);
    expect(await unscheduled.json()).toEqual({ data: { state: 'draft' } });
    expect(await campaignRow(sendable.documentId)).toMatchObject({ state: 'draft', sendAt: null });
    expect((await desk(editorToken, sendable.documentId, 'unschedule')).status).toBe(409);

    const draft = await form(editorToken, CAMPAIGN, sendable.documentId);
    expect((await save(editorToken, CAMPAIGN, sendable.documentId, { ...draft, subjectNl: 'Redactie wil anders' })).status).toBe(200);
    expect((await desk(editorToken, sendable.documentId, 'schedule', { sendAt })).status).toBe(200);
    expect(await campaignRow(sendable.documentId)).toMatchObject({ state: 'scheduled', subjectNl: 'Redactie wil anders' });
    // The form's own way back: the state field, by an Editor, and nothing else in that save.
    const scheduled = await form(editorToken, CAMPAIGN, sendable.documentId);
    expect((await save(editorToken, CAMPAIGN, sendable.documentId, { ...scheduled, state: 'draft', subjectNl: 'Tegelijk anders' })).status).toBe(400);
    expect((await save(editorToken, CAMPAIGN, sendable.documentId, { ...scheduled, state: 'draft' })).status).toBe(200);
    expect(await campaignRow(sendable.documentId)).toMatchObject({ state: 'draft', sendAt: null, subjectNl: 'Redactie wil anders' });
  });

  it('a sent edition takes only the archive switch, and only from a role that may send: an Author is refused, an Editor may', async () => {
    const [editorToken, authorToken] = [await login(editor), await login(author)];
    const created = (await app.strapi.documents(EDITION).create({
      data: { title: 'Regels: verzonden', state: 'draft', cutoff: new Date().toISOString(), periodKey: `rules:${Date.now()}`, introNl: 'Hoi' },
    } as never)) as unknown as { documentId: string };
    // The engine sent it, through the database.
    await app.strapi.db
      .query(EDITION)
      .update({ where: { documentId: created.documentId }, data: { state: 'sent', sentAt: new Date(), recipientsCount: 4, submittedCount: 4 } });
    const row = () => app.strapi.db.query(EDITION).findOne({ where: { documentId: created.documentId } }) as Promise<Record<string, unknown>>;

    const asAuthor = await form(authorToken, EDITION, created.documentId);
    const refused = await save(authorToken, EDITION, created.documentId, { ...asAuthor, keepOutOfArchive: true });
    expect(refused.status).toBe(400);
    expect(await message(refused)).toMatch(/Only an Editor.*archive.*Alleen een Redacteur/);
    expect(Boolean((await row()).keepOutOfArchive)).toBe(false);

    const asEditor = await form(editorToken, EDITION, created.documentId);
    const history = await save(editorToken, EDITION, created.documentId, { ...asEditor, keepOutOfArchive: true, introNl: 'Achteraf' });
    expect(history.status).toBe(400);
    expect(await message(history)).toMatch(/sent and can no longer be changed.*kan niet meer worden gewijzigd/);
    expect((await save(editorToken, EDITION, created.documentId, { ...asEditor, keepOutOfArchive: true })).status).toBe(200);
    expect(await row()).toMatchObject({ state: 'sent', keepOutOfArchive: true, introNl: 'Hoi', recipientsCount: 4 });

    // A copy ("duplicate") of it is a new draft that was never sent.
    const copy = await admin(editorToken, `${CM}/${EDITION}/clone/${created.documentId}`, { method: 'POST', body: { title: 'Kopie van verzonden' } });
    expect(copy.status, await copy.clone().text()).toBeLessThan(300);
    expect(await app.strapi.db.query(EDITION).findOne({ where: { title: 'Kopie van verzonden' } })).toMatchObject({
      state: 'draft',
      introNl: 'Hoi',
      keepOutOfArchive: false,
      recipientsCount: 0,
      submittedCount: 0,
      sentAt: null,
      periodKey: null,
    });
  });

  it('engine fields are refused with a message when changed (nothing written), and a save that sends them unchanged goes through', async () => {
    const editorToken = await login(editor);
    const documentId = await draftCampaign('Regels: motorvelden');
    const loaded = await form(editorToken, CAMPAIGN, documentId);
    expect(loaded).toMatchObject({ recipientsCount: 0, notes: null, sentAt: null });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ recipientsCount: 99 }, 'Recipients'],
      [{ notes: 'met de hand' }, 'Notes'],
      [{ plannedAt: '2026-01-01T00:00:00.000Z' }, 'Planned at'],
      [{ sentAt: '2026-01-01T00:00:00.000Z' }, 'Sent at'],
      [{ submittedCount: 3 }, 'Submitted to SendGrid'],
    ];
    for (const [change, label] of cases) {
      const response = await save(editorToken, CAMPAIGN, documentId, { ...loaded, title: 'Mag niet mee', ...change });
      expect(response.status, JSON.stringify(change)).toBe(400);
      expect(await message(response)).toMatch(
        new RegExp(`^"${label}" is kept by the sending engine and cannot be set by hand\\. / ".+" houdt de verzendmachine bij`),
      );
    }
    const two = await save(editorToken, CAMPAIGN, documentId, { ...loaded, recipientsCount: 1, clicksCount: 2 });
    expect(await message(two)).toMatch(
      /^"Recipients", "Clicks \(estimate\)" are kept by the sending engine.*"Ontvangers", "Kliks \(schatting\)" houdt de verzendmachine bij en kunnen niet/,
    );
    expect(await campaignRow(documentId)).toMatchObject({
      title: 'Regels: motorvelden',
      recipientsCount: 0,
      notes: null,
      plannedAt: null,
      sentAt: null,
      submittedCount: 0,
    });
    // The form as loaded, every read-only field unchanged, one real change: saved.
    expect((await save(editorToken, CAMPAIGN, documentId, { ...loaded, title: 'Regels: motorvelden (bijgewerkt)' })).status).toBe(200);
    expect((await campaignRow(documentId)).title).toBe('Regels: motorvelden (bijgewerkt)');
    // Creating: the defaults pass (above), a count does not.
    const created = await admin(editorToken, `${CM}/${CAMPAIGN}`, { method: 'POST', body: { title: 'Met telling', recipientsCount: 5 } });
    expect(created.status).toBe(400);
    expect(await app.strapi.db.query(CAMPAIGN).findOne({ where: { title: 'Met telling' } })).toBeNull();
    await app.strapi.db.query(CAMPAIGN).delete({ where: { documentId } });
  });
});
