import type { Knex } from 'knex';

/**
 * The sending state of editions, in plain tables next to Strapi's (a million delivery rows are
 * written in bulk, which Strapi's entity layer is not made for). The delivery rows are the source
 * of truth for "exactly once per reader": unique per edition and subscriber, written before sending.
 *
 * Batch states: pending -> sending -> submitted | failed | unknown. `sending` carries a lease
 * (locked_until); a batch found `sending` with an expired lease may or may not have reached
 * SendGrid, so it becomes `unknown` and is surfaced to editors instead of being sent again.
 * Delivery statuses: queued -> submitted | failed | suppressed | unknown.
 */
export const VARIANTS = 'newsletter_variants';
export const BATCHES = 'newsletter_batches';
export const DELIVERIES = 'newsletter_deliveries';

export type BatchState = 'pending' | 'sending' | 'submitted' | 'failed' | 'unknown';
export type DeliveryStatus = 'queued' | 'submitted' | 'failed' | 'suppressed' | 'unknown';

export async function ensureNewsletterTables(db: Knex): Promise<void> {
  if (!(await db.schema.hasTable(VARIANTS))) {
    await db.schema.createTable(VARIANTS, (table) => {
      table.increments('id');
      table.integer('edition_id').notNullable();
      table.string('variant_key', 400).notNullable();
      table.string('subject', 500).notNullable();
      table.text('html').notNullable();
      table.text('text').notNullable();
      table.unique(['edition_id', 'variant_key']);
    });
  }
  if (!(await db.schema.hasTable(BATCHES))) {
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
  }
  if (!(await db.schema.hasTable(DELIVERIES))) await createDeliveriesTable(db, DELIVERIES);
}

/** The delivery table's shape; the benchmark's floor writes into a scratch copy of it. */
export async function createDeliveriesTable(db: Knex, name: string): Promise<void> {
  await db.schema.createTable(name, (table) => {
    table.integer('edition_id').notNullable();
    table.integer('subscriber_id').notNullable();
    table.integer('batch_no').notNullable();
    table.string('status', 20).notNullable();
    table.bigInteger('submitted_at').nullable();
    table.string('error', 500).nullable();
    table.primary(['edition_id', 'subscriber_id']);
    table.index(['edition_id', 'batch_no'], `${name}_batch_idx`);
    table.index(['subscriber_id'], `${name}_subscriber_idx`);
  });
}

/** The edition's counters, kept on its row for the admin panel; moved with the state changes. */
export type Counter = 'recipients_count' | 'queued_count' | 'submitted_count' | 'failed_count' | 'suppressed_count' | 'unknown_count';

export async function moveCounts(db: Knex, editionId: number, moves: Partial<Record<Counter, number>>): Promise<void> {
  const changes = Object.entries(moves).filter(([, n]) => n);
  if (changes.length === 0) return;
  const update: Record<string, Knex.Raw> = {};
  for (const [column, n] of changes) update[column] = db.raw('?? + ?', [column, n]);
  await db('editions').where({ id: editionId }).update(update);
}
