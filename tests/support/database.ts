import { createScratchDatabase, type ScratchDatabase } from '../../scripts/lib/scratch-database';

export type TestDatabase = ScratchDatabase;

/**
 * A fresh, empty database for one test file: a new SQLite file under .tmp/tests, or, when the run
 * uses PostgreSQL (DATABASE_CLIENT=postgres), a new schema in the database named by DATABASE_URL.
 */
export function createTestDatabase(): Promise<TestDatabase> {
  return createScratchDatabase({
    client: process.env.DATABASE_CLIENT === 'postgres' ? 'postgres' : 'sqlite',
    purpose: 'tests',
    postgresUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  });
}
