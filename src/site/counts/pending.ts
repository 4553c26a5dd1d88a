import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import type { CountedKind, CountSource, Opening } from '../../core/domain/item-counts';
import { countOpenings } from './store';

/**
 * Openings on their way to the table, in Redis: the CMS adds them there (one HINCRBY per mailing x
 * item x day and source, a pipeline a second), the worker takes them out and writes them
 * (storePendingOpenings, every few seconds). So the CMS never writes the database for a click: on
 * SQLite its driver runs every write on the event loop, waiting there for the write lock while the
 * worker holds it, and every answer of the CMS would wait with it. The same path as sign-ups, which
 * the CMS accepts into Redis and the worker stores.
 *
 * Counts only: a field names the day, the source, the mailing and the item, never a reader.
 */
export const pendingCountsKey = (prefix: string) => `${prefix}:item-counts:pending`;

/** How often the worker writes what is pending (its maintenance queue's `item-counts` job). */
export const STORE_EVERY_MS = 5000;

type Pending = Opening & { times: number };

const fieldOf = (opening: Opening) => [opening.day, opening.source, opening.mailing ?? '', opening.item.kind, opening.item.documentId].join('|');

function parse(field: string, value: string): Pending | null {
  const [day, source, mailing, kind, documentId] = field.split('|');
  const times = Number(value);
  if (!documentId || !Number.isSafeInteger(times) || times <= 0) return null;
  return { day, source: source as CountSource, mailing: mailing || null, item: { kind: kind as CountedKind, documentId }, times };
}

export async function addPendingOpenings(redis: Redis, prefix: string, openings: readonly Pending[]): Promise<void> {
  if (openings.length === 0) return;
  const pipeline = redis.pipeline();
  for (const opening of openings) pipeline.hincrby(pendingCountsKey(prefix), fieldOf(opening), opening.times);
  const failed = (await pipeline.exec())?.find(([error]) => error);
  if (failed) throw failed[0];
}

/** Takes everything pending and empties it, in one step: two workers never take the same opening. */
const TAKE = "local pending = redis.call('HGETALL', KEYS[1]); redis.call('DEL', KEYS[1]); return pending";

export async function takePendingOpenings(redis: Redis, prefix: string): Promise<Pending[]> {
  const flat = (await redis.eval(TAKE, 1, pendingCountsKey(prefix))) as string[];
  const openings: Pending[] = [];
  for (let index = 0; index + 1 < flat.length; index += 2) {
    const opening = parse(flat[index], flat[index + 1]);
    if (opening) openings.push(opening);
  }
  return openings;
}

/**
 * The worker's part: what is pending into `item_counts`. A write the database refuses (away) puts
 * the openings back, to be written next time; only a worker dying between taking and writing loses
 * them (at most a few seconds of openings).
 */
export async function storePendingOpenings(redis: Redis, prefix: string, db: Knex): Promise<number> {
  const openings = await takePendingOpenings(redis, prefix);
  if (openings.length === 0) return 0;
  try {
    await countOpenings(db, openings);
  } catch (error) {
    await addPendingOpenings(redis, prefix, openings);
    throw error;
  }
  return openings.reduce((sum, opening) => sum + opening.times, 0);
}
