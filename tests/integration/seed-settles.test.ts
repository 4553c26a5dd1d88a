import { describe, expect, it } from 'vitest';
import { seedDemoContent } from '../../database/seed/seed';
import { useCms } from '../support/harness';

/**
 * `npm run seed` on PostgreSQL crashed a minute after "seed: created ...": Strapi's entry events
 * re-read each written entry after commit, the script destroyed Strapi first, and those reads
 * waited out the pool's acquire timeout. The seed now returns only when that work is done.
 */
const app = useCms({ name: 'seed-settles' });

interface Pool {
  numUsed(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
}

describe('the seed', () => {
  it('returns only when nothing it caused is still using the database', async () => {
    const pool = (app.strapi.db.connection as unknown as { client: { pool: Pool } }).client.pool;
    const report = await seedDemoContent(app.strapi);
    expect(report.created.articles).toBeGreaterThan(0);
    expect({ used: pool.numUsed(), waiting: pool.numPendingAcquires(), creating: pool.numPendingCreates() }).toEqual({ used: 0, waiting: 0, creating: 0 });
  });
});
