import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A Redis key prefix of this test file's own, so files never see each other's queues or limits. */
export function testRedisPrefix(name: string): string {
  return `np-test-${name}-${randomBytes(4).toString('hex')}`;
}

/** Removes every key under the prefix (queues, schedulers, rate limits) at the end of a file. */
export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
