'use strict';

/**
 * Growth snapshots (src/growth/): one row per day in the network's time zone with counts of
 * subscribers only, never a subscriber's id, address or anything else of a person. A table of our
 * own, which Strapi's schema sync leaves alone; GDPR erasure and the purge never touch it, so the
 * totals of past days stay as they were when the people in them are erased.
 */
const TABLE = 'growth_snapshots';

module.exports = {
  async up(knex) {
    if (await knex.schema.hasTable(TABLE)) return;
    await knex.schema.createTable(TABLE, (t) => {
      t.string('day', 10).primary(); // YYYY-MM-DD in NEWSLETTER_TZ
      t.integer('active_total').notNullable();
      t.integer('active_nl').notNullable();
      t.integer('active_en').notNullable();
      t.text('active_by_theme').notNullable(); // JSON object: theme slug -> active readers
      t.integer('signed_up').notNullable();
      t.integer('confirmed').notNullable();
      t.integer('unsubscribed').notNullable();
      t.integer('bounced').notNullable();
      t.integer('complained').notNullable();
      t.timestamp('computed_at').notNullable();
    });
  },
  async down(knex) {
    await knex.schema.dropTableIfExists(TABLE);
  },
};
