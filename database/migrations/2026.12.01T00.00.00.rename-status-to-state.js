'use strict';

/**
 * Editions and subscribers had an attribute named `status`, which Strapi 5 reserves for a
 * document's draft/published version: the admin panel could not show or save it. The attribute is
 * now `state`. Strapi runs this before it syncs the schema, so the values move with the column
 * (a sync alone would add an empty `state` column and drop `status` with everyone's state in it).
 * On a fresh database the tables do not exist yet and there is nothing to do.
 */
async function rename(knex, table, from, to) {
  if (!(await knex.schema.hasTable(table))) return;
  if (!(await knex.schema.hasColumn(table, from)) || (await knex.schema.hasColumn(table, to))) return;
  await knex.schema.alterTable(table, (t) => t.renameColumn(from, to));
}

module.exports = {
  async up(knex) {
    await rename(knex, 'editions', 'status', 'state');
    await rename(knex, 'subscribers', 'status', 'state');
  },
  async down() {
    throw new Error('This migration cannot be undone: the old attribute name cannot be saved in the admin panel.');
  },
};
