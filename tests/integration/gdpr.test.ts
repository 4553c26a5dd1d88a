import { beforeAll, describe, expect, it } from 'vitest';
import { eraseSubscriber } from '../../src/gdpr/erase';
import { exportSubscriberData } from '../../src/gdpr/export';
import { purgeExpiredSubscribers } from '../../src/gdpr/purge';
import { useCms } from '../support/harness';

const SUBSCRIBER = 'api::subscriber.subscriber';
const DAY = 24 * 60 * 60 * 1000;
const PASSWORD = 'Gdpr-test-Passw0rd';

const app = useCms({ name: 'gdpr', listen: true });
/** When set, deleting that subscriber document fails after the delete itself ran. */
let failAfterDeleteOf: string | null = null;

interface ErrorBody {
  error: { status: number; name: string; message: string };
}

interface Created {
  id: number;
  documentId: string;
  consentId: number;
}

async function createSubscriber(email: string, fields: Record<string, unknown> = {}): Promise<Created> {
  const created = await app.strapi.documents(SUBSCRIBER).create({
    data: {
      email,
      name: 'Test Persoon',
      preferredLocale: 'nl',
      state: 'active',
      themes: ['leercultuur', 'zorgnetwerken'],
      confirmedAt: new Date('2025-01-02T09:00:00.000Z'),
      consent: { givenAt: new Date('2025-01-01T12:00:00.000Z'), source: 'inschrijfformulier', textVersion: '2025-01', ipHash: 'a'.repeat(64) },
      ...fields,
    },
    populate: ['consent'],
  } as never);
  const row = created as unknown as { id: number; documentId: string; consent: { id: number } | null };
  return { id: row.id, documentId: row.documentId, consentId: row.consent!.id };
}

/** Rows in the consent component table and in the subscriber-to-component join table, queried directly. */
async function componentRows(consentId: number, subscriberId: number) {
  const knex = app.strapi.db.connection;
  const [{ count: consent }] = await knex('components_subscription_consent_records').where({ id: consentId }).count({ count: '*' });
  const [{ count: links }] = await knex('subscribers_cmps').where({ entity_id: subscriberId }).count({ count: '*' });
  return { consent: Number(consent), links: Number(links) };
}

/** Moves dates into the past; `updatedAt` directly in the table, as Strapi sets it to now on every update. */
async function backdate(id: number, data: { createdAt?: Date; unsubscribedAt?: Date; updatedAt?: Date }) {
  const { updatedAt, ...fields } = data;
  if (Object.keys(fields).length > 0) await app.strapi.db.query(SUBSCRIBER).update({ where: { id }, data: { ...fields } });
  if (updatedAt) await app.strapi.db.connection('subscribers').where({ id }).update({ updated_at: updatedAt });
  const row = await app.strapi.db.query(SUBSCRIBER).findOne({ where: { id } });
  for (const [field, date] of Object.entries(data)) expect(new Date(row[field]).getTime(), field).toBe(date.getTime());
}

async function exists(documentId: string) {
  return (await app.strapi.db.query(SUBSCRIBER).count({ where: { documentId } })) > 0;
}

beforeAll(async () => {
  app.strapi.documents.use(async (context, next) => {
    const result = await next();
    const params = context.params as { documentId?: string };
    if (context.uid === SUBSCRIBER && context.action === 'delete' && failAfterDeleteOf && params.documentId === failAfterDeleteOf) {
      throw new Error('simulated failure after the delete');
    }
    return result;
  });
});

