import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoContent } from '../../database/seed/seed';
import { readEditionItems } from '../../src/mailings/edition/edition-items';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startStrapi, type TestApp } from '../support/strapi';

/**
 * A database from when an edition's items were a JSON column keeps every edition's items, in
 * order, as component entries when the new version starts; sent editions too (the assembly's window
 * reads them), and the JSON itself stays kept.
 */
let database: TestDatabase;
let app: TestApp | undefined;
const MIGRATION = '2026.12.02T00.00.00.keep-edition-items-json.js';
let article: string;
let bundle: string;

describe('edition items from JSON to components on an existing database', () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startStrapi(database);
    await seedDemoContent(app.strapi);
    article = (await app.strapi.db.query('api::article.article').findOne({ where: { slug: 'actieleren-kleine-stappen' } })).documentId;
    bundle = (await app.strapi.db.query('api::resource.resource').findOne({ where: { slug: 'inspiratiebundel-leercultuur' } })).documentId;
    // What the old version left behind: an items column with JSON lists.
    const db = app.strapi.db.connection as unknown as Knex;
    await db.schema.alterTable('editions', (t) => t.text('items'));
    const list = (refs: Array<[string, string]>) =>
      JSON.stringify(refs.map(([type, documentId]) => ({ type, documentId, locales: ['en', 'nl'], publishedAt: '2026-11-01T09:00:00.000Z', title: {} })));
    await db('editions').insert([
      {
        document_id: 'old-sent',
        title: 'Nieuwsbrief oktober 2026',
        state: 'sent',
        cutoff: new Date('2026-10-06T07:00:00Z'),
        period_key: 'old:sent',
        items: list([
          ['resource', bundle],
          ['article', article],
        ]),
      },
      {
        document_id: 'old-scheduled',
        title: 'Nieuwsbrief november 2026',
        state: 'scheduled',
        cutoff: new Date('2026-11-03T08:00:00Z'),
        period_key: 'old:scheduled',
        items: list([
          ['article', article],
          ['article', 'deleted0000000000000000000'],
          ['resource', bundle],
        ]),
      },
    ]);
    await db('strapi_migrations').where({ name: MIGRATION }).delete();
    await app.stop();
    app = await startStrapi(database);
  });

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  it('turns each list into entries in its order, also for a sent edition; an item deleted since is left out', async () => {
    const db = app!.strapi.db.connection as unknown as Knex;
    // (Strapi's sync drops the column on a real old database; here its stored schema never knew it.)
    const idOf = async (documentId: string) => (await db('editions').where({ document_id: documentId }).first('id')).id as number;
    expect(await readEditionItems(app!.strapi, await idOf('old-sent'))).toEqual([
      { type: 'resource', documentId: bundle },
      { type: 'article', documentId: article },
    ]);
    expect(await readEditionItems(app!.strapi, await idOf('old-scheduled'))).toEqual([
      { type: 'article', documentId: article },
      { type: 'resource', documentId: bundle },
    ]);
    expect(await db('editions').where({ document_id: 'old-sent' }).first('state')).toEqual({ state: 'sent' });
  });

  it('keeps the JSON, converted once: another start changes nothing', async () => {
    const db = app!.strapi.db.connection as unknown as Knex;
    const kept = await db('edition_items_json').orderBy('edition_id').select('items', 'converted_at');
    expect(kept).toHaveLength(2);
    expect(kept[1].items).toContain('deleted0000000000000000000');
    expect(kept.every((row: { converted_at: unknown }) => row.converted_at !== null)).toBe(true);
    const entries = await db('components_edition_items').count({ n: '*' }).first();
    await app!.stop();
    app = await startStrapi(database);
    const again = await (app.strapi.db.connection as unknown as Knex)('components_edition_items').count({ n: '*' }).first();
    expect(Number(again?.n)).toBe(Number(entries?.n));
  });
});
