import { storedThemes } from '../../src/core/domain/subscriber-themes';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  countDayEvents,
  dayWindow,
  networkDay,
  parseDays,
  snapshotDayFor,
  tallyThemes,
  timeOf,
  type GrowthSnapshot,
  type SubscriberMoments,
} from '../../src/growth/counting';
import { growthCsv } from '../../src/growth/csv';
import { renderPrivacyPage } from '../../src/site/subscription/privacy-page';

const TZ = 'Europe/Amsterdam';

describe('network days', () => {
  it('puts a moment on the day of the network time zone, not of UTC', () => {
    expect(networkDay(new Date('2026-03-09T23:30:00Z'), TZ)).toBe('2026-03-10');
    expect(networkDay(new Date('2026-03-09T22:59:59Z'), TZ)).toBe('2026-03-09');
    expect(networkDay(new Date('2026-03-09T23:30:00Z'), 'UTC')).toBe('2026-03-09');
  });

  it('gives a day as its real-time window, 23 or 25 hours on the clock changes', () => {
    expect(dayWindow('2026-01-15', TZ)).toEqual({ start: new Date('2026-01-14T23:00:00Z'), end: new Date('2026-01-15T23:00:00Z') });
    const spring = dayWindow('2026-03-29', TZ);
    expect(spring.start.toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(spring.end.toISOString()).toBe('2026-03-29T22:00:00.000Z');
    const autumn = dayWindow('2026-10-25', TZ);
    expect((autumn.end.getTime() - autumn.start.getTime()) / 3_600_000).toBe(25);
  });

  it('counts days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(() => addDays('31-12-2026', 1)).toThrow();
  });

  it('has the daily job snapshot the network day that just ended, also when it runs late', () => {
    expect(snapshotDayFor(new Date('2026-06-01T22:05:00Z'), TZ)).toBe('2026-06-01'); // 00:05 on 2 June in Amsterdam
    expect(snapshotDayFor(new Date('2026-06-02T06:00:00Z'), TZ)).toBe('2026-06-01');
  });
});

describe('the day’s changes', () => {
  const day = dayWindow('2026-05-04', TZ);
  const inDay = new Date('2026-05-04T10:00:00Z');
  const dayBefore = new Date('2026-05-03T10:00:00Z');
  const row = (over: Partial<SubscriberMoments>): SubscriberMoments => ({
    state: 'active',
    createdAt: dayBefore,
    confirmedAt: null,
    unsubscribedAt: null,
    suppressedAt: null,
    ...over,
  });

  it('counts sign-ups, confirmations and suppressions whose moment is in the day', () => {
    const events = countDayEvents(
      [
        row({ state: 'pending', createdAt: inDay }),
        row({ createdAt: inDay, confirmedAt: inDay }),
        row({ confirmedAt: inDay }),
        row({ state: 'unsubscribed', confirmedAt: dayBefore, unsubscribedAt: inDay.getTime() }),
        row({ state: 'bounced', suppressedAt: inDay.toISOString() }),
        row({ state: 'complained', suppressedAt: inDay }),
        row({ state: 'complained', suppressedAt: dayBefore }),
      ],
      day,
    );
    expect(events).toEqual({ signedUp: 2, confirmed: 2, unsubscribed: 1, bounced: 1, complained: 1 });
  });

  it('leaves out the first moment of the next day and counts the first moment of this one', () => {
    const events = countDayEvents([row({ createdAt: day.end }), row({ createdAt: day.start })], day);
    expect(events.signedUp).toBe(1);
  });

  it('reads stored moments as numbers, numeric strings, ISO strings and Dates', () => {
    expect(timeOf(1000)).toBe(1000);
    expect(timeOf('1000')).toBe(1000);
    expect(timeOf('2026-05-04T10:00:00.000Z')).toBe(inDay.getTime());
    expect(timeOf(inDay)).toBe(inDay.getTime());
    expect(timeOf(null)).toBeNull();
    expect(timeOf('not a date')).toBeNull();
  });
});

describe('active readers per theme', () => {
  it('counts those who chose a theme, plus those who chose none, only for current themes', () => {
    const tally = tallyThemes([JSON.stringify(['zorg']), ['zorg', 'wonen'], null, '[]', ['gone'], 'broken json'], ['wonen', 'zorg', 'werk']);
    // null, [], ['gone'] and the broken one: 'gone' follows only a theme that no longer exists; the rest follow everything.
    expect(tally).toEqual({ werk: 3, wonen: 4, zorg: 5 });
  });

  it('counts a theme chosen twice in one list once', () => {
    expect(storedThemes(['zorg', 'zorg', 3])).toEqual(['zorg']);
    expect(tallyThemes([['zorg', 'zorg']], ['zorg'])).toEqual({ zorg: 1 });
  });
});

describe('?days=', () => {
  it('takes a whole number from 1 to 366, 90 when absent', () => {
    expect(parseDays(undefined)).toEqual({ days: 90 });
    expect(parseDays('1')).toEqual({ days: 1 });
    expect(parseDays('366')).toEqual({ days: 366 });
  });

  it.each(['0', '367', '-3', '1.5', 'abc', '1e2', ' ', ['3', '4']])('refuses %j with a sentence in both languages', (raw) => {
    const parsed = parseDays(raw);
    expect(parsed).toHaveProperty('error');
    expect((parsed as { error: string }).error).toMatch(/^The number of days must be a whole number from 1 to 366\. \/ Het aantal dagen/);
  });
});

describe('CSV', () => {
  const snapshot = (day: string, activeByTheme: Record<string, number>): GrowthSnapshot => ({
    day,
    activeTotal: 3,
    activeNl: 2,
    activeEn: 1,
    activeByTheme,
    signedUp: 4,
    confirmed: 5,
    unsubscribed: 6,
    bounced: 7,
    complained: 8,
  });

  it('writes a header and a line per day, with a column per theme any day counted', () => {
    const csv = growthCsv([snapshot('2026-05-03', { zorg: 1 }), snapshot('2026-05-04', { wonen: 2, zorg: 3 })]);
    expect(csv.split('\r\n')).toEqual([
      'day,active_total,active_nl,active_en,signed_up,confirmed,unsubscribed,bounced,complained,theme:wonen,theme:zorg',
      '2026-05-03,3,2,1,4,5,6,7,8,,1',
      '2026-05-04,3,2,1,4,5,6,7,8,2,3',
      '',
    ]);
  });

  it('quotes theme columns with commas or quotes, and defuses spreadsheet formulas in them', () => {
    const [header] = growthCsv([snapshot('2026-05-03', { 'a,b': 1, 'say "hi"': 2, '=SUM(A1)': 3 })]).split('\r\n');
    const themes = header.split(',').slice(9).join(',');
    // Commas and quotes in a slug are quoted and doubled; a slug like a formula is harmless behind "theme:".
    expect(themes).toBe(`theme:=SUM(A1),"theme:a,b","theme:say ""hi"""`);
  });
});

describe('the privacy statement', () => {
  const facts = { networkName: 'Zorgnetwerk Noord', postalAddress: 'Postbus 1', pendingMaxAgeDays: 30, unsubscribedRetentionDays: 30 };

  it('says that daily totals without names are kept, also after erasure', () => {
    expect(renderPrivacyPage('nl', facts, '/privacy')).toContain('Daarnaast bewaren we per dag alleen totalen zonder namen of adressen');
    expect(renderPrivacyPage('en', facts, '/privacy')).toContain('We also keep daily totals without names or addresses');
  });
});
