import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';

const APP_ROOT = path.resolve(__dirname, '..', '..');

export interface TestDatabase {
  client: 'sqlite' | 'postgres';
  /** Environment variables that point Strapi (and workers) at this database. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: a new SQLite file under .tmp/tests, or, when the run
 * uses PostgreSQL (DATABASE_CLIENT=postgres), a new schema in the database named by DATABASE_URL.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if ((process.env.DATABASE_CLIENT ?? 'sqlite') !== 'postgres') {
    const dir = path.join(APP_ROOT, '.tmp', 'tests');
    fs.mkdirSync(dir, { recursive: true });
    const filename = path.join(dir, `test_${suffix}.db`);
    return {
      client: 'sqlite',
      env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: filename },
      async drop() {
        for (const file of [filename, `${filename}-wal`, `${filename}-shm`, `${filename}-journal`]) fs.rmSync(file, { force: true });
      },
    };
  }
  // PostgreSQL: a fresh schema in the run's database (DATABASE_URL), so dropping that database
  // after the run removes everything, even what a crashed test left behind.
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const schema = `test_${suffix}`;
  await withClient(url, (client) => client.query(`CREATE SCHEMA "${schema}"`));
  return {
    client: 'postgres',
    env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: url, DATABASE_SCHEMA: schema },
    async drop() {
      await withClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    },
  };
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
