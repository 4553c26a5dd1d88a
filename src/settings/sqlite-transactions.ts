import { createRequire } from 'node:module';

/**
 * SQLite allows one writer at a time; the CMS, the worker and the CLI each hold a connection to the
 * same file. knex opens every transaction with a plain `BEGIN` (deferred): it reads first and asks
 * for the write lock only at its first write. If another process committed in between, SQLite cannot
 * let it write on its old snapshot and answers `database is locked` at once, without waiting at
 * all, however long the busy timeout. `BEGIN IMMEDIATE` takes the write lock at the start, where
 * waiting (the busy timeout) works, and each process has a single connection, so transactions never
 * wait on each other within a process. Done once, on the knex that Strapi's database layer uses.
 */
let done = false;

export function beginSqliteTransactionsImmediately(): void {
  if (done) return;
  const fromStrapi = createRequire(require.resolve('@strapi/database'));
  const SqliteTransaction = fromStrapi('knex/lib/dialects/sqlite3/execution/sqlite-transaction') as {
    prototype: { begin(conn: unknown): unknown; query(conn: unknown, sql: string): unknown };
  };
  SqliteTransaction.prototype.begin = function begin(this: { query(conn: unknown, sql: string): unknown }, conn: unknown) {
    return this.query(conn, 'BEGIN IMMEDIATE;');
  };
  done = true;
}
