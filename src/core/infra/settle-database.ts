import type { Core } from '@strapi/strapi';

interface PoolStats {
  numUsed(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
}

/**
 * Waits until Strapi's own after-commit work has reached the database. The document service emits
 * its entry events (`entry.create`, ...) after the transaction commits and does not wait for them:
 * each re-reads the entry with a deep populate. A process that destroys Strapi right after a batch
 * of writes (the seed, the bench) would close the pool under those reads, which then wait out
 * knex's acquire timeout and crash the process a minute later (seen on PostgreSQL). Resolves once
 * the pool has had nothing in use or waiting for a few consecutive checks, or after `maxMs`.
 */
export async function settleDatabase(strapi: Core.Strapi, options: { quietChecks?: number; everyMs?: number; maxMs?: number } = {}): Promise<void> {
  const { quietChecks = 3, everyMs = 20, maxMs = 10_000 } = options;
  const pool = (strapi.db.connection as unknown as { client: { pool?: PoolStats } }).client.pool;
  if (!pool) return;
  const deadline = Date.now() + maxMs;
  let quiet = 0;
  while (quiet < quietChecks && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    quiet = pool.numUsed() + pool.numPendingAcquires() + pool.numPendingCreates() === 0 ? quiet + 1 : 0;
  }
}
