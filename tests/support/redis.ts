import { randomBytes } from 'node:crypto';
import { deleteRedisPrefix as deleteKeysUnder } from '../../scripts/lib/redis-server';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A Redis key prefix of this test file's own, so files never see each other's queues or limits. */
export function testRedisPrefix(name: string): string {
  return `np-test-${name}-${randomBytes(4).toString('hex')}`;
}

/** Removes every key under the prefix (queues, schedulers, rate limits) at the end of a file. */
export function deleteRedisPrefix(prefix: string): Promise<void> {
  return deleteKeysUnder(REDIS_URL, prefix);
}
