import IORedis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queue } from 'bullmq';
import { ensureBatchJobs, enqueueBatches, jobIds, sendingQueue } from '../../src/mailings/engine/queue';
import { REDIS_URL, deleteRedisPrefix, testRedisPrefix } from '../support/redis';

/**
 * The tick re-queues open batches by deterministic job id. A job hash that outlived its place in
 * the wait list (part of Redis's data lost under a running worker) made the re-add a no-op, and
 * the batch stayed pending forever (the "flush Redis mid-send" fault test hung now and then).
 */
const PREFIX = testRedisPrefix('sending-queue');
const mailing = { kind: 'edition' as const, id: 7 };
let redis: IORedis;
let queue: Queue;

describe('re-queueing open batches', () => {
  beforeAll(() => {
    redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = sendingQueue(redis, PREFIX);
  });

  afterAll(async () => {
    await queue.close();
    await deleteRedisPrefix(PREFIX);
    await redis.quit();
  });

  it('leaves waiting jobs alone', async () => {
    await enqueueBatches(queue, [{ mailing, batchNo: 1 }]);
    expect(await ensureBatchJobs(queue, [{ mailing, batchNo: 1 }])).toBe(0);
    expect(await queue.getJobState(jobIds.batch(mailing, 1))).toBe('waiting');
  });

  it('adds a job that is missing', async () => {
    expect(await ensureBatchJobs(queue, [{ mailing, batchNo: 2 }])).toBe(1);
    expect(await queue.getJobState(jobIds.batch(mailing, 2))).toBe('waiting');
  });

  it('puts an orphaned job (hash kept, wait list lost) back in the queue', async () => {
    await enqueueBatches(queue, [{ mailing, batchNo: 3 }]);
    // What a partial loss leaves: the job's hash without its place in the wait list.
    await redis.lrem(`${PREFIX}:newsletter:wait`, 0, jobIds.batch(mailing, 3));
    expect(await queue.getJobState(jobIds.batch(mailing, 3))).toBe('unknown');
    // A plain re-add is a no-op for an id Redis still holds: the batch would never be sent.
    await enqueueBatches(queue, [{ mailing, batchNo: 3 }]);
    expect(await queue.getJobState(jobIds.batch(mailing, 3))).toBe('unknown');

    expect(await ensureBatchJobs(queue, [{ mailing, batchNo: 3 }])).toBe(1);
    expect(await queue.getJobState(jobIds.batch(mailing, 3))).toBe('waiting');
  });
});
