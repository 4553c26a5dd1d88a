import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCHES, DELIVERIES, VARIANTS, isPostgres } from '../../src/mailings/engine/schema';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startStrapi, type TestApp } from '../support/strapi';

/**
 * A database written before mailings (newsletter tables keyed by edition_id, the message id in
 * `error`) keeps every variant, batch and delivery when the new version starts: the schema step in
 * src/mailings/engine/schema.ts moves them to tables keyed by mailing, once.
 */
let database: TestDatabase;
let app: TestApp | undefined;

async function createOldTables(db: Knex): Promise<void> {
  for (const table of [DELIVERIES, BATCHES, VARIANTS]) await db.schema.dropTableIfExists(table);
  await db.schema.createTable(VARIANTS, (table) => {
    table.increments('id');
    table.integer('edition_id').notNullable();
    table.string('variant_key', 400).notNullable();
    table.string('subject', 500).notNullable();
    table.text('html').notNullable();
    table.text('text').notNullable();
    table.unique(['edition_id', 'variant_key']);
  });
  await db.schema.createTable(BATCHES, (table) => {
    table.increments('id');
    table.integer('edition_id').notNullable();
    table.integer('batch_no').notNullable();
    table.string('variant_key', 400).notNullable();
    table.string('state', 20).notNullable();
    table.integer('size').notNullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.bigInteger('locked_until').nullable();
    table.string('message_id', 200).nullable();
    table.text('error').nullable();
    table.bigInteger('updated_at').notNullable();
    table.unique(['edition_id', 'batch_no']);
    table.index(['edition_id', 'state']);
  });
  await db.schema.createTable(DELIVERIES, (table) => {
    table.integer('edition_id').notNullable();
    table.integer('subscriber_id').notNullable();
    table.integer('batch_no').notNullable();
    table.string('status', 20).notNullable();
    table.bigInteger('submitted_at').nullable();
    table.string('error', 500).nullable();
    table.primary(['edition_id', 'subscriber_id']);
    table.index(['edition_id', 'batch_no'], `${DELIVERIES}_batch_idx`);
    table.index(['subscriber_id'], `${DELIVERIES}_subscriber_idx`);
  });
  await db(VARIANTS).insert({ edition_id: 3, variant_key: 'nl|', subject: 'Nieuwsbrief', html: '<p>x</p>', text: 'x' });
  await db(BATCHES).insert({ edition_id: 3, batch_no: 1, variant_key: 'nl|', state: 'submitted', size: 2, attempts: 1, updated_at: Date.now() });
  await db(DELIVERIES).insert([
    { edition_id: 3, subscriber_id: 10, batch_no: 1, status: 'submitted', submitted_at: Date.now(), error: 'message abc123' },
    { edition_id: 3, subscriber_id: 11, batch_no: 1, status: 'failed', error: 'refused with 400: Invalid email' },
  ]);
}

/**
 * Strapi started once to leave an older version's tables behind (`leaveBehind`), then the new
 * version started on them twice (the schema step is idempotent): the app of the second start.
 */
async function startTwiceOn(database: TestDatabase, leaveBehind: (db: Knex) => Promise<void>): Promise<TestApp> {
  let started = await startStrapi(database);
  await leaveBehind(started.strapi.db.connection as unknown as Knex);
  await started.stop();
  started = await startStrapi(database);
  await started.stop();
  return startStrapi(database);
}

describe('newsletter tables made before mailings', () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startTwiceOn(database, createOldTables);
  });

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  it('keeps every row, keyed by mailing, with the message id in its own column', async () => {
    const db = app!.strapi.db.connection as unknown as Knex;
    expect(await db(VARIANTS).select('mailing_kind', 'mailing_id', 'edition_id', 'variant_key', 'subject')).toEqual([
      { mailing_kind: 'edition', mailing_id: 3, edition_id: 3, variant_key: 'nl|', subject: 'Nieuwsbrief' },
    ]);
    expect(await db(BATCHES).select('mailing_kind', 'mailing_id', 'batch_no', 'state')).toEqual([
      { mailing_kind: 'edition', mailing_id: 3, batch_no: 1, state: 'submitted' },
    ]);
    const deliveries = await db(DELIVERIES)
      .orderBy('subscriber_id')
      .select('id', 'mailing_kind', 'mailing_id', 'subscriber_id', 'status', 'message_id', 'error');
    expect(deliveries.map(({ id: _id, ...rest }) => rest)).toEqual([
      { mailing_kind: 'edition', mailing_id: 3, subscriber_id: 10, status: 'submitted', message_id: 'abc123', error: null },
      { mailing_kind: 'edition', mailing_id: 3, subscriber_id: 11, status: 'failed', message_id: null, error: 'refused with 400: Invalid email' },
    ]);
    expect(deliveries.every((row) => Number(row.id) > 0)).toBe(true);
    expect(await db.schema.hasColumn(DELIVERIES, 'edition_id')).toBe(false);
  });

  it('new rows get ids, and (mailing, subscriber) stays unique', async () => {
    const db = app!.strapi.db.connection as unknown as Knex;
    await db(DELIVERIES).insert({ mailing_kind: 'campaign', mailing_id: 3, subscriber_id: 10, batch_no: 1, status: 'queued' });
    const added = await db(DELIVERIES).where({ mailing_kind: 'campaign' }).first('id');
    expect(Number(added.id)).toBeGreaterThan(0);
    await expect(db(DELIVERIES).insert({ mailing_kind: 'edition', mailing_id: 3, subscriber_id: 10, batch_no: 2, status: 'queued' })).rejects.toThrow();
    await db(VARIANTS).insert({ mailing_kind: 'campaign', mailing_id: 3, variant_key: 'nl', subject: 's', html: 'h', text: 't' });
    await db(BATCHES).insert({ mailing_kind: 'campaign', mailing_id: 3, batch_no: 1, variant_key: 'nl', state: 'pending', size: 1, updated_at: Date.now() });
  });
});

