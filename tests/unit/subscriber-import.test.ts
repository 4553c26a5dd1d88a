/**
 * The subscriber import's pure part: recognising a file by its headers, reading a row into a
 * decision (consent record, state, the reason for a refusal), and counting. The CSV reading runs
 * on real files in a temporary directory (BOM, `;`, quoted values with separators and line breaks).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSubscribersArgs } from '../../src/app/cli/subscribers-args';
import { hashIp } from '../../src/core/domain/ip-hash';
import { applyOverride, detectSeparator, parseMappingOverride, recogniseColumns } from '../../src/gdpr/import/columns';
import { openImportFile, ImportFileError } from '../../src/gdpr/import/csv-source';
import { decideRow, type RowContext } from '../../src/gdpr/import/rows';
import { countOutcome, NO_ROWS, SeenAddresses, settleRow, type ImportCounts } from '../../src/gdpr/import/tally';
import { parseImportTime } from '../../src/gdpr/import/times';

const MAILCHIMP = [
  'Email Address',
  'First Name',
  'Last Name',
  'MEMBER_RATING',
  'OPTIN_TIME',
  'OPTIN_IP',
  'CONFIRM_TIME',
  'CONFIRM_IP',
  'LATITUDE',
  'LONGITUDE',
  'GMTOFF',
  'DSTOFF',
  'TIMEZONE',
  'CC',
  'REGION',
  'LAST_CHANGED',
  'LEID',
  'EUID',
  'NOTES',
  'TAGS',
  'MC_LANGUAGE',
];
const SECRET = 'unit-test-secret';
const NOW = new Date('2026-12-07T12:00:00Z');
const THEMES = new Set(['jeugd', 'ouderen', 'leercultuur']);

function context(headers: string[], extra: Partial<RowContext> = {}): RowContext {
  const recognised = recogniseColumns(headers);
  const mapped = applyOverride(headers, recognised.mapping, {});
  if (!mapped.ok) throw new Error(mapped.error);
  return {
    kind: recognised.kind,
    mapping: mapped.mapping,
    columns: headers.length,
    knownThemes: THEMES,
    fileName: 'leden.csv',
    hashIp: (ip) => hashIp(ip, SECRET),
    now: NOW,
    ...extra,
  };
}

function row(headers: string[], values: Record<string, string>): string[] {
  return headers.map((header) => values[header] ?? '');
}

describe('recognising a file by its headers', () => {
  it("reads Mailchimp's audience export, its consent columns and MC_LANGUAGE", () => {
    const { kind, mapping } = recogniseColumns(MAILCHIMP);
    expect(kind).toBe('mailchimp');
    expect(mapping).toMatchObject({
      email: 0,
      firstName: 1,
      lastName: 2,
      optinTime: 4,
      optinIp: 5,
      confirmTime: 6,
      confirmIp: 7,
      language: MAILCHIMP.indexOf('MC_LANGUAGE'),
    });
    expect(mapping.name).toBeUndefined();
    expect(recogniseColumns([...MAILCHIMP, 'UNSUB_TIME', 'UNSUB_CAMPAIGN_TITLE']).mapping.unsubTime).toBe(MAILCHIMP.length);
    expect(recogniseColumns([...MAILCHIMP, 'CLEAN_TIME']).mapping.cleanTime).toBe(MAILCHIMP.length);
  });

  it("reads Laposta's Dutch headers", () => {
    const headers = ['E-mailadres', 'Voornaam', 'Achternaam', 'Status', 'Aangemeld op', 'IP-adres'];
    const { kind, mapping } = recogniseColumns(headers);
    expect(kind).toBe('laposta');
    expect(mapping).toEqual({ email: 0, firstName: 1, lastName: 2, state: 3, optinTime: 4, optinIp: 5 });
  });

  it('reads a plain email,name,language,themes file', () => {
    expect(recogniseColumns(['email', 'name', 'language', 'themes'])).toEqual({ kind: 'plain', mapping: { email: 0, name: 1, language: 2, themes: 3 } });
  });

  it('takes an editor’s correction, refuses one naming a column the file lacks, and needs an email column', () => {
    const headers = ['Adres', 'Naam'];
    const guessed = recogniseColumns(headers).mapping;
    expect(applyOverride(headers, guessed, {})).toEqual({ ok: false, error: expect.stringContaining('--map email=') });
    const override = parseMappingOverride('email=Adres,name=Naam');
    expect(override).toEqual({ ok: true, value: { email: 'Adres', name: 'Naam' } });
    expect(applyOverride(headers, guessed, override.ok ? override.value : {})).toEqual({ ok: true, mapping: { email: 0, name: 1 } });
    expect(applyOverride(headers, guessed, { email: 'E-mail' })).toEqual({ ok: false, error: expect.stringContaining('no column "E-mail"') });
    expect(parseMappingOverride('mail-adres=X')).toEqual({ ok: false, error: expect.stringContaining('unknown field') });
    // field= drops a guessed column.
    expect(applyOverride(MAILCHIMP, recogniseColumns(MAILCHIMP).mapping, { language: '' })).toMatchObject({ ok: true, mapping: { email: 0 } });
  });

  it('detects the separator on the header line, not fooled by quoted ones', () => {
    expect(detectSeparator('email,name,language,themes')).toBe(',');
    expect(detectSeparator('email;naam;taal')).toBe(';');
    expect(detectSeparator('"e,mail";"naam";"taal"')).toBe(';');
    expect(detectSeparator('email\tname')).toBe('\t');
  });
});

describe('a row into a decision', () => {
  it('Mailchimp row with confirmation: active, consent given at the confirmation, its IP hashed as the sign-up hashes it, the original times kept', () => {
    const decision = decideRow(
      row(MAILCHIMP, {
        'Email Address': ' Anna.Jansen@Example.org ',
        'First Name': 'Anna',
        'Last Name': 'Jansen',
        OPTIN_TIME: '2023-05-01 09:00:00',
        OPTIN_IP: '198.51.100.7',
        CONFIRM_TIME: '2023-05-01 09:03:10',
        CONFIRM_IP: '198.51.100.8',
        MC_LANGUAGE: 'en',
      }),
      context(MAILCHIMP),
    );
    expect(decision).toEqual({
      ok: true,
      candidate: {
        email: 'anna.jansen@example.org',
        name: 'Anna Jansen',
        locale: 'en',
        themes: [],
        intent: 'active',
        suppressedAt: null,
        consent: {
          givenAt: new Date('2023-05-01T09:03:10Z'),
          source: 'import:leden.csv; opt-in 2023-05-01 09:00:00, confirmed 2023-05-01 09:03:10 (UTC)',
          textVersion: 'import (mailchimp)',
          ipHash: hashIp('198.51.100.8', SECRET),
        },
      },
    });
  });

  it('opt-in time only: consent given then, with the opt-in IP; none given: no IP hash', () => {
    const only = decideRow(
      row(MAILCHIMP, { 'Email Address': 'a@example.org', OPTIN_TIME: '2023-05-01 09:00:00', OPTIN_IP: '2001:db8::1' }),
      context(MAILCHIMP),
    );
    expect(only.ok && only.candidate.consent).toMatchObject({ givenAt: new Date('2023-05-01T09:00:00Z'), ipHash: hashIp('2001:db8::1', SECRET) });
    const noIp = decideRow(row(MAILCHIMP, { 'Email Address': 'a@example.org', OPTIN_TIME: '2023-05-01 09:00:00' }), context(MAILCHIMP));
    expect(noIp.ok && noIp.candidate.consent).toMatchObject({ ipHash: null });
  });

  it('no evidence: pending, without a consent record; language empty means nl', () => {
    const decision = decideRow(row(MAILCHIMP, { 'Email Address': 'b@example.org' }), context(MAILCHIMP));
    expect(decision).toMatchObject({ ok: true, candidate: { intent: 'pending', consent: null, locale: 'nl' } });
  });

  it('UNSUB_TIME: unsubscribed, without name or themes; CLEAN_TIME: bounced', () => {
    const headers = [...MAILCHIMP, 'UNSUB_TIME'];
    const unsub = decideRow(
      row(headers, { 'Email Address': 'c@example.org', 'First Name': 'C', OPTIN_TIME: '2022-01-01 10:00:00', UNSUB_TIME: '2024-02-02 10:00:00' }),
      context(headers),
    );
    expect(unsub).toMatchObject({ ok: true, candidate: { intent: 'unsubscribed', name: null, consent: null, suppressedAt: new Date('2024-02-02T10:00:00Z') } });
    const cleanHeaders = [...MAILCHIMP, 'CLEAN_TIME'];
    const cleaned = decideRow(row(cleanHeaders, { 'Email Address': 'd@example.org', CLEAN_TIME: '2024-02-02 10:00:00' }), context(cleanHeaders));
    expect(cleaned).toMatchObject({ ok: true, candidate: { intent: 'bounced' } });
  });

  it("Laposta: states in Dutch, times read as Amsterdam's (CET in winter, CEST in summer)", () => {
    const headers = ['E-mailadres', 'Naam', 'Status', 'Aangemeld op', 'IP-adres'];
    const ctx = context(headers);
    const winter = decideRow(['e@example.org', 'Eva', 'actief', '2024-01-15 10:00:00', '203.0.113.5'], ctx);
    expect(winter).toMatchObject({
      ok: true,
      candidate: { intent: 'active', name: 'Eva', consent: { givenAt: new Date('2024-01-15T09:00:00Z'), textVersion: 'import (laposta)' } },
    });
    const summer = decideRow(['e@example.org', 'Eva', 'actief', '2024-07-15 10:00:00', ''], ctx);
    expect(summer.ok && summer.candidate.consent?.givenAt).toEqual(new Date('2024-07-15T08:00:00Z'));
    expect(decideRow(['f@example.org', '', 'afgemeld', '', ''], ctx)).toMatchObject({ ok: true, candidate: { intent: 'unsubscribed', suppressedAt: NOW } });
    expect(decideRow(['g@example.org', '', 'ongeldig', '', ''], ctx)).toMatchObject({ ok: true, candidate: { intent: 'bounced' } });
    // Signed up but never confirmed: no consent, whatever the time says.
    expect(decideRow(['h@example.org', '', 'onbevestigd', '2024-01-15 10:00:00', ''], ctx)).toMatchObject({
      ok: true,
      candidate: { intent: 'pending', consent: null },
    });
    expect(decideRow(['i@example.org', '', 'misschien', '', ''], ctx)).toEqual({
      ok: false,
      email: 'i@example.org',
      reason: { en: expect.stringContaining('unknown state "misschien"'), nl: expect.stringContaining('onbekende status "misschien"') },
    });
  });

  it('plain file: themes separated by | or ;, sorted and unique; unknown ones named', () => {
    const headers = ['email', 'name', 'language', 'themes'];
    expect(decideRow(['j@example.org', 'J', 'nl', 'ouderen|jeugd; jeugd'], context(headers))).toMatchObject({
      ok: true,
      candidate: { themes: ['jeugd', 'ouderen'] },
    });
    expect(decideRow(['j@example.org', 'J', 'nl', 'jeugd|sport|kunst'], context(headers))).toEqual({
      ok: false,
      email: 'j@example.org',
      reason: {
        en: 'unknown themes "kunst", "sport" (known: jeugd, leercultuur, ouderen)',
        nl: 'onbekende thema\'s "kunst", "sport" (bekend: jeugd, leercultuur, ouderen)',
      },
    });
    expect(decideRow(['j@example.org', 'J', 'nl', 'jeugd'], context(headers, { knownThemes: new Set() }))).toMatchObject({
      ok: false,
      reason: { en: 'unknown theme "jeugd" (no theme is published yet)', nl: 'onbekend thema "jeugd" (er is nog geen thema gepubliceerd)' },
    });
  });

  it('refuses in plain words: bad address, unknown language, a date that is none, a future one, an IP that is none, too many values, a long name', () => {
    const headers = ['email', 'name', 'language', 'themes'];
    const reason = (values: string[], ctx = context(headers)) => {
      const decision = decideRow(values, ctx);
      return decision.ok ? 'imported' : decision.reason.en;
    };
    expect(reason(['not-an-address', '', '', ''])).toBe('"not-an-address" is not a valid email address');
    expect(reason(['', 'Naam', '', ''])).toBe('no email address');
    expect(reason(['k@example.org', '', 'de', ''])).toBe('unknown language "de" (nl or en; empty means nl)');
    expect(reason(['k@example.org', '', 'en_US', ''])).toBe('imported');
    expect(reason(['k@example.org', '', '', '', 'extra'])).toContain('the row has 5 values but the header names 4 columns');
    expect(reason(['k@example.org', 'x'.repeat(121), '', ''])).toContain('the name is longer than 120 characters');
    expect(reason(['k@example.org', 'Bad \uFFFD', '', ''])).toContain('not UTF-8');
    expect(reason(row(MAILCHIMP, { 'Email Address': 'k@example.org', OPTIN_TIME: 'gisteren' }), context(MAILCHIMP))).toBe(
      'opt-in time "gisteren" is not a date and time (e.g. 2024-03-01 14:05:00)',
    );
    expect(reason(row(MAILCHIMP, { 'Email Address': 'k@example.org', CONFIRM_TIME: '2027-01-01 00:00:00' }), context(MAILCHIMP))).toBe(
      'confirmation time 2027-01-01 00:00:00 lies in the future',
    );
    expect(reason(row(MAILCHIMP, { 'Email Address': 'k@example.org', OPTIN_TIME: '2023-01-01 00:00:00', OPTIN_IP: '300.1.1.1' }), context(MAILCHIMP))).toBe(
      'opt-in IP "300.1.1.1" is not an IP address',
    );
  });
});

describe('times as export files write them', () => {
  it('reads UTC, ISO with a zone, Dutch day-first; refuses 31 February', () => {
    expect(parseImportTime('2024-03-01 14:05:00', 'UTC')).toEqual(new Date('2024-03-01T14:05:00Z'));
    expect(parseImportTime('2024-03-01T14:05:00+01:00', 'UTC')).toEqual(new Date('2024-03-01T13:05:00Z'));
    expect(parseImportTime('01-03-2024 14:05', 'Europe/Amsterdam')).toEqual(new Date('2024-03-01T13:05:00Z'));
    expect(parseImportTime('2024-02-31 10:00:00', 'UTC')).toBeNull();
    expect(parseImportTime('soon', 'UTC')).toBeNull();
  });
});

describe('settling and counting', () => {
  const candidate = (intent: 'active' | 'pending' | 'unsubscribed' | 'bounced') => ({
    email: 'x@example.org',
    name: null,
    locale: 'nl' as const,
    themes: [],
    intent,
    consent: null,
    suppressedAt: null,
  });

  it('never re-activates a suppressed reader, never changes a known one, creates the rest', () => {
    expect(settleRow(candidate('active'), undefined)).toEqual({ kind: 'new', state: 'active' });
    expect(settleRow(candidate('unsubscribed'), undefined)).toEqual({ kind: 'new', state: 'unsubscribed' });
    for (const existing of ['unsubscribed', 'bounced', 'complained'] as const) expect(settleRow(candidate('active'), existing).kind).toBe('suppressed');
    expect(settleRow(candidate('active'), 'pending')).toEqual({ kind: 'known' });
    expect(settleRow(candidate('pending'), 'active')).toEqual({ kind: 'known' });
    expect(settleRow(candidate('unsubscribed'), 'active').kind).toBe('suppressed');
  });

  it('every row lands in one count; active + pending are the readers created so', () => {
    const counts: ImportCounts = { ...NO_ROWS };
    const outcomes = [
      { kind: 'new', state: 'active' },
      { kind: 'new', state: 'pending' },
      { kind: 'new', state: 'unsubscribed' },
      { kind: 'known' },
      { kind: 'suppressed', reason: { en: '', nl: '' } },
      { kind: 'invalid', reason: { en: '', nl: '' } },
      { kind: 'duplicate', reason: { en: '', nl: '' } },
    ] as const;
    for (const outcome of outcomes) countOutcome(counts, outcome);
    expect(counts).toEqual({ rows: 7, new: 3, known: 1, invalid: 1, duplicates: 1, suppressed: 1, active: 1, pending: 1 });
  });

  it('remembers the first row of each address', () => {
    const seen = new SeenAddresses();
    expect(seen.check('a@example.org', 2)).toBeUndefined();
    expect(seen.check('b@example.org', 3)).toBeUndefined();
    expect(seen.check('a@example.org', 7)).toBe(2);
  });
});

describe('reading the file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'np-import-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string | Buffer) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };
  const readAll = async (file: string) => {
    const opened = await openImportFile(file);
    const rows = [];
    for await (const chunk of opened.chunks(2)) rows.push(...chunk);
    return { headers: opened.headers, separator: opened.separator, rows };
  };

  it('UTF-8 with BOM, `;`, quoted values holding `;`, `,`, quotes and line breaks; row numbers as a spreadsheet shows them', async () => {
    const file = write(
      'excel.csv',
      "\uFEFFE-mailadres;Naam;Thema's\r\n" +
        'a@example.org;"Jansen; Anna";"jeugd;ouderen"\r\n' +
        '\r\n' +
        'b@example.org;"Bakker, ""Bram""\r\nde tweede regel";jeugd\r\n' +
        'c@example.org;Chris;\r\n',
    );
    const { headers, separator, rows } = await readAll(file);
    expect(separator).toBe(';');
    expect(headers).toEqual(['E-mailadres', 'Naam', "Thema's"]);
    expect(rows).toEqual([
      { row: 2, fields: ['a@example.org', 'Jansen; Anna', 'jeugd;ouderen'] },
      { row: 4, fields: ['b@example.org', 'Bakker, "Bram"\r\nde tweede regel', 'jeugd'] },
      { row: 5, fields: ['c@example.org', 'Chris', ''] },
    ]);
  });

  it('a comma file without BOM, in chunks', async () => {
    const lines = ['email,name,language,themes', ...Array.from({ length: 5 }, (_, i) => `r${i}@example.org,"Naam, ${i}",nl,jeugd|ouderen`)];
    const { separator, rows } = await readAll(write('plain.csv', `${lines.join('\n')}\n`));
    expect(separator).toBe(',');
    expect(rows.map((row) => row.row)).toEqual([2, 3, 4, 5, 6]);
    expect(rows[4].fields).toEqual(['r4@example.org', 'Naam, 4', 'nl', 'jeugd|ouderen']);
  });

  it('says what is wrong with a file that cannot be read', async () => {
    await expect(openImportFile(path.join(dir, 'missing.csv'))).rejects.toThrow(/no file/);
    await expect(openImportFile(write('latin1.csv', Buffer.from('email,naam\nx@example.org,Jos\xe9\n', 'latin1')))).rejects.toThrow(/not UTF-8/);
    await expect(openImportFile(write('empty.csv', ''))).rejects.toThrow(ImportFileError);
    const broken = await openImportFile(write('broken.csv', 'email,name\na@example.org,"never closed\n'));
    await expect(
      (async () => {
        for await (const chunk of broken.chunks(10)) void chunk;
      })(),
    ).rejects.toThrow(/cannot be read as CSV/);
  });
});

describe('the command line', () => {
  it('parses import and export, refuses wrong usage with a reason', () => {
    expect(parseSubscribersArgs(['import', 'leden.csv', '--dry-run', '--json', '--map', 'email=Email Address', '--map=name=Naam'])).toEqual({
      ok: true,
      value: { command: 'import', file: 'leden.csv', dryRun: true, json: true, mapping: { email: 'Email Address', name: 'Naam' } },
    });
    expect(parseSubscribersArgs(['export', '--out', 'x.csv', '--state', 'active', '--locale', 'en', '--theme', 'jeugd'])).toEqual({
      ok: true,
      value: { command: 'export', out: 'x.csv', json: false, state: 'active', locale: 'en', theme: 'jeugd' },
    });
    expect(parseSubscribersArgs(['import'])).toMatchObject({ ok: false, error: expect.stringContaining('needs the file') });
    expect(parseSubscribersArgs(['export'])).toMatchObject({ ok: false, error: expect.stringContaining('--out') });
    expect(parseSubscribersArgs(['export', '--out', 'x.csv', '--state', 'gone'])).toMatchObject({ ok: false, error: expect.stringContaining('--state') });
    expect(parseSubscribersArgs(['import', 'a.csv', '--map', 'colour=X'])).toMatchObject({ ok: false, error: expect.stringContaining('unknown field') });
    expect(parseSubscribersArgs(['import', 'a.csv', '--out', 'x'])).toMatchObject({ ok: false, error: 'unknown option "--out" for import' });
    expect(parseSubscribersArgs(['purge'])).toMatchObject({ ok: false });
  });
});
