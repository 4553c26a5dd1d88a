'use strict';

/**
 * An edition's items were a JSON column (`editions.items`); they are now a repeatable component
 * (`edition.item`, see src/mailings/edition/edition-items.ts), which has no column on `editions`, so
 * Strapi's schema sync drops the JSON column. This runs before that sync and keeps every edition's
 * JSON, as it is, in `edition_items_json`, a table of our own that Strapi leaves alone. At start,
 * src/mailings/edition/edition-items-migration.ts turns each kept list into component entries (once) and
 * keeps the JSON. On a fresh database, or one already converted, there is nothing to do.
 */
const KEPT = 'edition_items_json';

module.exports = {
  async up(knex) {
    if (!(await knex.schema.hasTable('editions')) || !(await knex.schema.hasColumn('editions', 'items'))) return;
    if (!(await knex.schema.hasTable(KEPT))) {
      await knex.schema.createTable(KEPT, (t) => {
        t.integer('edition_id').primary();
        t.text('items');
        t.timestamp('converted_at').nullable();
      });
    }
    const rows = await knex('editions').whereNotNull('items').select('id', 'items');
    for (const row of rows) {
      const items = typeof row.items === 'string' ? row.items : JSON.stringify(row.items);
      const kept = await knex(KEPT).where({ edition_id: row.id }).first('edition_id');
      if (!kept) await knex(KEPT).insert({ edition_id: row.id, items, converted_at: null });
    }
  },
  async down() {
    throw new Error('This migration cannot be undone: edition items are components now.');
  },
};
