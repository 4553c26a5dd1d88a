/**
 * `npm run subscribers -- import / export` against the real parts: the CMS's database, Redis, a
 * worker sending the confirmation mails, the SendGrid stand-in. A Mailchimp-shaped export of about
 * 10,000 rows is generated here, each row with the outcome it is meant to have, so the expected
 * counts come from the file's own making, not from the import's code.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSubscribersCommand } from '../../src/app/cli/subscribers-commands';
import { hashIp } from '../../src/core/domain/ip-hash';
import { createRedis } from '../../src/core/infra/redis';
import { MAIL_QUEUE } from '../../src/mail/mail-queue';
import { useCms } from '../support/harness';
import { cmsServices } from '../../src/app/cms';
import { CONFIRMATION_SOURCE, type SubscriberRecord } from '../../src/site/subscription/subscriptions';
import { CONSENT_TEXT_VERSION } from '../../src/site/strings';
import { lastJson, type CommandResult } from '../support/newsletter-cli';
import { until } from '../support/until';

const SUBSCRIBER = 'api::subscriber.subscriber';
const app = useCms({ name: 'subscriber-import', seed: true, worker: true, env: { MAIL_JOB_LOCK_MS: '3000' } });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'np-subscriber-import-'));
const FILE = path.join(dir, 'mailchimp-audience.csv');
const REPORT = path.join(dir, 'refused.csv');
const HEADERS = ['Email Address', 'First Name', 'Last Name', 'OPTIN_TIME', 'OPTIN_IP', 'CONFIRM_TIME', 'CONFIRM_IP', 'MC_LANGUAGE', 'LEID', 'UNSUB_TIME'];

type Expected = 'active' | 'pending' | 'unsubscribed' | 'known' | 'suppressed' | 'invalid' | 'duplicate';
interface Made {
  counts: { rows: number; new: number; known: number; invalid: number; duplicates: number; suppressed: number; active: number; pending: number };
  pending: string[];
  activeSample: { email: string; name: string; confirm: string; ip: string };
  unsubscribedSample: string;
}

/** The CSV, and what each row should become. Quoted names with commas and a line break, some `en`. */
function makeFile(total: number): Made {
  const lines = [HEADERS.join(',')];
  const counts = { rows: 0, new: 0, known: 0, invalid: 0, duplicates: 0, suppressed: 0, active: 0, pending: 0 };
  const pending: string[] = [];
  const add = (values: string[], expected: Expected) => {
    lines.push(values.map((value) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)).join(','));
    counts.rows += 1;
    if (expected === 'active' || expected === 'pending' || expected === 'unsubscribed') counts.new += 1;
    if (expected === 'active') counts.active += 1;
    if (expected === 'pending') counts.pending += 1;
    if (expected === 'known') counts.known += 1;
    if (expected === 'suppressed') counts.suppressed += 1;
    if (expected === 'invalid') counts.invalid += 1;
    if (expected === 'duplicate') counts.duplicates += 1;
  };
  const row = (email: string, fields: Partial<Record<(typeof HEADERS)[number], string>>) =>
    HEADERS.map((header) => (header === 'Email Address' ? email : (fields[header] ?? '')));
  const firstRows: string[][] = [];
  for (let i = 0; i < total; i += 1) {
    const email = `Lezer.${i}@Example.org`;
    const day = String((i % 28) + 1).padStart(2, '0');
    if (i % 97 === 3) {
      add(row(i % 2 === 0 ? `lezer.${i}@@example.org` : email, { MC_LANGUAGE: i % 2 === 0 ? 'nl' : 'fr', OPTIN_TIME: `2024-03-${day} 10:00:00` }), 'invalid');
    } else if (i % 20 === 0) {
      add(row(email, { 'First Name': `Lezer, ${i}`, MC_LANGUAGE: i % 40 === 0 ? 'en' : '' }), 'pending');
      pending.push(email.toLowerCase());
    } else if (i % 50 === 1) {
      add(row(email, { OPTIN_TIME: `2023-01-${day} 08:00:00`, UNSUB_TIME: `2024-06-${day} 12:00:00` }), 'unsubscribed');
    } else {
      const values = row(email, {
        'First Name': i % 7 === 0 ? 'Anna\nMaria' : 'Lezer',
        'Last Name': String(i),
        OPTIN_TIME: `2024-03-${day} 10:00:00`,
        OPTIN_IP: `198.51.100.${i % 250}`,
        CONFIRM_TIME: i % 3 === 0 ? '' : `2024-03-${day} 10:05:00`,
        CONFIRM_IP: i % 3 === 0 ? '' : `203.0.113.${i % 250}`,
        MC_LANGUAGE: i % 5 === 0 ? 'en' : 'nl',
        LEID: String(i),
      });
      // A name with a line break cannot be stored: that row is refused.
      add(values, i % 7 === 0 ? 'invalid' : 'active');
      if (i % 7 !== 0 && firstRows.length < 60) firstRows.push(values);
    }
  }
  for (const values of firstRows.slice(0, 50)) add([values[0].toUpperCase(), ...values.slice(1)], 'duplicate');
  // Already in the list: the seed's active and pending readers, and one who unsubscribed.
  add(row('anna.jansen@example.org', { OPTIN_TIME: '2024-01-01 10:00:00' }), 'known');
  add(row('tom.baker@example.org', {}), 'known');
  add(row('left.us@example.org', { OPTIN_TIME: '2024-01-01 10:00:00', CONFIRM_TIME: '2024-01-01 10:01:00' }), 'suppressed');
  fs.writeFileSync(FILE, `\uFEFF${lines.join('\r\n')}\r\n`);
  const sample = firstRows[1];
  return {
    counts,
    pending,
    activeSample: { email: sample[0].toLowerCase(), name: `${sample[1]} ${sample[2]}`, confirm: sample[5], ip: sample[6] },
    unsubscribedSample: 'lezer.1@example.org',
  };
}