describe('export', () => {
  it('returns everything held on a subscriber, by email (any case) or document id', async () => {
    const created = await createSubscriber('export.me@example.org');
    const data = await exportSubscriberData(app.strapi, { email: '  Export.Me@EXAMPLE.org ' });
    expect(data).not.toBeNull();
    expect(data!.subscriber).toMatchObject({
      documentId: created.documentId,
      email: 'export.me@example.org',
      name: 'Test Persoon',
      preferredLocale: 'nl',
      themes: ['leercultuur', 'zorgnetwerken'],
      state: 'active',
      confirmedAt: '2025-01-02T09:00:00.000Z',
      unsubscribedAt: null,
    });
    expect(typeof data!.subscriber.createdAt).toBe('string');
    expect(typeof data!.subscriber.updatedAt).toBe('string');
    expect(data!.consent).toEqual({ givenAt: '2025-01-01T12:00:00.000Z', source: 'inschrijfformulier', textVersion: '2025-01', ipHash: 'a'.repeat(64) });
    // Nothing sent yet: an empty list.
    expect(data!.deliveries).toEqual([]);
    expect(Number.isNaN(Date.parse(data!.exportedAt))).toBe(false);
    expect(data!.explanation.nl.consent).toMatch(/toestemming/i);
    expect(data!.explanation.en.consent).toMatch(/consent/i);
    // Plain JSON all the way down.
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);

    const byId = await exportSubscriberData(app.strapi, { documentId: created.documentId });
    expect(byId!.subscriber.email).toBe('export.me@example.org');
  });

  it('includes what SendGrid reported per delivery and why the subscriber gets no more mail', async () => {
    const created = await createSubscriber('export.bounced@example.org');
    await app.strapi.db.connection('newsletter_deliveries').insert({
      mailing_kind: 'campaign',
      mailing_id: 5,
      subscriber_id: created.id,
      batch_no: 1,
      status: 'submitted',
      submitted_at: Date.now(),
      feedback: 1 | 4,
    });
    await app.strapi.db
      .connection('subscribers')
      .where({ id: created.id })
      .update({ state: 'bounced', suppression_reason: 'Bounce 5.1.1 Invalid Address', suppressed_at: new Date('2026-12-01T10:00:00Z') });
    const data = await exportSubscriberData(app.strapi, { email: 'export.bounced@example.org' });
    expect(data!.subscriber).toMatchObject({ state: 'bounced', suppressionReason: 'Bounce 5.1.1 Invalid Address', suppressedAt: '2026-12-01T10:00:00.000Z' });
    expect(data!.deliveries).toEqual([
      expect.objectContaining({ mailing: 'campaign', mailingId: 5, status: 'submitted', reportedBySendGrid: ['deferred', 'bounced'] }),
    ]);
  });

  it('returns null for an unknown subscriber or unusable input', async () => {
    expect(await exportSubscriberData(app.strapi, { email: 'nobody@example.org' })).toBeNull();
    expect(await exportSubscriberData(app.strapi, { documentId: 'doesnotexist0000000000000' })).toBeNull();
    expect(await exportSubscriberData(app.strapi, { email: '   ' })).toBeNull();
    expect(await exportSubscriberData(app.strapi, { documentId: 'x'.repeat(500) })).toBeNull();
  });
});

