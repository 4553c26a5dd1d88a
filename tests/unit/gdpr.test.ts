import { describe, expect, it } from 'vitest';
import { parseGdprArgs } from '../../src/app/cli/gdpr-args';
import { cutoffDate, DAY_MS, isBeforeCutoff, RetentionConfigError, retentionSettingsFromEnv } from '../../src/core/retention';

describe('retention cut-off', () => {
  const now = new Date('2025-03-31T10:00:00.000Z');

  it('is now minus whole days of 24 hours, also across a daylight-saving change', () => {
    expect(cutoffDate(now, 30).toISOString()).toBe('2025-03-01T10:00:00.000Z');
    expect(cutoffDate(now, 0).getTime()).toBe(now.getTime());
    expect(now.getTime() - cutoffDate(now, 1).getTime()).toBe(DAY_MS);
  });

  it('refuses unusable periods', () => {
    for (const days of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 40_000]) expect(() => cutoffDate(now, days)).toThrow(RetentionConfigError);
    expect(() => cutoffDate(new Date('nonsense'), 30)).toThrow(RetentionConfigError);
  });

  it('counts a moment as expired only strictly before the cut-off; unknown moments never expire', () => {
    const cutoff = cutoffDate(now, 30);
    expect(isBeforeCutoff(new Date(cutoff.getTime() - 1), cutoff)).toBe(true);
    expect(isBeforeCutoff(cutoff, cutoff)).toBe(false);
    expect(isBeforeCutoff('2025-01-01T00:00:00.000Z', cutoff)).toBe(true);
    expect(isBeforeCutoff(cutoff.getTime() - 1000, cutoff)).toBe(true);
    for (const unknown of [null, undefined, '', 'not a date']) expect(isBeforeCutoff(unknown, cutoff)).toBe(false);
  });
});

describe('retention settings from the environment', () => {
  it('defaults to 30 days for both', () => {
    expect(retentionSettingsFromEnv({})).toEqual({ pendingMaxAgeDays: 30, unsubscribedRetentionDays: 30 });
    expect(retentionSettingsFromEnv({ SUBSCRIBER_PENDING_MAX_AGE_DAYS: ' ' })).toEqual({ pendingMaxAgeDays: 30, unsubscribedRetentionDays: 30 });
  });

  it('reads whole numbers of days', () => {
    expect(retentionSettingsFromEnv({ SUBSCRIBER_PENDING_MAX_AGE_DAYS: '7', SUBSCRIBER_UNSUBSCRIBED_RETENTION_DAYS: '0' })).toEqual({
      pendingMaxAgeDays: 7,
      unsubscribedRetentionDays: 0,
    });
  });

  it('names the variable when a value is unusable', () => {
    expect(() => retentionSettingsFromEnv({ SUBSCRIBER_PENDING_MAX_AGE_DAYS: '-3' })).toThrow(/SUBSCRIBER_PENDING_MAX_AGE_DAYS/);
    expect(() => retentionSettingsFromEnv({ SUBSCRIBER_UNSUBSCRIBED_RETENTION_DAYS: '30d' })).toThrow(/SUBSCRIBER_UNSUBSCRIBED_RETENTION_DAYS/);
    expect(() => retentionSettingsFromEnv({ SUBSCRIBER_UNSUBSCRIBED_RETENTION_DAYS: '99999' })).toThrow(RetentionConfigError);
  });
});

describe('gdpr command arguments', () => {
  it('parses export, erase and purge', () => {
    expect(parseGdprArgs(['export', '--email', 'A@Example.org'])).toEqual({ ok: true, value: { command: 'export', ref: { email: 'A@Example.org' } } });
    expect(parseGdprArgs(['export', '--email=a@example.org', '--out', 'x.json'])).toEqual({
      ok: true,
      value: { command: 'export', ref: { email: 'a@example.org' }, out: 'x.json' },
    });
    expect(parseGdprArgs(['erase', '--document-id', 'abc123', '--yes'])).toEqual({
      ok: true,
      value: { command: 'erase', ref: { documentId: 'abc123' }, yes: true },
    });
    expect(parseGdprArgs(['erase', '--email', 'a@example.org'])).toEqual({
      ok: true,
      value: { command: 'erase', ref: { email: 'a@example.org' }, yes: false },
    });
    expect(parseGdprArgs(['purge'])).toEqual({ ok: true, value: { command: 'purge', dryRun: false } });
    expect(parseGdprArgs(['purge', '--dry-run'])).toEqual({ ok: true, value: { command: 'purge', dryRun: true } });
    expect(parseGdprArgs(['--help'])).toEqual({ ok: true, value: { command: 'help' } });
    expect(parseGdprArgs(['erase', '--help'])).toEqual({ ok: true, value: { command: 'help' } });
  });

  it.each([
    [[], /no command/],
    [['delete', '--email', 'a@example.org'], /unknown command/],
    [['export'], /needs --email/],
    [['export', '--email'], /--email needs a value/],
    [['export', '--email', '--out', 'x.json'], /--email needs a value/],
    [['export', '--email', 'not-an-address'], /not an email address/],
    [['export', '--email', 'a@example.org', '--document-id', 'x'], /either --email or --document-id/],
    [['export', '--email', 'a@example.org', '--yes'], /unknown option "--yes"/],
    [['purge', '--email', 'a@example.org'], /unknown option/],
    [['purge', 'now'], /unexpected argument/],
    [['purge', '--dry-run=yes'], /takes no value/],
    [['erase', '--email', 'a@example.org', '--email', 'b@example.org', '--yes'], /given twice/],
  ])('refuses %j', (argv, message) => {
    const result = parseGdprArgs(argv);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});
