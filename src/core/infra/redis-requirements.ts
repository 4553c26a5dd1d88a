import IORedis, { type Redis } from 'ioredis';

/**
 * What netwerkpost needs of its Redis. Sign-ups, SendGrid's events and sends are answered 2xx once
 * they are queue jobs in Redis, before any database holds them, so Redis must not throw keys away:
 * - `maxmemory-policy noeviction` (BullMQ's own requirement): under memory pressure any other policy
 *   silently deletes queued jobs or their locks, and an accepted sign-up is gone;
 * - persistence (AOF or RDB snapshots): a Redis restarted without it comes back empty.
 * Production refuses to start without the first and warns loudly without the second; development
 * and tests only warn.
 */
export interface RedisFacts {
  /** `maxmemory_policy` from INFO memory (`noeviction`, `allkeys-lru`, ...). */
  maxmemoryPolicy: string | null;
  /** AOF on (`aof_enabled:1` in INFO persistence). */
  aof: boolean;
  /** RDB snapshot rules (CONFIG GET save): '' when off, null when CONFIG is not allowed (managed Redis). */
  snapshotRules: string | null;
}

export interface RedisVerdict {
  /** Reasons not to start (production only). */
  errors: string[];
  warnings: string[];
}

export function judgeRedis(facts: RedisFacts, production: boolean): RedisVerdict {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (facts.maxmemoryPolicy !== 'noeviction') {
    const message =
      `Redis maxmemory-policy is "${facts.maxmemoryPolicy ?? 'unknown'}"; it must be noeviction, or Redis may delete queued sign-ups, events and send jobs under memory pressure ` +
      `(set "maxmemory-policy noeviction" in redis.conf, or run: redis-cli CONFIG SET maxmemory-policy noeviction).`;
    (production ? errors : warnings).push(message);
  }
  const snapshots = facts.snapshotRules !== null && facts.snapshotRules.trim() !== '';
  if (!facts.aof && !snapshots) {
    warnings.push(
      facts.snapshotRules === null
        ? 'Redis persistence could not be read (CONFIG is not allowed) and AOF is off: make sure the server keeps its data on disk (appendonly yes), or accepted sign-ups and events are lost when Redis restarts.'
        : 'Redis keeps nothing on disk (appendonly no, no save rules): accepted sign-ups and events are lost when Redis restarts. In production set "appendonly yes" (README, Production).',
    );
  }
  return { errors, warnings };
}

/** Reads the facts from a running server: INFO always works; CONFIG may be refused by managed Redis. */
export async function readRedisFacts(redis: Redis): Promise<RedisFacts> {
  const info = await redis.info();
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim() ?? null;
  let snapshotRules: string | null = null;
  try {
    const answer = (await redis.config('GET', 'save')) as unknown as string[];
    snapshotRules = Array.isArray(answer) && answer.length >= 2 ? String(answer[1]) : null;
  } catch {
    snapshotRules = null;
  }
  return { maxmemoryPolicy: field('maxmemory_policy'), aof: field('aof_enabled') === '1', snapshotRules };
}

export class RedisRequirementError extends Error {
  constructor(readonly problems: string[]) {
    super(`Refusing to start: ${problems.join(' ')}`);
    this.name = 'RedisRequirementError';
  }
}

/**
 * Checks Redis at a process's start. Production (NODE_ENV=production): throws RedisRequirementError
 * when the eviction policy is wrong; every other finding is a warning through `warn`.
 */
export async function checkRedisRequirements(redis: Redis, options: { production: boolean; warn(message: string): void }): Promise<RedisVerdict> {
  const verdict = judgeRedis(await readRedisFacts(redis), options.production);
  for (const warning of verdict.warnings) options.warn(warning);
  if (verdict.errors.length > 0) throw new RedisRequirementError(verdict.errors);
  return verdict;
}

/**
 * The CMS's check at start, on a connection of its own that gives up at once: a Redis that is down
 * right now is not a reason to keep the CMS from starting (it answers 503 to what needs Redis until
 * Redis is back), so that is a warning; a Redis that answers with the wrong settings is judged.
 */
export async function checkRedisAt(url: string, options: { production: boolean; warn(message: string): void }): Promise<RedisVerdict | null> {
  const redis = new IORedis(url, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectionName: 'netwerkpost-check',
  });
  redis.on('error', () => undefined);
  try {
    try {
      await redis.connect();
    } catch (error) {
      options.warn(`Redis did not answer at ${new URL(url).host} (${error instanceof Error ? error.message : String(error)}); its settings were not checked.`);
      return null;
    }
    return await checkRedisRequirements(redis, options);
  } finally {
    redis.disconnect();
  }
}