/** The indexes of a table, by name (without the primary key's). */
async function indexNames(db: Knex, table: string): Promise<string[]> {
  const rows: Array<{ name: string }> = isPostgres(db)
    ? (await db.raw(`SELECT indexname AS name FROM pg_indexes WHERE tablename = ? AND schemaname = current_schema() AND indexname NOT LIKE '%_pkey'`, [table]))
        .rows
    : await db.raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name NOT LIKE 'sqlite_autoindex%'`, [table]);
  return rows.map((row) => row.name).sort();
}

/** As createDeliveriesTable made it then: (mailing, subscriber) unique (a constraint on PostgreSQL, as knex makes it) and an index on the subscriber alone. */
async function createDeliveriesTableOfBefore(db: Knex): Promise<void> {
  await db.schema.createTable(DELIVERIES, (table) => {
    table.increments('id');
    table.string('mailing_kind', 20).notNullable();
    table.integer('mailing_id').notNullable();
    table.integer('subscriber_id').notNullable();
    table.integer('batch_no').notNullable();
    table.string('status', 20).notNullable();
    table.bigInteger('submitted_at').nullable();
    table.string('message_id', 200).nullable();
    table.string('error', 500).nullable();
    table.integer('feedback').notNullable().defaultTo(0);
    table.unique(['mailing_kind', 'mailing_id', 'subscriber_id'], { indexName: `${DELIVERIES}_mailing_subscriber_unique` });
    table.index(['mailing_kind', 'mailing_id', 'batch_no'], `${DELIVERIES}_mailing_batch_idx`);
    table.index(['subscriber_id'], `${DELIVERIES}_by_subscriber_idx`);
  });
}

describe('a delivery table with the indexes of before 2026-12-06', () => {
  let oldDatabase: TestDatabase;
  let oldApp: TestApp | undefined;
  let freshIndexes: string[] = [];

  beforeAll(async () => {
    oldDatabase = await createTestDatabase();
    oldApp = await startTwiceOn(oldDatabase, async (db) => {
      freshIndexes = await indexNames(db, DELIVERIES);
      await db.schema.dropTable(DELIVERIES);
      await createDeliveriesTableOfBefore(db);
      await db(DELIVERIES).insert([
        { mailing_kind: 'edition', mailing_id: 4, subscriber_id: 20, batch_no: 1, status: 'submitted' },
        { mailing_kind: 'campaign', mailing_id: 4, subscriber_id: 20, batch_no: 1, status: 'queued' },
      ]);
    });
  });

  afterAll(async () => {
    await oldApp?.stop();
    await oldDatabase?.drop();
  });

  it('gets one unique index (subscriber, mailing) in place of the two, keeping its rows and the rule', async () => {
    const db = oldApp!.strapi.db.connection as unknown as Knex;
    expect(await indexNames(db, DELIVERIES)).toEqual([`${DELIVERIES}_mailing_batch_idx`, `${DELIVERIES}_subscriber_mailing_unique`]);
    expect(await db(DELIVERIES).orderBy('id').select('mailing_kind', 'subscriber_id', 'status')).toEqual([
      { mailing_kind: 'edition', subscriber_id: 20, status: 'submitted' },
      { mailing_kind: 'campaign', subscriber_id: 20, status: 'queued' },
    ]);
    await expect(db(DELIVERIES).insert({ mailing_kind: 'edition', mailing_id: 4, subscriber_id: 20, batch_no: 2, status: 'queued' })).rejects.toThrow();
    await db(DELIVERIES).insert({ mailing_kind: 'edition', mailing_id: 5, subscriber_id: 20, batch_no: 1, status: 'queued' });
  });

  it('a new table has the same indexes', () => {
    expect(freshIndexes).toEqual([`${DELIVERIES}_mailing_batch_idx`, `${DELIVERIES}_subscriber_mailing_unique`]);
  });
});
