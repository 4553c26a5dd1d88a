import type { Knex } from 'knex';

/**
 * The engine's tables, plain tables next to Strapi's (a million delivery rows are written in bulk,
 * which Strapi's entity layer is not made for). Every row is keyed by its mailing
 * (`mailing_kind` + `mailing_id`: `edition` + the edition's id, `campaign` + the campaign's id).
 * The delivery rows are the source of truth for "exactly once per reader": unique per mailing and
 * subscriber, written before sending. States: src/mailings/engine/mailing-state.ts.
 *
 * Databases made before mailings (edition_id columns) are migrated here, idempotently and without
 * losing rows: the old table is renamed, the new one created, the rows copied (a delivery's
 * `message <id>` moves from `error` to `message_id`), the old one dropped, in one transaction.
 */
export const VARIANTS = 'newsletter_variants';
export const BATCHES = 'newsletter_batches';
export const DELIVERIES = 'newsletter_deliveries';
/** Ids of SendGrid events already applied (src/mailings/feedback/), kept a few days: SendGrid redelivers for 24 hours. */
export const FEEDBACK_EVENTS = 'newsletter_feedback_events';

export async function ensureSendingTables(db: Knex): Promise<void> {
  await db.transaction(async (trx) => {
    await migrateOrCreate(trx, VARIANTS, createVariantsTable, (into) =>
      trx.raw(
        `INSERT INTO ?? (mailing_kind, mailing_id, edition_id, variant_key, subject, html, text) SELECT 'edition', edition_id, edition_id, variant_key, subject, html, text FROM ??`,
        [into, VARIANTS],
      ),
    );
    await migrateOrCreate(trx, BATCHES, createBatchesTable, (into) =>
      trx.raw(
        `INSERT INTO ?? (mailing_kind, mailing_id, batch_no, variant_key, state, size, attempts, locked_until, message_id, error, updated_at) SELECT 'edition', edition_id, batch_no, variant_key, state, size, attempts, locked_until, message_id, error, updated_at FROM ??`,
        [into, BATCHES],
      ),
    );
    const existed = await trx.schema.hasTable(DELIVERIES);
    await migrateOrCreate(trx, DELIVERIES, createDeliveriesTable, (into) =>
      trx.raw(
        `INSERT INTO ?? (mailing_kind, mailing_id, subscriber_id, batch_no, status, submitted_at, message_id, error)
         SELECT 'edition', edition_id, subscriber_id, batch_no, status, submitted_at,
                CASE WHEN error LIKE 'message %' THEN substr(error, 9) ELSE NULL END,
                CASE WHEN error LIKE 'message %' THEN NULL ELSE error END
         FROM ?? ORDER BY edition_id, subscriber_id`,
        [into, DELIVERIES],
      ),
    );
    // Tables made before the fill factor get it for the pages written from now on.
    if (existed && isPostgres(trx)) await trx.raw(`ALTER TABLE ?? SET (fillfactor = ${DELIVERIES_FILLFACTOR})`, [DELIVERIES]);
    if (existed) await replaceDeliveryIndexes(trx);
    // Columns added with delivery feedback, after the first tables; a new column with a default is cheap in both databases.
    if (!(await trx.schema.hasColumn(DELIVERIES, 'feedback')))
      await trx.schema.alterTable(DELIVERIES, (table) => table.integer('feedback').notNullable().defaultTo(0));
    if (!(await trx.schema.hasColumn(BATCHES, 'unknown_since'))) await trx.schema.alterTable(BATCHES, (table) => table.bigInteger('unknown_since').nullable());
    if (!(await trx.schema.hasTable(FEEDBACK_EVENTS))) {
      await trx.schema.createTable(FEEDBACK_EVENTS, (table) => {
        table.string('event_id', 128).primary();
        table.bigInteger('received_at').notNullable();
        table.index(['received_at'], `${FEEDBACK_EVENTS}_received_idx`);
      });
    }
  });
}

/**
 * Tables made before 2026-12-06 had a unique index (mailing, subscriber) and one on the subscriber
 * alone; one unique index (subscriber, mailing) does the work of both. Idempotent: the new index is
 * made if missing, then the old ones dropped if present, in the caller's transaction.
 */
async function replaceDeliveryIndexes(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`CREATE UNIQUE INDEX IF NOT EXISTS ?? ON ?? (subscriber_id, mailing_kind, mailing_id)`, [
    `${DELIVERIES}_subscriber_mailing_unique`,
    DELIVERIES,
  ]);
  // On PostgreSQL the old unique index belongs to a constraint (knex makes one): dropped with it.
  if (isPostgres(trx)) await trx.raw('ALTER TABLE ?? DROP CONSTRAINT IF EXISTS ??', [DELIVERIES, `${DELIVERIES}_mailing_subscriber_unique`]);
  for (const old of [`${DELIVERIES}_mailing_subscriber_unique`, `${DELIVERIES}_by_subscriber_idx`]) await trx.raw('DROP INDEX IF EXISTS ??', [old]);
}

