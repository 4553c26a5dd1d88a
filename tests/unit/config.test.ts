import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseSettings } from '../../src/settings/database';
import { MissingSecretError, missingSecrets, readSecret, readSecretList } from '../../src/settings/secrets';
import { normaliseEmail } from '../../src/core/domain/email';

describe('secrets', () => {
  it('stops a production start with a message naming the missing variable', () => {
    expect(() => readSecret('ADMIN_JWT_SECRET', { NODE_ENV: 'production' })).toThrow(MissingSecretError);
    expect(() => readSecret('ADMIN_JWT_SECRET', { NODE_ENV: 'production' })).toThrow(/ADMIN_JWT_SECRET/);
    expect(() => readSecret('JWT_SECRET', { NODE_ENV: 'production', JWT_SECRET: '   ' })).toThrow(/JWT_SECRET/);
  });

  it('reads secrets from the environment', () => {
    expect(readSecret('JWT_SECRET', { NODE_ENV: 'production', JWT_SECRET: 's3cret' })).toBe('s3cret');
    expect(readSecretList('APP_KEYS', { NODE_ENV: 'production', APP_KEYS: 'a, b,,c' })).toEqual(['a', 'b', 'c']);
  });

  it('uses one stable ephemeral value per variable outside production', () => {
    const first = readSecret('TRANSFER_TOKEN_SALT', { NODE_ENV: 'development' });
    expect(first.length).toBeGreaterThan(20);
    expect(readSecret('TRANSFER_TOKEN_SALT', { NODE_ENV: 'development' })).toBe(first);
  });

  it('lists what production would miss', () => {
    expect(missingSecrets({ APP_KEYS: 'x', JWT_SECRET: 'y' })).toEqual([
      'API_TOKEN_SALT',
      'ADMIN_JWT_SECRET',
      'TRANSFER_TOKEN_SALT',
      'ENCRYPTION_KEY',
      'TOKEN_SECRET',
    ]);
  });
});

describe('database settings', () => {
  it('defaults to a SQLite file under the project', () => {
    expect(databaseSettings({}, '/app')).toEqual({
      client: 'sqlite',
      connection: { filename: path.resolve('/app/.tmp/data.db') },
      pragmas: ['journal_mode = WAL', 'synchronous = NORMAL', 'busy_timeout = 60000'],
    });
    expect(databaseSettings({ DATABASE_SQLITE_SYNCHRONOUS: 'full' }, '/app').pragmas).toEqual([
      'journal_mode = WAL',
      'synchronous = FULL',
      'busy_timeout = 60000',
    ]);
    // Writers wait generously for another process's write lock; a wrong value stops the start.
    expect(databaseSettings({ DATABASE_SQLITE_BUSY_TIMEOUT_MS: '120000' }, '/app').pragmas).toContain('busy_timeout = 120000');
    expect(() => databaseSettings({ DATABASE_SQLITE_BUSY_TIMEOUT_MS: '5s' }, '/app')).toThrow(/DATABASE_SQLITE_BUSY_TIMEOUT_MS/);
    expect(() => databaseSettings({ DATABASE_SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(/FULL or NORMAL/);
    expect(databaseSettings({ DATABASE_FILENAME: '/var/x.db' }, '/app').connection).toEqual({ filename: '/var/x.db' });
  });

  it('uses DATABASE_URL for PostgreSQL, or the host/port/name/user variables', () => {
    const fromUrl = databaseSettings({ DATABASE_CLIENT: 'postgres', DATABASE_URL: 'postgres://u@h:5433/db' });
    expect(fromUrl.client).toBe('postgres');
    expect(fromUrl.connection).toMatchObject({ connectionString: 'postgres://u@h:5433/db', ssl: false });
    const fromParts = databaseSettings({
      DATABASE_CLIENT: 'postgres',
      DATABASE_HOST: 'db',
      DATABASE_PORT: '6543',
      DATABASE_NAME: 'n',
      DATABASE_USERNAME: 'u',
      DATABASE_PASSWORD: 'p',
      DATABASE_SSL: 'true',
    });
    expect(fromParts.connection).toMatchObject({ host: 'db', port: 6543, database: 'n', user: 'u', password: 'p', ssl: { rejectUnauthorized: true } });
  });

  it('refuses an unknown client with a clear message', () => {
    expect(() => databaseSettings({ DATABASE_CLIENT: 'oracle' })).toThrow(/DATABASE_CLIENT must be "sqlite" or "postgres"/);
  });
});

describe('email normalisation', () => {
  it('trims and lower-cases', () => {
    expect(normaliseEmail('  Anna.Jansen@Example.ORG\t')).toBe('anna.jansen@example.org');
  });
});

describe('retention settings: one reader for the purge, the CLI and the privacy page', () => {
  it('reads 0 as 0 (erase at the next purge), not as the 30-day default', async () => {
    const { readMailSettings } = await import('../../src/settings/mail');
    const { retentionSettingsFromEnv } = await import('../../src/core/retention');
    const env = { SUBSCRIBER_UNSUBSCRIBED_RETENTION_DAYS: '0', SUBSCRIBER_PENDING_MAX_AGE_DAYS: '14' };
    expect(readMailSettings(env).retention).toEqual({ pendingMaxAgeDays: 14, unsubscribedRetentionDays: 0 });
    expect(readMailSettings(env).retention).toEqual(retentionSettingsFromEnv(env));
  });

  it('refuses a value that is not a whole number of days instead of silently using the default', async () => {
    const { readMailSettings } = await import('../../src/settings/mail');
    expect(() => readMailSettings({ SUBSCRIBER_UNSUBSCRIBED_RETENTION_DAYS: '-3' })).toThrow(/SUBSCRIBER_UNSUBSCRIBED_RETENTION_DAYS/);
    expect(() => readMailSettings({ SUBSCRIBER_PENDING_MAX_AGE_DAYS: 'thirty' })).toThrow(/SUBSCRIBER_PENDING_MAX_AGE_DAYS/);
  });

  it('the privacy page promises what the purge enforces', async () => {
    const { readMailSettings } = await import('../../src/settings/mail');
    const { renderPrivacyPage } = await import('../../src/site/subscription/privacy-page');
    const { retention, organisation } = readMailSettings({ SUBSCRIBER_UNSUBSCRIBED_RETENTION_DAYS: '0', SUBSCRIBER_PENDING_MAX_AGE_DAYS: '14' });
    const page = renderPrivacyPage('en', { networkName: organisation.name, postalAddress: organisation.postalAddress, ...retention }, organisation.privacyUrl);
    expect(page).toContain('after 14 days');
    expect(page).toContain('for 0 more days');
  });
});