describe('erase', () => {
  it('removes the subscriber and its consent component row; a second erase is a no-op', async () => {
    const created = await createSubscriber('erase.me@example.org');
    const other = await createSubscriber('keep.me@example.org');
    expect(await componentRows(created.consentId, created.id)).toEqual({ consent: 1, links: 1 });
    // Two newsletter delivery records of this person, one of someone else.
    const deliveries = () => app.strapi.db.connection('newsletter_deliveries');
    await deliveries().insert([
      { mailing_kind: 'edition', mailing_id: 1, subscriber_id: created.id, batch_no: 1, status: 'submitted', submitted_at: Date.now() },
      { mailing_kind: 'edition', mailing_id: 2, subscriber_id: created.id, batch_no: 1, status: 'queued' },
      { mailing_kind: 'edition', mailing_id: 1, subscriber_id: other.id, batch_no: 1, status: 'submitted', submitted_at: Date.now() },
    ]);
    const exported = await exportSubscriberData(app.strapi, { documentId: created.documentId });
    expect(exported!.deliveries.map((d) => d.status)).toEqual(['submitted', 'queued']);

    const result = await eraseSubscriber(app.strapi, { email: 'Erase.Me@example.org' });
    expect(result).toEqual({ erased: true, removed: { subscribers: 1, consentRecords: 1, deliveries: 2 } });
    expect(Number((await deliveries().where({ subscriber_id: created.id }).count({ n: '*' }).first())!.n)).toBe(0);
    expect(Number((await deliveries().where({ subscriber_id: other.id }).count({ n: '*' }).first())!.n)).toBe(1);
    expect(await exists(created.documentId)).toBe(false);
    expect(await componentRows(created.consentId, created.id)).toEqual({ consent: 0, links: 0 });

    expect(await eraseSubscriber(app.strapi, { email: 'erase.me@example.org' })).toEqual({
      erased: false,
      removed: { subscribers: 0, consentRecords: 0, deliveries: 0 },
    });
    expect(await eraseSubscriber(app.strapi, { documentId: created.documentId })).toEqual({
      erased: false,
      removed: { subscribers: 0, consentRecords: 0, deliveries: 0 },
    });

    // Nobody else is touched.
    expect(await exists(other.documentId)).toBe(true);
    expect(await componentRows(other.consentId, other.id)).toEqual({ consent: 1, links: 1 });
  });

  it('runs in one transaction: a failure part-way leaves the subscriber and its consent intact', async () => {
    const created = await createSubscriber('rollback.me@example.org');
    failAfterDeleteOf = created.documentId;
    try {
      await expect(eraseSubscriber(app.strapi, { documentId: created.documentId })).rejects.toThrow(/simulated failure/);
    } finally {
      failAfterDeleteOf = null;
    }
    expect(await exists(created.documentId)).toBe(true);
    expect(await componentRows(created.consentId, created.id)).toEqual({ consent: 1, links: 1 });
    expect((await exportSubscriberData(app.strapi, { documentId: created.documentId }))!.consent!.textVersion).toBe('2025-01');
    expect((await eraseSubscriber(app.strapi, { documentId: created.documentId })).erased).toBe(true);
  });

  it('erases a subscriber without a consent record', async () => {
    const created = await app.strapi
      .documents(SUBSCRIBER)
      .create({ data: { email: 'no.consent@example.org', preferredLocale: 'en', state: 'pending', themes: [] } } as never);
    const result = await eraseSubscriber(app.strapi, { documentId: (created as unknown as { documentId: string }).documentId });
    expect(result).toEqual({ erased: true, removed: { subscribers: 1, consentRecords: 0, deliveries: 0 } });
  });
});

describe('purge', () => {
  it('erases old pending and old unsubscribed subscribers and keeps everyone else', async () => {
    const now = new Date();
    const old = new Date(now.getTime() - 40 * DAY);
    const recent = new Date(now.getTime() - 5 * DAY);

    const oldPending = await createSubscriber('old.pending@example.org', { state: 'pending', confirmedAt: null });
    await backdate(oldPending.id, { createdAt: old });
    const freshPending = await createSubscriber('fresh.pending@example.org', { state: 'pending', confirmedAt: null });
    const active = await createSubscriber('old.active@example.org', { state: 'active' });
    await backdate(active.id, { createdAt: old });
    const bounced = await createSubscriber('old.bounced@example.org', { state: 'bounced' });
    await backdate(bounced.id, { createdAt: old });
    const complained = await createSubscriber('old.complained@example.org', { state: 'complained' });
    await backdate(complained.id, { createdAt: old });
    const oldUnsubscribed = await createSubscriber('old.unsubscribed@example.org', { state: 'unsubscribed', unsubscribedAt: old });
    await backdate(oldUnsubscribed.id, { createdAt: old });
    const recentUnsubscribed = await createSubscriber('recent.unsubscribed@example.org', { state: 'unsubscribed', unsubscribedAt: recent });
    await backdate(recentUnsubscribed.id, { createdAt: old });
    // Unsubscribed without a date (set by hand, say): its last change counts.
    const undatedUnsubscribed = await createSubscriber('undated.unsubscribed@example.org', { state: 'unsubscribed', unsubscribedAt: null });
    await backdate(undatedUnsubscribed.id, { createdAt: old, updatedAt: old });
    const settings = { now, pendingMaxAgeDays: 30, unsubscribedRetentionDays: 30 };

    const dryRun = await purgeExpiredSubscribers(app.strapi, { ...settings, dryRun: true });
    expect(dryRun).toMatchObject({ dryRun: true, pending: 1, unsubscribed: 2, removed: { subscribers: 0, consentRecords: 0, deliveries: 0 } });
    expect(await exists(oldPending.documentId)).toBe(true);

    // A page size of 1 makes it walk several pages.
    const result = await purgeExpiredSubscribers(app.strapi, { ...settings, pageSize: 1 });
    expect(result).toMatchObject({ dryRun: false, pending: 1, unsubscribed: 2, removed: { subscribers: 3, consentRecords: 3, deliveries: 0 } });
    expect(result.cutoffs.pendingCreatedBefore).toBe(new Date(now.getTime() - 30 * DAY).toISOString());

    for (const gone of [oldPending, oldUnsubscribed, undatedUnsubscribed]) {
      expect(await exists(gone.documentId)).toBe(false);
      expect(await componentRows(gone.consentId, gone.id)).toEqual({ consent: 0, links: 0 });
    }
    for (const kept of [freshPending, active, bounced, complained, recentUnsubscribed]) expect(await exists(kept.documentId)).toBe(true);

    // Nothing left to do.
    expect(await purgeExpiredSubscribers(app.strapi, settings)).toMatchObject({ pending: 0, unsubscribed: 0, removed: { subscribers: 0 } });
  });
});