/**
 * The new table is made under a scratch name (its index names are the final ones, distinct from
 * the old table's), filled, and renamed once the old one is gone: PostgreSQL keeps a renamed
 * table's key and sequence names, so the old table cannot simply be moved aside first.
 */
async function migrateOrCreate(
  trx: Knex.Transaction,
  name: string,
  create: (db: Knex, name: string, indexBase: string) => Promise<void>,
  copy: (into: string) => Promise<unknown>,
): Promise<void> {
  if (!(await trx.schema.hasTable(name))) return create(trx, name, name);
  if (await trx.schema.hasColumn(name, 'mailing_kind')) return;
  const next = `${name}_by_mailing`;
  await create(trx, next, name);
  await copy(next);
  await trx.schema.dropTable(name);
  await trx.schema.renameTable(next, name);
}

async function createVariantsTable(db: Knex, name: string, indexBase = name): Promise<void> {
  await db.schema.createTable(name, (table) => {
    table.increments('id');
    table.string('mailing_kind', 20).notNullable();
    table.integer('mailing_id').notNullable();
    // Written for editions only, for databases read by older code; the web versions read variants by
    // mailing_kind + mailing_id (src/api/subscription/controllers/newsletter-page.ts). Droppable.
    table.integer('edition_id').nullable();
    table.string('variant_key', 400).notNullable();
    table.string('subject', 500).notNullable();
    table.text('html').notNullable();
    table.text('text').notNullable();
    table.unique(['mailing_kind', 'mailing_id', 'variant_key'], { indexName: `${indexBase}_mailing_variant_unique` });
  });
}

async function createBatchesTable(db: Knex, name: string, indexBase = name): Promise<void> {
  await db.schema.createTable(name, (table) => {
    table.increments('id');
    table.string('mailing_kind', 20).notNullable();
    table.integer('mailing_id').notNullable();
    table.integer('batch_no').notNullable();
    table.string('variant_key', 400).notNullable();
    table.string('state', 20).notNullable();
    table.integer('size').notNullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.bigInteger('locked_until').nullable();
    table.string('message_id', 200).nullable();
    table.text('error').nullable();
    table.bigInteger('updated_at').notNullable();
    /** Since when its fate is unknown and awaits SendGrid's events; null otherwise (or no longer awaited: cancelled). */
    table.bigInteger('unknown_since').nullable();
    table.unique(['mailing_kind', 'mailing_id', 'batch_no'], { indexName: `${indexBase}_mailing_batch_unique` });
    table.index(['mailing_kind', 'mailing_id', 'state'], `${indexBase}_mailing_state_idx`);
  });
}

/**
 * The delivery table's shape; the benchmark's floor writes into a scratch copy of it. `id` is the
 * delivery reference in custom_args (base 36), so an event finds its row by primary key.
 */
export async function createDeliveriesTable(db: Knex, name: string, indexBase = name): Promise<void> {
  await db.schema.createTable(name, (table) => {
    table.increments('id');
    table.string('mailing_kind', 20).notNullable();
    table.integer('mailing_id').notNullable();
    table.integer('subscriber_id').notNullable();
    table.integer('batch_no').notNullable();
    table.string('status', 20).notNullable();
    table.bigInteger('submitted_at').nullable();
    /** SendGrid's X-Message-Id of the request that carried it. */
    table.string('message_id', 200).nullable();
    table.string('error', 500).nullable();
    /** What SendGrid's events said of it, one bit per statistic (src/mailings/engine/delivery-statistics.ts). */
    table.integer('feedback').notNullable().defaultTo(0);
    // Once per reader and mailing. The subscriber first, so that the same index finds a reader's
    // deliveries (GDPR export and erasure) without an index of its own: three indexes to write per
    // delivery instead of four (bench/README.md, "All targets met", step 1).
    // An index, not a constraint (PostgreSQL's default), the same object an older table is given (replaceDeliveryIndexes).
    table.unique(['subscriber_id', 'mailing_kind', 'mailing_id'], { indexName: `${indexBase}_subscriber_mailing_unique`, useConstraint: false });
    table.index(['mailing_kind', 'mailing_id', 'batch_no'], `${indexBase}_mailing_batch_idx`);
  });
  if (isPostgres(db)) await db.raw(`ALTER TABLE ?? SET (fillfactor = ${DELIVERIES_FILLFACTOR})`, [name]);
}

/**
 * PostgreSQL: every delivery row is updated once (queued -> submitted, with its message id), and a
 * row written full-page has no room for its new version there, so each update also writes a new
 * entry into all four indexes. With pages 40% full the new version fits beside the old one (a HOT
 * update: no index entries): settling a batch of 1000 took 7-11 ms at 100%, 1.3 ms at 40%
 * (EXPLAIN ANALYZE, 100k deliveries). The table is 2.5 times larger on disk for it.
 */
const DELIVERIES_FILLFACTOR = 40;

export function isPostgres(db: Knex): boolean {
  const client = String(db.client.config.client);
  return client === 'pg' || client === 'postgres' || client === 'postgresql';
}
