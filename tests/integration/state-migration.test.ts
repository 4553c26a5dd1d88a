import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startStrapi, type TestApp } from '../support/strapi';

/**
 * A database written by the version before the rename (editions.status, subscribers.status) keeps
 * every edition's and subscriber's state when the new version starts: the migration in
 * database/migrations runs before Strapi syncs the schema.
 */
let database: TestDatabase;
let app: TestApp | undefined;

const MIGRATION = '2026.12.01T00.00.00.rename-status-to-state.js';

describe('renaming status to state on an existing database', () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    // Start once to create the tables, then turn them into what the old version left behind.
    app = await startStrapi(database);
    const db = app.strapi.db.connection as unknown as Knex;
    await db('subscribers').insert([
      { document_id: 'old-active', email: 'old.active@example.org', preferred_locale: 'nl', state: 'active' },
      { document_id: 'old-complained', email: 'old.complained@example.org', preferred_locale: 'en', state: 'complained' },
    ]);
    await db('editions').insert({
      document_id: 'old-edition',
      title: 'Nieuwsbrief november 2026',
      state: 'scheduled',
      cutoff: new Date(),
      period_key: 'old:1',
    });
    await db.schema.alterTable('subscribers', (t) => t.renameColumn('state', 'status'));
    await db.schema.alterTable('editions', (t) => t.renameColumn('state', 'status'));
    await db('strapi_migrations').where({ name: MIGRATION }).delete();
    await app.stop();
    app = await startStrapi(database);
  });

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  it('moves every value into the state column and drops the old one', async () => {
    const db = app!.strapi.db.connection as unknown as Knex;
    expect(await db.schema.hasColumn('subscribers', 'status')).toBe(false);
    expect(await db.schema.hasColumn('editions', 'status')).toBe(false);
    const subscribers = await db('subscribers').orderBy('email').select('email', 'state');
    expect(subscribers).toEqual([
      { email: 'old.active@example.org', state: 'active' },
      { email: 'old.complained@example.org', state: 'complained' },
    ]);
    expect(await db('editions').where({ document_id: 'old-edition' }).first('state')).toEqual({ state: 'scheduled' });
    expect(await db('strapi_migrations').where({ name: MIGRATION }).first('name')).toBeTruthy();
  });

  it('reads the moved values through the document service (what the admin panel uses)', async () => {
    const subscriber = await app!.strapi.documents('api::subscriber.subscriber').findFirst({ filters: { email: 'old.complained@example.org' } } as never);
    expect(subscriber).toMatchObject({ state: 'complained' });
    const edition = await app!.strapi.documents('api::edition.edition').findOne({ documentId: 'old-edition' } as never);
    expect(edition).toMatchObject({ state: 'scheduled' });
  });
});
