/**
 * Retention rules for subscriber data (pure: no Strapi, no clock of its own).
 *
 * - `pending`: the address never confirmed; we drop it after `pendingMaxAgeDays` counted from when it
 *   was created (a confirmation link is long expired by then).
 * - `unsubscribed`: the person withdrew consent; we drop the record after
 *   `unsubscribedRetentionDays` counted from `unsubscribedAt` (or, when that date is missing, from the
 *   last change to the record).
 * - `bounced` and `complained` are kept: they are suppressions we must keep honouring.
 */

export const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_PENDING_MAX_AGE_DAYS = 30;
export const DEFAULT_UNSUBSCRIBED_RETENTION_DAYS = 30;

export const PENDING_MAX_AGE_ENV = 'SUBSCRIBER_PENDING_MAX_AGE_DAYS';
export const UNSUBSCRIBED_RETENTION_ENV = 'SUBSCRIBER_UNSUBSCRIBED_RETENTION_DAYS';

export interface RetentionSettings {
  pendingMaxAgeDays: number;
  unsubscribedRetentionDays: number;
}

export class RetentionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetentionConfigError';
  }
}

/** Whether `days` is a usable retention period: a whole, non-negative, finite number of days. */
export function isValidRetentionDays(days: unknown): days is number {
  return typeof days === 'number' && Number.isInteger(days) && days >= 0 && days <= 36_500;
}

/**
 * The moment before which a record counts as expired: `now` minus `days` whole days (24 h each, so
 * daylight-saving changes do not shift it). A record exactly at the cut-off is not expired yet.
 */
export function cutoffDate(now: Date, days: number): Date {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new RetentionConfigError('now must be a valid date');
  if (!isValidRetentionDays(days)) throw new RetentionConfigError(`retention must be a whole number of days between 0 and 36500, got ${String(days)}`);
  return new Date(now.getTime() - days * DAY_MS);
}

/** Whether a moment lies strictly before the cut-off (unknown moments never expire). */
export function isBeforeCutoff(moment: Date | string | number | null | undefined, cutoff: Date): boolean {
  if (moment === null || moment === undefined || moment === '') return false;
  const time = moment instanceof Date ? moment.getTime() : new Date(moment).getTime();
  return !Number.isNaN(time) && time < cutoff.getTime();
}

function readDays(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new RetentionConfigError(`${name} must be a whole number of days (0 or more), got "${raw}"`);
  const days = Number(raw);
  if (!isValidRetentionDays(days)) throw new RetentionConfigError(`${name} must be between 0 and 36500 days, got "${raw}"`);
  return days;
}

/** Retention periods from the environment, with the defaults (30 days each) for unset variables. */
export function retentionSettingsFromEnv(env: Record<string, string | undefined>): RetentionSettings {
  return {
    pendingMaxAgeDays: readDays(env, PENDING_MAX_AGE_ENV, DEFAULT_PENDING_MAX_AGE_DAYS),
    unsubscribedRetentionDays: readDays(env, UNSUBSCRIBED_RETENTION_ENV, DEFAULT_UNSUBSCRIBED_RETENTION_DAYS),
  };
}
