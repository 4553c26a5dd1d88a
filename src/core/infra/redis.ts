import IORedis, { type Redis } from 'ioredis';

/**
 * Redis connections. BullMQ workers block on Redis and must never give up a command, hence
 * `maxRetriesPerRequest: null` for them; the CMS's own connection (limits, enqueueing) gives up on
 * a command after a few reconnection attempts, so that a request does not hang when Redis is down.
 */
export function createRedis(url: string, role: 'worker' | 'client'): Redis {
  return new IORedis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 2,
    connectTimeout: 5_000,
    connectionName: `netwerkpost-${role}`,
  });
}
