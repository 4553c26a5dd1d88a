import type { Knex } from 'knex';
import {
  addDays,
  countDayEvents,
  dayWindow,
  networkDay,
  tallyThemes,
  type Day,
  type GrowthCounts,
  type GrowthSnapshot,
  type SubscriberMoments,
} from './counting';

/**
 * The growth snapshots' queries: counting the subscribers for a day (rules in counting.ts), and
 * writing and reading the `growth_snapshots` table (made by database/migrations). Reads Strapi's
 * subscriber and theme tables directly with Knex: counts over every subscriber are one SQL each,
 * not a load of entities.
 */
export const GROWTH_TABLE = 'growth_snapshots';

/** Active readers' theme lists are read in pages of this many rows, so a large list never sits in memory whole. */
const PAGE = 5000;

interface SnapshotRow {
  day: Day;
  active_total: number;
  active_nl: number;
  active_en: number;
  active_by_theme: string;
  signed_up: number;
  confirmed: number;
  unsubscribed: number;
  bounced: number;
  complained: number;
}

async function activeByLocale(db: Knex): Promise<Pick<GrowthCounts, 'activeTotal' | 'activeNl' | 'activeEn'>> {
  const rows = (await db('subscribers').where({ state: 'active' }).select('preferred_locale').count({ n: '*' }).groupBy('preferred_locale')) as Array<{
    preferred_locale: string | null;
    n: number | string;
  }>;
  const of = (locale: string) => Number(rows.find((row) => row.preferred_locale === locale)?.n ?? 0);
  return { activeTotal: rows.reduce((sum, row) => sum + Number(row.n), 0), activeNl: of('nl'), activeEn: of('en') };
}

async function activeByTheme(db: Knex): Promise<Record<string, number>> {
  const themes = (await db('themes').whereNotNull('published_at').distinct('slug')) as Array<{ slug: string | null }>;
  const slugs = themes.map((theme) => theme.slug).filter((slug): slug is string => Boolean(slug));
  const lists: unknown[] = [];
  let after = 0;
  for (;;) {
    const page = (await db('subscribers').where({ state: 'active' }).where('id', '>', after).orderBy('id').limit(PAGE).select('id', 'themes')) as Array<{
      id: number;
      themes: unknown;
    }>;
    for (const row of page) lists.push(row.themes);
    if (page.length < PAGE) break;
    after = page[page.length - 1].id;
  }
  return tallyThemes(lists, slugs);
}

/** The counts of one network day: its sign-ups and suppressions from their moments, the active readers as they are now. */
export async function computeGrowth(db: Knex, day: Day, timeZone: string): Promise<GrowthSnapshot> {
  const window = dayWindow(day, timeZone);
  const columns = ['created_at', 'confirmed_at', 'unsubscribed_at', 'suppressed_at'];
  // Only the rows with a moment in the day: a day's changes are few, the subscribers many.
  const moments = (await db('subscribers')
    .where((query) => {
      for (const column of columns) query.orWhere((inDay) => inDay.where(column, '>=', window.start).andWhere(column, '<', window.end));
    })
    .select('state', 'created_at', 'confirmed_at', 'unsubscribed_at', 'suppressed_at')) as Array<Record<string, unknown>>;
  const events = countDayEvents(
    moments.map((row): SubscriberMoments => ({
      state: String(row.state),
      createdAt: row.created_at,
      confirmedAt: row.confirmed_at,
      unsubscribedAt: row.unsubscribed_at,
      suppressedAt: row.suppressed_at,
    })),
    window,
  );
  return { day, ...(await activeByLocale(db)), activeByTheme: await activeByTheme(db), ...events };
}

/** Computes a day and stores it, replacing that day's row if there is one: running a day twice leaves one row, the later. */
export async function takeGrowthSnapshot(db: Knex, day: Day, timeZone: string, now = new Date()): Promise<GrowthSnapshot> {
  const snapshot = await computeGrowth(db, day, timeZone);
  const row: SnapshotRow & { computed_at: Date } = {
    day,
    active_total: snapshot.activeTotal,
    active_nl: snapshot.activeNl,
    active_en: snapshot.activeEn,
    active_by_theme: JSON.stringify(snapshot.activeByTheme),
    signed_up: snapshot.signedUp,
    confirmed: snapshot.confirmed,
    unsubscribed: snapshot.unsubscribed,
    bounced: snapshot.bounced,
    complained: snapshot.complained,
    computed_at: now,
  };
  await db(GROWTH_TABLE).insert(row).onConflict('day').merge();
  return snapshot;
}

function fromRow(row: SnapshotRow): GrowthSnapshot {
  let byTheme: Record<string, number> = {};
  try {
    byTheme = JSON.parse(row.active_by_theme) as Record<string, number>;
  } catch {
    // A row written by hand with broken JSON: its other counts still stand.
  }
  return {
    day: row.day,
    activeTotal: Number(row.active_total),
    activeNl: Number(row.active_nl),
    activeEn: Number(row.active_en),
    activeByTheme: byTheme,
    signedUp: Number(row.signed_up),
    confirmed: Number(row.confirmed),
    unsubscribed: Number(row.unsubscribed),
    bounced: Number(row.bounced),
    complained: Number(row.complained),
  };
}

/**
 * The last `days` network days up to today, oldest first: the stored snapshots of the days before
 * today, and today computed now (never stored here: the daily job stores a day once it has ended),
 * so the chart is never a day behind. Days without a snapshot are left out, not shown as zeros.
 */
export async function recentGrowth(db: Knex, days: number, timeZone: string, now = new Date()): Promise<GrowthSnapshot[]> {
  const today = networkDay(now, timeZone);
  const first = addDays(today, -(days - 1));
  const stored = (await db(GROWTH_TABLE).where('day', '>=', first).andWhere('day', '<', today).orderBy('day')) as SnapshotRow[];
  return [...stored.map(fromRow), await computeGrowth(db, today, timeZone)];
}
