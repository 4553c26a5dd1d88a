'use strict';

/**
 * Item counts (src/site/counts/): how often each item was opened per network day, from a mail's
 * counted link (source `mail`, with the mailing, e.g. `edition:12`) or on its reading page
 * (source `page`, no mailing). Counts only: no column names a reader, a subscriber, an address, an
 * IP or a browser, so there is nothing about a person to keep or erase. A table of our own, which
 * Strapi's schema sync leaves alone.
 *
 * Two partial unique indexes instead of one key: a NULL mailing (a page) never conflicts in a plain
 * unique index on SQLite or PostgreSQL, and the counting upsert (INSERT ... ON CONFLICT ... DO
 * UPDATE) needs a conflict to add to the existing row.
 */
const TABLE = 'item_counts';

module.exports = {
  async up(knex) {
    if (await knex.schema.hasTable(TABLE)) return;
    await knex.schema.createTable(TABLE, (t) => {
      t.increments('id').primary();
      t.string('day', 10).notNullable(); // YYYY-MM-DD in NEWSLETTER_TZ
      t.string('source', 8).notNullable(); // mail | page
      t.string('mailing', 40).nullable(); // edition:12 | campaign:3; null for a page
      t.string('item_kind', 16).notNullable(); // article | resource
      t.string('item_document_id', 64).notNullable();
      t.integer('openings').notNullable().defaultTo(0);
    });
    await knex.raw(`create unique index item_counts_mail_unique on ${TABLE} (day, source, mailing, item_kind, item_document_id) where mailing is not null`);
    await knex.raw(`create unique index item_counts_page_unique on ${TABLE} (day, source, item_kind, item_document_id) where mailing is null`);
    await knex.raw(`create index item_counts_mailing on ${TABLE} (mailing)`);
  },
  async down(knex) {
    await knex.schema.dropTableIfExists(TABLE);
  },
};
