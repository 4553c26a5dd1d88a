import type { Core } from '@strapi/strapi';
import { databaseSettings } from '../src/settings/database';
import { beginSqliteTransactionsImmediately } from '../src/settings/sqlite-transactions';

/** Runs after Strapi's own connection set-up (foreign keys), on the better-sqlite3 connection. */
function sqlitePragmas(pragmas: string[]) {
  return (connection: { pragma(source: string): unknown }, done: (error: Error | null, connection: unknown) => void) => {
    try {
      for (const pragma of pragmas) connection.pragma(pragma);
      done(null, connection);
    } catch (error) {
      done(error as Error, connection);
    }
  };
}

const config = (_params: Core.Config.Shared.ConfigParams) => {
  const settings = databaseSettings(process.env);
  if (settings.client === 'sqlite') beginSqliteTransactionsImmediately();
  return {
    connection: {
      client: settings.client,
      connection: settings.connection,
      ...(settings.pool ? { pool: settings.pool } : {}),
      ...(settings.pragmas ? { pool: { afterCreate: sqlitePragmas(settings.pragmas) } } : {}),
      ...(settings.client === 'sqlite' ? { useNullAsDefault: true } : {}),
      acquireConnectionTimeout: 60000,
    },
  } as unknown as Core.Config.Database;
};

export default config;
