import { readMailSettings } from './mail';

/** Schedule and sending limits of the monthly edition, from the environment. */
export interface MailingConfig {
  /** When editions are assembled: the first Tuesday of the month, 09:00 (cron-parser `#` syntax). */
  cron: string;
  timeZone: string;
  /** Hours between assembly and sending, for editors to review. */
  reviewHours: number;
  /** Recipients per SendGrid request (at most 1000). */
  batchSize: number;
  /** Batches sent at once by one worker. */
  concurrency: number;
  /** At most this many SendGrid requests per second per worker; 0 = no limit. */
  requestsPerSecond: number;
  /** How often workers compare the queue with the database (due editions, unfinished batches). */
  tickMs: number;
  leaseMs: number;
  siteUrl: string;
}

type Env = Record<string, string | undefined>;

export function readMailingConfig(env: Env = process.env): MailingConfig {
  const number = (raw: string | undefined, fallback: number, min: number, max: number) => {
    const value = Number(raw);
    return raw !== undefined && raw !== '' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
  };
  return {
    cron: env.NEWSLETTER_CRON || '0 9 * * 2#1',
    timeZone: env.NEWSLETTER_TZ || 'Europe/Amsterdam',
    reviewHours: number(env.NEWSLETTER_REVIEW_HOURS, 24, 0, 24 * 30),
    batchSize: Math.floor(number(env.NEWSLETTER_BATCH_SIZE, 1000, 1, 1000)),
    concurrency: Math.floor(number(env.NEWSLETTER_CONCURRENCY, 4, 1, 64)),
    requestsPerSecond: number(env.NEWSLETTER_RATE_PER_SECOND, 0, 0, 10_000),
    tickMs: Math.floor(number(env.NEWSLETTER_TICK_MS, 30_000, 200, 3_600_000)),
    leaseMs: Math.floor(number(env.NEWSLETTER_LEASE_MS, 5 * 60_000, 1000, 3_600_000)),
    siteUrl: (env.SITE_URL || readMailSettings(env).organisation.websiteUrl).replace(/\/+$/, ''),
  };
}
