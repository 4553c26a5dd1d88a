'use strict';

/**
 * Every export of the subscriber list (`npm run subscribers -- export`) is logged: who, when, with
 * which filter, into which file, how many rows (src/gdpr/list-export.ts). A table of our own, which
 * Strapi's schema sync leaves alone, so the admin panel can show it later. `rows` stays empty while
 * an export runs, and for one that failed.
 */
const TABLE = 'subscriber_export_log';

module.exports = {
  async up(knex) {
    if (await knex.schema.hasTable(TABLE)) return;
    await knex.schema.createTable(TABLE, (t) => {
      t.increments('id');
      t.timestamp('exported_at', { useTz: true }).notNullable();
      t.string('exported_by', 255).notNullable();
      t.text('filter').notNullable();
      t.string('file', 1000).notNullable();
      t.integer('rows').nullable();
    });
  },
  async down(knex) {
    await knex.schema.dropTableIfExists(TABLE);
  },
};
