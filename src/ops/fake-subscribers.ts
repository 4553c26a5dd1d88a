import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { analyzeSubscribers, insertSubscribers, type NewSubscriber } from '../gdpr/bulk-subscribers';

/**
 * Synthetic active subscribers for demos and benchmarks (example.org / example.net addresses),
 * written in bulk straight into the subscribers table (the import's bulk insert). Never in production.
 */
export interface FakeSubscriberOptions {
  count: number;
  localeMix: boolean;
  themesRandom: boolean;
  themes: string[];
  onProgress?: (done: number) => void;
}

export async function createFakeSubscribers(db: Knex, options: FakeSubscriberOptions): Promise<number> {
  if (process.env.NODE_ENV === 'production') throw new Error('fake-subscribers refuses to run with NODE_ENV=production.');
  const run = randomBytes(3).toString('hex');
  const now = Date.now();
  const chunk = 500;
  let state = Number.parseInt(run, 16) || 1;
  // xorshift32 in 32-bit integer arithmetic: cheap, and it does not fall into a short cycle.
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  for (let start = 0; start < options.count; start += chunk) {
    const rows: NewSubscriber[] = [];
    for (let i = start; i < Math.min(options.count, start + chunk); i += 1) {
      const themes = options.themesRandom ? options.themes.filter(() => next() < 0.35) : [];
      rows.push({
        documentId: `fake${run}${i.toString(36).padStart(8, '0')}`,
        email: `fake-${run}-${i}@${i % 2 === 0 ? 'example.org' : 'example.net'}`,
        name: null,
        preferredLocale: options.localeMix && next() < 0.3 ? 'en' : 'nl',
        themes,
        state: 'active',
        confirmedAt: new Date(now),
      });
    }
    await insertSubscribers(db, rows, new Date(now));
    options.onProgress?.(Math.min(options.count, start + chunk));
  }
  // A send right after the load test's set-up plans over these rows: fresh statistics first.
  await analyzeSubscribers(db);
  return options.count;
}
