import path from 'node:path';
import { APP_ROOT } from './app-root';

export type DatabaseClient = 'sqlite' | 'postgres';

export interface DatabaseSettings {
  client: DatabaseClient;
  connection: Record<string, unknown>;
  pool?: { min: number; max: number };
  /** SQLite only: pragmas run on every new connection. */
  pragmas?: string[];
}

/**
 * SQLite's durability per commit, in write-ahead-log mode. `NORMAL` (the default): a commit survives
 * a crash of any process (the worker killed mid-send loses nothing), but the last commits before a
 * power cut or kernel crash may be undone; a batch's lease undone that way would send that batch
 * again. `FULL` rules that out with a disk flush per commit (three per batch; see bench/README.md
 * for the price). PostgreSQL flushes every commit.
 */
const SQLITE_SYNCHRONOUS = ['FULL', 'NORMAL'] as const;

type Env = Record<string, string | undefined>;

/**
 * Reads the database settings from the environment. SQLite (a file under the project) is the
 * embedded default; `DATABASE_CLIENT=postgres` takes `DATABASE_URL` or the host/port/name/user variables.
 */
export function databaseSettings(env: Env, appRoot: string = APP_ROOT): DatabaseSettings {
  const client = (env.DATABASE_CLIENT ?? 'sqlite').trim().toLowerCase();
  if (client === 'sqlite') {
    const synchronous = (env.DATABASE_SQLITE_SYNCHRONOUS || 'NORMAL').trim().toUpperCase();
    if (!(SQLITE_SYNCHRONOUS as readonly string[]).includes(synchronous))
      throw new Error(`DATABASE_SQLITE_SYNCHRONOUS must be FULL or NORMAL, not "${env.DATABASE_SQLITE_SYNCHRONOUS}".`);
    return {
      client: 'sqlite',
      connection: { filename: path.resolve(appRoot, env.DATABASE_FILENAME || '.tmp/data.db') },
      // Write-ahead logging: the CMS and the worker share the file, and readers no longer wait for a
      // writer; a commit is one append to the log instead of a rollback journal written and deleted.
      // A writer waits this long for another process's write lock before giving up with "database
      // is locked": generous, since planning a large mailing commits chunks of several seconds.
      pragmas: ['journal_mode = WAL', `synchronous = ${synchronous}`, `busy_timeout = ${busyTimeout(env.DATABASE_SQLITE_BUSY_TIMEOUT_MS)}`],
    };
  }
  if (client === 'postgres' || client === 'postgresql') {
    const pool = { min: int(env.DATABASE_POOL_MIN, 0), max: int(env.DATABASE_POOL_MAX, 10) };
    const ssl = env.DATABASE_SSL === 'true' ? { rejectUnauthorized: env.DATABASE_SSL_REJECT_UNAUTHORIZED !== 'false' } : false;
    if (env.DATABASE_URL) {
      return { client: 'postgres', connection: { connectionString: env.DATABASE_URL, ssl, schema: env.DATABASE_SCHEMA || 'public' }, pool };
    }
    return {
      client: 'postgres',
      connection: {
        host: env.DATABASE_HOST || '127.0.0.1',
        port: int(env.DATABASE_PORT, 5432),
        database: env.DATABASE_NAME || 'netwerkpost',
        user: env.DATABASE_USERNAME || 'postgres',
        password: env.DATABASE_PASSWORD || '',
        ssl,
        schema: env.DATABASE_SCHEMA || 'public',
      },
      pool,
    };
  }
  throw new Error(`DATABASE_CLIENT must be "sqlite" or "postgres", not "${env.DATABASE_CLIENT}".`);
}

/** DATABASE_SQLITE_BUSY_TIMEOUT_MS: milliseconds, 60 s by default (better-sqlite3's own default is 5 s). */
function busyTimeout(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 60_000;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`DATABASE_SQLITE_BUSY_TIMEOUT_MS must be a whole number of milliseconds, not "${value}".`);
  return parsed;
}

function int(value: string | undefined, fallback: number): number {
  const parsed = Number.parseInt(value ?? '', 10);
  return Number.isFinite(parsed) ? parsed : fallback;
}
