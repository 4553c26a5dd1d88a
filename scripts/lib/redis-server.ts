import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import IORedis from 'ioredis';

/**
 * Removes every key under a prefix (queues, schedulers, rate limits): what a test file or a bench
 * run leaves behind under its own REDIS_PREFIX. Scans, so other users of the server are untouched.
 */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

/** Whether a Redis server answers PING at the URL (within a second). */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = new IORedis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Starts a private redis-server from the PATH for local work, data under the project's temp folder.
 * `persist` (development) keeps an append-only file there, so that sign-ups accepted before a restart
 * are still queued after it, as in production; the tests' own server keeps nothing. Returns its URL
 * and the process (stop it on exit), or explains how to install one.
 */
export async function startPrivateRedis(appRoot: string, port = 6390, options: { persist?: boolean } = {}): Promise<{ url: string; child: ChildProcess }> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error) {
    throw new Error(
      'Redis is needed and none answers at REDIS_URL, and there is no redis-server to start. Install one ' +
        '(Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a running server.',
    );
  }
  const dir = path.join(appRoot, '.tmp', 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      options.persist ? 'yes' : 'no',
      '--maxmemory-policy',
      'noeviction',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (await redisAnswers(url)) return { url, child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`The private redis-server did not answer on port ${port}.`);
}
