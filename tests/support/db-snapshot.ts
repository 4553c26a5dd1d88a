import type { Knex } from 'knex';

/**
 * Every row of every table of a database as it stood at one moment (right after the shared CMS
 * booted: schema made, locales, permissions, roles and layouts written), and a way back to it. Test
 * files that share one CMS each start from that moment, as if the CMS had just booted on a fresh
 * database: same rows, same next ids (SQLite's sqlite_sequence, PostgreSQL's sequences).
 *
 * SQLite hands back the stored values untouched, so rows are kept in memory and written back.
 * PostgreSQL turns json and arrays into JavaScript values that would not go back in as they came out,
 * so there the rows are copied inside the server, into a schema of their own.
 */
export interface DatabaseSnapshot {
  /** Puts the rows back, over `knex` (the current CMS's connection: a restart makes a new one). */
  restore(knex: Knex): Promise<void>;
  drop(knex: Knex): Promise<void>;
}

export async function snapshotDatabase(knex: Knex, client: 'sqlite' | 'postgres'): Promise<DatabaseSnapshot> {
  return client === 'sqlite' ? snapshotSqlite(knex) : snapshotPostgres(knex);
}

async function snapshotSqlite(knex: Knex): Promise<DatabaseSnapshot> {
  const names = ((await knex.raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)) as Array<{ name: string }>).map(
    (row) => row.name,
  );
  const tables = new Map<string, Array<Record<string, unknown>>>();
  for (const name of names) tables.set(name, await knex(name).select('*'));
  const hasSequences = ((await knex.raw(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_sequence'`)) as Array<{ n: number }>)[0].n > 0;
  const sequences: Array<{ name: string; seq: number }> = hasSequences ? await knex('sqlite_sequence').select('name', 'seq') : [];
  return {
    async restore(knex) {
      await knex.transaction(async (trx) => {
        // Rows come back in any order: foreign keys are checked once, at the commit.
        await trx.raw('PRAGMA defer_foreign_keys = ON');
        const present = ((await trx.raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)) as Array<{ name: string }>).map(
          (row) => row.name,
        );
        for (const name of present) {
          await trx(name).delete();
          const rows = tables.get(name) ?? [];
          // SQLite takes at most 32766 bound values per statement.
          const columns = rows.length > 0 ? Object.keys(rows[0]).length : 1;
          if (rows.length > 0) await trx.batchInsert(name, rows as never, Math.max(1, Math.floor(30_000 / columns))).transacting(trx);
        }
        if (hasSequences) {
          await trx('sqlite_sequence').delete();
          if (sequences.length > 0) await trx('sqlite_sequence').insert(sequences);
        }
      });
    },
    async drop() {
      tables.clear();
    },
  };
}

async function snapshotPostgres(knex: Knex): Promise<DatabaseSnapshot> {
  const schema = ((await knex.raw('SELECT current_schema() AS name')) as { rows: Array<{ name: string }> }).rows[0].name;
  const copy = `${schema}_snapshot`;
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const names = ((await knex.raw('SELECT tablename FROM pg_tables WHERE schemaname = ?', [schema])) as { rows: Array<{ tablename: string }> }).rows.map(
    (row) => row.tablename,
  );
  const sequences = (
    (await knex.raw('SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = ?', [schema])) as {
      rows: Array<{ sequencename: string; last_value: string | null }>;
    }
  ).rows;
  await knex.raw(`DROP SCHEMA IF EXISTS ${quote(copy)} CASCADE`);
  await knex.raw(`CREATE SCHEMA ${quote(copy)}`);
  for (const name of names) await knex.raw(`CREATE TABLE ${quote(copy)}.${quote(name)} AS TABLE ${quote(schema)}.${quote(name)}`);
  return {
    async restore(knex) {
      await knex.transaction(async (trx) => {
        const present = ((await trx.raw('SELECT tablename FROM pg_tables WHERE schemaname = ?', [schema])) as { rows: Array<{ tablename: string }> }).rows.map(
          (row) => row.tablename,
        );
        if (present.length > 0) await trx.raw(`TRUNCATE ${present.map((name) => `${quote(schema)}.${quote(name)}`).join(', ')} RESTART IDENTITY CASCADE`);
        // Rows come back in any order: foreign key triggers are off for this transaction only.
        await trx.raw('SET LOCAL session_replication_role = replica');
        for (const name of names) await trx.raw(`INSERT INTO ${quote(schema)}.${quote(name)} SELECT * FROM ${quote(copy)}.${quote(name)}`);
        for (const { sequencename, last_value } of sequences) {
          const sequence = `${quote(schema)}.${quote(sequencename)}`;
          if (last_value === null) await trx.raw('SELECT setval(?::regclass, 1, false)', [sequence]);
          else await trx.raw('SELECT setval(?::regclass, ?, true)', [sequence, last_value]);
        }
      });
    },
    async drop(knex) {
      await knex.raw(`DROP SCHEMA IF EXISTS ${quote(copy)} CASCADE`);
    },
  };
}