describe('admin routes', () => {
  const exportUrl = (documentId: string) => `${app.url}/desk/gdpr/subscribers/${documentId}/export`;
  const eraseUrl = (documentId: string) => `${app.url}/desk/gdpr/subscribers/${documentId}/erase`;
  let superAdminToken: string;

  async function adminToken(email: string, roleCode: string | null): Promise<string> {
    const roles = app.strapi.service('admin::role');
    const role = roleCode
      ? await roles.findOne({ code: roleCode })
      : await roles.create({ name: `No rights ${Date.now()}`, description: 'test role without permissions' });
    await app.strapi
      .service('admin::user')
      .create({ email, firstname: 'Test', lastname: roleCode ?? 'none', password: PASSWORD, isActive: true, roles: [role.id] });
    const response = await fetch(`${app.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { token: string } };
    return body.data.token;
  }

  beforeAll(async () => {
    superAdminToken = await adminToken('gdpr.superadmin@example.org', 'strapi-super-admin');
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  it('refuses requests without an admin token (401), also with a content-API token', async () => {
    const { documentId } = await createSubscriber('route.anonymous@example.org');
    expect((await fetch(exportUrl(documentId))).status).toBe(401);
    expect((await fetch(eraseUrl(documentId), { method: 'POST' })).status).toBe(401);
    const apiToken = await app.strapi.service('admin::api-token').create({ name: 'gdpr test full access', type: 'full-access', lifespan: null });
    expect((await fetch(exportUrl(documentId), { headers: auth(apiToken.accessKey) })).status).toBe(401);
    expect((await fetch(eraseUrl(documentId), { method: 'POST', headers: auth(apiToken.accessKey) })).status).toBe(401);
    expect((await fetch(exportUrl(documentId), { headers: auth('not-a-token') })).status).toBe(401);
    // Not on the content API at all.
    expect((await fetch(`${app.url}/api/gdpr/subscribers/${documentId}/export`, { headers: auth(apiToken.accessKey) })).status).toBe(404);
    expect(await exists(documentId)).toBe(true);
  });

  it('exports as a JSON download for an admin', async () => {
    const { documentId } = await createSubscriber('route.export@example.org');
    const response = await fetch(exportUrl(documentId), { headers: auth(superAdminToken) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="subscriber-${documentId}.json"`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { subscriber: unknown; consent: { textVersion: string } };
    expect(body.subscriber).toMatchObject({ documentId, email: 'route.export@example.org' });
    expect(body.consent.textVersion).toBe('2025-01');
  });

  it('erases for an admin, then answers 404', async () => {
    const created = await createSubscriber('route.erase@example.org');
    const response = await fetch(eraseUrl(created.documentId), { method: 'POST', headers: auth(superAdminToken) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: { documentId: created.documentId, erased: true, removed: { subscribers: 1, consentRecords: 1, deliveries: 0 } },
    });
    expect(await exists(created.documentId)).toBe(false);
    expect(await componentRows(created.consentId, created.id)).toEqual({ consent: 0, links: 0 });
    const again = await fetch(eraseUrl(created.documentId), { method: 'POST', headers: auth(superAdminToken) });
    expect(again.status).toBe(404);
  });

  it('answers 404 with a clear message for an unknown subscriber, 400 for a malformed id', async () => {
    for (const response of [
      await fetch(exportUrl('unknown0000000000000000000'), { headers: auth(superAdminToken) }),
      await fetch(eraseUrl('unknown0000000000000000000'), { method: 'POST', headers: auth(superAdminToken) }),
    ]) {
      expect(response.status).toBe(404);
      const body = (await response.json()) as ErrorBody;
      expect(body.error.message).toBe('No subscriber with document id "unknown0000000000000000000"');
    }
    for (const bad of ['x'.repeat(65), 'a%20b', '%27%3B%20drop', '..%2F..%2Fetc']) {
      const response = await fetch(exportUrl(bad), { headers: auth(superAdminToken) });
      expect(response.status, bad).toBe(400);
      expect(((await response.json()) as ErrorBody).error.message).toMatch(/documentId/);
    }
  });

  it('refuses admins who may not delete that subscriber (403)', async () => {
    const { documentId } = await createSubscriber('route.forbidden@example.org');
    // A role without any permission.
    const noRights = await adminToken('gdpr.norights@example.org', null);
    expect((await fetch(exportUrl(documentId), { headers: auth(noRights) })).status).toBe(403);
    expect((await fetch(eraseUrl(documentId), { method: 'POST', headers: auth(noRights) })).status).toBe(403);
    // Authors may delete only what they created themselves; this subscriber came from elsewhere.
    const author = await adminToken('gdpr.author@example.org', 'strapi-author');
    expect((await fetch(exportUrl(documentId), { headers: auth(author) })).status).toBe(403);
    expect((await fetch(eraseUrl(documentId), { method: 'POST', headers: auth(author) })).status).toBe(403);
    expect(await exists(documentId)).toBe(true);
    // Editors may delete every subscriber and hold the desk's GDPR action (src/boot/admin-roles.ts).
    const editor = await adminToken('gdpr.editor@example.org', 'strapi-editor');
    expect((await fetch(exportUrl(documentId), { headers: auth(editor) })).status).toBe(200);
    // Deleting subscribers alone is not enough: GDPR requests also need the desk's own action.
    const deleteOnly = await app.strapi
      .service('admin::role')
      .create({ name: `Subscriber delete only ${Date.now()}`, description: 'subscriber delete without the desk gdpr action' });
    await app.strapi.service('admin::role').addPermissions(
      deleteOnly.id,
      ['read', 'delete'].map((action) => ({
        action: `plugin::content-manager.explorer.${action}`,
        subject: 'api::subscriber.subscriber',
        properties: {},
        conditions: [],
      })),
    );
    await app.strapi
      .service('admin::user')
      .create({ email: 'gdpr.deleteonly@example.org', firstname: 'Test', lastname: 'delete', password: PASSWORD, isActive: true, roles: [deleteOnly.id] });
    const deleteOnlyLogin = await fetch(`${app.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'gdpr.deleteonly@example.org', password: PASSWORD }),
    });
    const deleteOnlyToken = ((await deleteOnlyLogin.json()) as { data: { token: string } }).data.token;
    expect((await fetch(exportUrl(documentId), { headers: auth(deleteOnlyToken) })).status).toBe(403);
    // The desk's action alone is not enough: a role that may not delete subscribers is refused.
    const gdprOnly = await app.strapi.service('admin::role').create({ name: `GDPR only ${Date.now()}`, description: 'desk gdpr without subscriber delete' });
    await app.strapi.service('admin::role').addPermissions(gdprOnly.id, [{ action: 'plugin::desk.gdpr', subject: null, properties: {}, conditions: [] }]);
    await app.strapi
      .service('admin::user')
      .create({ email: 'gdpr.only@example.org', firstname: 'Test', lastname: 'gdpr', password: PASSWORD, isActive: true, roles: [gdprOnly.id] });
    const login = await fetch(`${app.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'gdpr.only@example.org', password: PASSWORD }),
    });
    const gdprOnlyToken = ((await login.json()) as { data: { token: string } }).data.token;
    expect((await fetch(exportUrl(documentId), { headers: auth(gdprOnlyToken) })).status).toBe(403);
  });
});
