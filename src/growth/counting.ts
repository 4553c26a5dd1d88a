/**
 * The counting rules of a growth snapshot, free of Strapi, Knex and Redis: which network day a
 * moment falls on, where a day begins and ends, which subscriber moments count as that day's
 * sign-ups, confirmations and suppressions, and how active readers are tallied per theme. The store
 * (store.ts) feeds them rows; nothing here sees an address or an id.
 */
import { storedThemes } from '../core/domain/subscriber-themes';
import { networkDay, wallClockInstant } from '../core/domain/time-zone';

export { networkDay };

/** A network day, `YYYY-MM-DD` in NEWSLETTER_TZ. */
export type Day = string;

export interface GrowthCounts {
  activeTotal: number;
  activeNl: number;
  activeEn: number;
  /** Theme slug -> active readers who get that theme's items (those who chose it, and those who chose none). */
  activeByTheme: Record<string, number>;
  signedUp: number;
  confirmed: number;
  unsubscribed: number;
  bounced: number;
  complained: number;
}

export interface GrowthSnapshot extends GrowthCounts {
  day: Day;
}

/** The moments of one subscriber the day's counts look at (the store selects only these columns). */
export interface SubscriberMoments {
  state: string;
  createdAt: unknown;
  confirmedAt: unknown;
  unsubscribedAt: unknown;
  suppressedAt: unknown;
}

export type DayEvents = Pick<GrowthCounts, 'signedUp' | 'confirmed' | 'unsubscribed' | 'bounced' | 'complained'>;

export const MAX_DAYS = 366;
export const DEFAULT_DAYS = 90;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function addDays(day: Day, n: number): Day {
  const [, y, m, d] = DAY_PATTERN.exec(day) ?? [];
  if (!y) throw new Error(`Not a day: ${day}`);
  return new Date(Date.UTC(Number(y), Number(m) - 1, Number(d) + n)).toISOString().slice(0, 10);
}

/** The first moment of a network day (midnight there; wallClockInstant minds a DST change that day). */
function startOf(day: Day, timeZone: string): Date {
  return new Date(wallClockInstant(timeZone, Date.parse(`${day}T00:00:00Z`)));
}

/** A network day as a half-open window [start, end) of real time; 23 or 25 hours on DST days. */
export function dayWindow(day: Day, timeZone: string): { start: Date; end: Date } {
  return { start: startOf(day, timeZone), end: startOf(addDays(day, 1), timeZone) };
}

/**
 * The day the daily job snapshots: the network day that ended before it ran. It runs just after
 * midnight, so that day's sign-ups and suppressions are complete; a run delayed by hours (a worker
 * that was down) still snapshots the same day.
 */
export function snapshotDayFor(runAt: Date, timeZone: string): Day {
  return addDays(networkDay(runAt, timeZone), -1);
}

/** A stored moment as ms: SQLite hands back numbers (ms) or strings, PostgreSQL Dates. */
export function timeOf(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const number = Number(value);
    if (Number.isFinite(number)) return number;
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

/**
 * The day's changes, from the moments of the subscribers who have one in the window:
 * a sign-up is a row made that day (whatever became of it since); confirmed is `confirmedAt`;
 * unsubscribed is `unsubscribedAt` (the link, or an unsubscribe at the mailbox provider, which sets
 * it too); bounced and complained are `suppressedAt` of a subscriber in that state (the one field
 * is shared by every suppression, the state tells which).
 */
export function countDayEvents(rows: Iterable<SubscriberMoments>, window: { start: Date; end: Date }): DayEvents {
  const from = window.start.getTime();
  const to = window.end.getTime();
  const within = (value: unknown) => {
    const at = timeOf(value);
    return at !== null && at >= from && at < to;
  };
  const events: DayEvents = { signedUp: 0, confirmed: 0, unsubscribed: 0, bounced: 0, complained: 0 };
  for (const row of rows) {
    if (within(row.createdAt)) events.signedUp++;
    if (within(row.confirmedAt)) events.confirmed++;
    if (within(row.unsubscribedAt)) events.unsubscribed++;
    if (row.state === 'bounced' && within(row.suppressedAt)) events.bounced++;
    if (row.state === 'complained' && within(row.suppressedAt)) events.complained++;
  }
  return events;
}

/**
 * Active readers per theme, as a campaign narrowed to that theme would reach them: those who chose
 * it, plus those who chose none (they follow everything). Only the network's current themes are
 * keys; a slug of a theme that no longer exists is not counted.
 */
export function tallyThemes(activeThemeLists: Iterable<unknown>, themeSlugs: readonly string[]): Record<string, number> {
  const tally: Record<string, number> = Object.fromEntries([...themeSlugs].sort().map((slug) => [slug, 0]));
  for (const value of activeThemeLists) {
    const chosen = storedThemes(value);
    for (const slug of chosen.length === 0 ? themeSlugs : chosen) if (slug in tally) tally[slug]++;
  }
  return tally;
}

/** `?days=`: absent means DEFAULT_DAYS; otherwise a whole number from 1 to MAX_DAYS, or a sentence saying what is wrong. */
export function parseDays(raw: unknown): { days: number } | { error: string } {
  if (raw === undefined || raw === '') return { days: DEFAULT_DAYS };
  const text = typeof raw === 'string' ? raw.trim() : '';
  const days = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (Number.isInteger(days) && days >= 1 && days <= MAX_DAYS) return { days };
  return {
    // English first, then Dutch: the admin panel shows the half of its language (desk lib.ts, inAdminLanguage).
    error: `The number of days must be a whole number from 1 to ${MAX_DAYS}. / Het aantal dagen moet een heel getal van 1 tot en met ${MAX_DAYS} zijn.`,
  };
}