async function subscribersCommand(args: string[]): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const code = await runSubscribersCommand(app.strapi, args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), terminal: false });
  return { code, stdout, stderr };
}

async function statesCount(): Promise<Record<string, number>> {
  const rows: Array<{ state: string; n: number | string }> = await app.db('subscribers').select('state').count({ n: '*' }).groupBy('state');
  return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]));
}

let made: Made;
let mailQueue: Queue;
let redis: ReturnType<typeof createRedis>;

beforeAll(async () => {
  await app.strapi.documents(SUBSCRIBER).create({
    data: { email: 'left.us@example.org', state: 'unsubscribed', preferredLocale: 'nl', themes: [], unsubscribedAt: new Date('2026-11-01T00:00:00Z') },
  } as never);
  made = makeFile(10_000);
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'client');
  mailQueue = new Queue(MAIL_QUEUE, { connection: redis, prefix: app.redisPrefix });
});

afterAll(async () => {
  await mailQueue?.close();
  await redis?.quit();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('import', () => {
  it('a dry run counts what the import would do and changes nothing', async () => {
    const before = await statesCount();
    const result = await subscribersCommand(['import', FILE, '--dry-run', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(lastJson(result.stdout)).toEqual(made.counts);
    expect(Object.keys(lastJson(result.stdout))).toEqual(['rows', 'new', 'known', 'invalid', 'duplicates', 'suppressed', 'active', 'pending']);
    expect(made.counts.active + made.counts.pending).toBeGreaterThan(8000);
    expect(result.stderr).toContain('read as a Mailchimp audience export');
    expect(await statesCount()).toEqual(before);
    expect(await mailQueue.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed')).toBe(0);
  });

  it('imports: evidence -> active with its consent record, none -> pending with one confirmation mail each, the unsubscribed stay so', async () => {
    const before = await statesCount();
    const result = await subscribersCommand(['import', FILE, '--json', '--report', REPORT]);
    expect(result.code, result.stderr).toBe(0);
    expect(lastJson(result.stdout)).toEqual(made.counts);
    const after = await statesCount();
    expect(after.active - before.active).toBe(made.counts.active);
    expect(after.pending - before.pending).toBe(made.counts.pending);
    expect(after.unsubscribed - before.unsubscribed).toBe(made.counts.new - made.counts.active - made.counts.pending);

    // Refused rows, in plain words, on stdout as JSON lines and in the report.
    const refusedLines = result.stdout
      .trim()
      .split('\n')
      .slice(0, -1)
      .map((line) => JSON.parse(line));
    expect(refusedLines).toHaveLength(made.counts.invalid + made.counts.duplicates + made.counts.suppressed);
    expect(refusedLines).toContainEqual({ row: 5, email: 'Lezer.3@Example.org', kind: 'invalid', reason: 'unknown language "fr" (nl or en; empty means nl)' });
    expect(refusedLines).toContainEqual(expect.objectContaining({ email: 'left.us@example.org', kind: 'suppressed' }));
    const report = parse(fs.readFileSync(REPORT), { columns: true }) as Array<{ row: string; email: string; reason: string }>;
    expect(report).toHaveLength(refusedLines.length);
    expect(report[0]).toEqual({ row: String(refusedLines[0].row), email: refusedLines[0].email, reason: `${refusedLines[0].kind}: ${refusedLines[0].reason}` });

    // The consent record as Strapi reads it: the bulk insert wrote the component where Strapi looks.
    const active = await app.strapi.db.query(SUBSCRIBER).findOne({ where: { email: made.activeSample.email }, populate: ['consent'] });
    expect(active).toMatchObject({ state: 'active', preferredLocale: 'nl', name: made.activeSample.name });
    expect(active.documentId).toMatch(/^[a-z][a-z0-9]{23}$/);
    expect(active.linkKey).toEqual(expect.any(String));
    expect(new Date(active.confirmedAt).toISOString()).toBe(new Date(`${made.activeSample.confirm.replace(' ', 'T')}Z`).toISOString());
    expect(active.consent).toMatchObject({
      source: `import:mailchimp-audience.csv; opt-in ${made.activeSample.confirm.slice(0, 10)} 10:00:00, confirmed ${made.activeSample.confirm} (UTC)`,
      textVersion: 'import (mailchimp)',
      ipHash: hashIp(made.activeSample.ip, process.env.TOKEN_SECRET!),
    });
    expect(new Date(active.consent.givenAt).toISOString()).toBe(new Date(active.confirmedAt).toISOString());
    const unsubscribed = await app.strapi.db.query(SUBSCRIBER).findOne({ where: { email: made.unsubscribedSample }, populate: ['consent'] });
    expect(unsubscribed).toMatchObject({ state: 'unsubscribed', name: null, consent: null });
    expect(await app.strapi.db.query(SUBSCRIBER).findOne({ where: { email: 'left.us@example.org' } })).toMatchObject({ state: 'unsubscribed' });

    // Never active without confirmation; one confirmation mail per new pending reader, none for the known pending one.
    const withoutEvidence = await app.db('subscribers').whereIn('email', made.pending).select('state');
    expect(withoutEvidence).toHaveLength(made.pending.length);
    expect(new Set(withoutEvidence.map((row: { state: string }) => row.state))).toEqual(new Set(['pending']));
    await until('confirmation mails at the stand-in', async () => app.sink.recipients().length >= made.pending.length, 180_000);
    await until('the mail queue idle', async () => (await mailQueue.getJobCountByTypes('waiting', 'active', 'delayed')) === 0, 30_000);
    const mailed = app.sink.recipients();
    expect(mailed.map((recipient) => recipient.email).sort()).toEqual([...made.pending].sort());
    expect(new Set(mailed.flatMap((recipient) => recipient.categories))).toEqual(new Set(['confirmation']));
  });

  it('a second import of the same file changes nothing and mails nobody', async () => {
    const before = await statesCount();
    const mailsBefore = app.sink.recipients().length;
    const completedBefore = await mailQueue.getJobCountByTypes('completed', 'waiting', 'active', 'delayed', 'failed');
    const result = await subscribersCommand(['import', FILE, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const { counts } = made;
    expect(lastJson(result.stdout)).toEqual({
      rows: counts.rows,
      new: 0,
      known: counts.known + counts.active + counts.pending,
      invalid: counts.invalid,
      duplicates: counts.duplicates,
      suppressed: counts.suppressed + (counts.new - counts.active - counts.pending),
      active: 0,
      pending: 0,
    });
    expect(await statesCount()).toEqual(before);
    expect(await mailQueue.getJobCountByTypes('completed', 'waiting', 'active', 'delayed', 'failed')).toBe(completedBefore);
    expect(app.sink.recipients()).toHaveLength(mailsBefore);
  });

  it('a reader imported without evidence who confirms gets a consent record then: the confirmation, with its hashed IP', async () => {
    // Not the reader the export test below looks for among the pending.
    const email = made.pending[made.pending.length - 1];
    const record = (await app.strapi.db.query('api::subscriber.subscriber').findOne({ where: { email }, populate: { consent: true } })) as SubscriberRecord & {
      consent: unknown;
    };
    expect(record.consent).toBeNull();
    expect(await cmsServices(app.strapi).subscriptions.confirm(record, { ip: '192.0.2.7' })).toBe('confirmed');
    const confirmed = (await app.strapi.db.query('api::subscriber.subscriber').findOne({ where: { email }, populate: { consent: true } })) as {
      state: string;
      confirmedAt: string;
      consent: { givenAt: string; source: string; textVersion: string; ipHash: string };
    };
    expect(confirmed.state).toBe('active');
    expect(confirmed.consent).toMatchObject({
      source: CONFIRMATION_SOURCE,
      textVersion: CONSENT_TEXT_VERSION,
      ipHash: hashIp('192.0.2.7', cmsServices(app.strapi).tokenSecret),
    });
    expect(new Date(confirmed.consent.givenAt).toISOString()).toBe(new Date(confirmed.confirmedAt).toISOString());
  });

  it('says what is wrong: a mapping to a column the file lacks (usage), a missing file (failed)', async () => {
    const mapped = await subscribersCommand(['import', FILE, '--dry-run', '--map', 'email=E-mail']);
    expect(mapped.code).toBe(2);
    expect(mapped.stderr).toContain('the file has no column "E-mail"');
    const missing = await subscribersCommand(['import', path.join(dir, 'nope.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no file');
    expect((await subscribersCommand(['import'])).code).toBe(2);
  });
});

describe('export', () => {
  it('writes the readers matching the filter with their consent record, and logs who exported what', async () => {
    const out = path.join(dir, 'pending-en.csv');
    const result = await subscribersCommand(['export', '--out', out, '--state', 'pending', '--locale', 'en', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const rows = parse(fs.readFileSync(out), { columns: true }) as Array<Record<string, string>>;
    const expected = await app.db('subscribers').where({ state: 'pending', preferred_locale: 'en' }).count({ n: '*' }).first();
    expect(rows.length).toBe(Number(expected?.n));
    expect(rows.length).toBeGreaterThan(100);
    expect(lastJson(result.stdout)).toMatchObject({ rows: rows.length, filter: { state: 'pending', locale: 'en' } });
    expect(Object.keys(rows[0])).toEqual([
      'email',
      'name',
      'language',
      'themes',
      'state',
      'confirmedAt',
      'unsubscribedAt',
      'consentGivenAt',
      'consentSource',
      'consentTextVersion',
    ]);
    expect(rows.every((row) => row.state === 'pending' && row.language === 'en')).toBe(true);
    expect(rows.map((row) => row.email)).toContain('tom.baker@example.org');
    // Quoted names with a comma survive the round trip.
    expect(rows.find((row) => row.email === 'lezer.0@example.org')).toMatchObject({ name: 'Lezer, 0' });
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);

    const activeOut = path.join(dir, 'active.csv');
    expect((await subscribersCommand(['export', '--out', activeOut, '--state', 'active'])).code).toBe(0);
    const active = parse(fs.readFileSync(activeOut), { columns: true }) as Array<Record<string, string>>;
    expect(active.find((row) => row.email === made.activeSample.email)).toMatchObject({
      consentTextVersion: 'import (mailchimp)',
      consentSource: expect.stringContaining('import:mailchimp-audience.csv'),
      consentGivenAt: new Date(`${made.activeSample.confirm.replace(' ', 'T')}Z`).toISOString(),
    });

    // A theme: its readers and those who follow every theme (the seed's Anna follows two, Pieter none).
    const themeOut = path.join(dir, 'theme.csv');
    expect((await subscribersCommand(['export', '--out', themeOut, '--state', 'active', '--theme', 'technologie-in-de-lerende-organisatie'])).code).toBe(0);
    const themed = (parse(fs.readFileSync(themeOut), { columns: true }) as Array<Record<string, string>>).map((row) => row.email);
    expect(themed).toContain('grace.okafor@example.org');
    expect(themed).toContain('pieter.devries@example.org');
    expect(themed).not.toContain('anna.jansen@example.org');

    const log = await app.db('subscriber_export_log').orderBy('id');
    expect(log).toHaveLength(3);
    expect(log[0]).toMatchObject({ exported_by: `cli:${os.userInfo().username}`, file: out, rows: rows.length });
    expect(JSON.parse(log[0].filter)).toEqual({ state: 'pending', locale: 'en' });
    expect(JSON.parse(log[2].filter)).toEqual({ state: 'active', theme: 'technologie-in-de-lerende-organisatie' });
  });
});
