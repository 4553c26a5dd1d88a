import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { APP_ROOT } from '../../src/settings/app-root';

export interface ScratchDatabase {
  client: 'sqlite' | 'postgres';
  /** Environment variables that point Strapi (and workers) at this database. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for a test file or a benchmark run: a new SQLite file under
 * .tmp/<purpose>/, or a new schema in the PostgreSQL database at `postgresUrl` (so that dropping that
 * database removes everything, even what a crashed run left behind).
 */
export async function createScratchDatabase(options: { client: 'sqlite' | 'postgres'; purpose: string; postgresUrl: string }): Promise<ScratchDatabase> {
  const name = `${options.purpose}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (options.client === 'sqlite') {
    const dir = path.join(APP_ROOT, '.tmp', options.purpose);
    fs.mkdirSync(dir, { recursive: true });
    const filename = path.join(dir, `${name}.db`);
    return {
      client: 'sqlite',
      env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: filename },
      async drop() {
        for (const file of [filename, `${filename}-wal`, `${filename}-shm`, `${filename}-journal`]) fs.rmSync(file, { force: true });
      },
    };
  }
  const withClient = async (sql: string) => {
    const client = new Client({ connectionString: options.postgresUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await withClient(`CREATE SCHEMA "${name}"`);
  return {
    client: 'postgres',
    env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: options.postgresUrl, DATABASE_SCHEMA: name },
    drop: () => withClient(`DROP SCHEMA IF EXISTS "${name}" CASCADE`),
  };
}
