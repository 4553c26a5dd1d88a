import { describe, expect, it } from 'vitest';
import { judgeMailingChange, PRODUCT_CODE, type ActingRole, type Verdict } from '../../src/mailings/engine/mailing-rules';

/** The mailing rules as a table: state x role x change -> allowed, refused (nobody) or forbidden (this role). */
const AUTHOR: ActingRole = { admin: true, send: false, cancel: false };
const EDITOR: ActingRole = { admin: true, send: true, cancel: true };
const NOW = Date.parse('2027-01-01T10:00:00Z');
const LATER = '2027-01-02T09:00:00.000Z';
const EARLIER = '2027-01-01T09:59:59.000Z';

/** A campaign as stored (the admin form sends all of this back on save). */
const stored = (state: string) => ({
  id: 3,
  documentId: 'c3',
  state,
  title: 'Campagne',
  subjectNl: 'Onderwerp',
  introNl: 'Hoi',
  sendAt: state === 'draft' ? null : LATER,
  trackEngagement: false,
  keepOutOfArchive: false,
  recipientsCount: state === 'draft' ? 0 : 12,
  deliveredCount: 0,
  plannedAt: null,
  sentAt: null,
  notes: null,
  createdAt: '2026-12-01T08:00:00.000Z',
  updatedAt: '2026-12-01T08:00:00.000Z',
});

const judge = (state: string, role: ActingRole, change: Record<string, unknown>): Verdict => {
  const current = stored(state);
  return judgeMailingChange({ kind: 'campaign', action: 'update', stored: current, data: { ...current, ...change }, role, now: NOW });
};
const outcome = (verdict: Verdict) => (verdict.allowed ? 'allowed' : verdict.reason);

const CHANGES: Record<string, Record<string, unknown>> = {
  'edit the subject': { subjectNl: 'Nieuw onderwerp' },
  'switch tracking on': { trackEngagement: true },
  'set recipientsCount': { recipientsCount: 99 },
  'set notes': { notes: 'met de hand' },
  'set the send time': { sendAt: LATER },
  schedule: { state: 'scheduled', sendAt: LATER },
  'schedule in the past': { state: 'scheduled', sendAt: EARLIER },
  unschedule: { state: 'draft' },
  cancel: { state: 'cancelled' },
  'mark it sent': { state: 'sent' },
  'keep out of the archive': { keepOutOfArchive: true },
};

// prettier-ignore
const TABLE: Array<[state: string, change: string, author: string, editor: string, code: string]> = [
  ['draft',     'edit the subject',        'allowed',   'allowed',   'allowed'],
  ['draft',     'switch tracking on',      'allowed',   'allowed',   'allowed'],
  ['draft',     'set recipientsCount',     'refused',   'refused',   'allowed'],
  ['draft',     'set notes',               'refused',   'refused',   'allowed'],
  ['draft',     'set the send time',       'forbidden', 'allowed',   'allowed'],
  ['draft',     'schedule',                'forbidden', 'allowed',   'allowed'],
  ['draft',     'schedule in the past',    'forbidden', 'refused',   'allowed'],
  ['draft',     'cancel',                  'forbidden', 'allowed',   'allowed'],
  ['draft',     'mark it sent',            'refused',   'refused',   'refused'],
  ['scheduled', 'edit the subject',        'refused',   'refused',   'allowed'],
  ['scheduled', 'switch tracking on',      'refused',   'refused',   'allowed'],
  ['scheduled', 'keep out of the archive', 'refused',   'refused',   'allowed'],
  ['scheduled', 'set recipientsCount',     'refused',   'refused',   'allowed'],
  ['scheduled', 'unschedule',              'forbidden', 'allowed',   'allowed'],
  ['scheduled', 'cancel',                  'forbidden', 'allowed',   'allowed'],
  ['scheduled', 'mark it sent',            'refused',   'refused',   'refused'],
  ['sending',   'edit the subject',        'refused',   'refused',   'refused'],
  ['sending',   'cancel',                  'refused',   'refused',   'refused'],
  ['sending',   'keep out of the archive', 'forbidden', 'allowed',   'allowed'],
  ['sent',      'edit the subject',        'refused',   'refused',   'refused'],
  ['sent',      'switch tracking on',      'refused',   'refused',   'refused'],
  ['sent',      'unschedule',              'refused',   'refused',   'refused'],
  ['sent',      'keep out of the archive', 'forbidden', 'allowed',   'allowed'],
  ['failed',    'keep out of the archive', 'forbidden', 'allowed',   'allowed'],
  ['cancelled', 'edit the subject',        'refused',   'refused',   'refused'],
  ['cancelled', 'keep out of the archive', 'forbidden', 'allowed',   'allowed'],
];

describe('the mailing rules, state x role x change', () => {
  it.each(TABLE)('%s, %s: Author %s, Editor %s, product code %s', (state, change, author, editor, code) => {
    expect([AUTHOR, EDITOR, PRODUCT_CODE].map((role) => outcome(judge(state, role, CHANGES[change])))).toEqual([author, editor, code]);
  });
});

describe('what a save writes', () => {
  it("a locked mailing's save is reduced to the one change it may make; an unschedule also clears the send time", () => {
    expect(judge('sent', EDITOR, { keepOutOfArchive: true, featuredItems: [{ id: 1 }] })).toEqual({ allowed: true, data: { keepOutOfArchive: true } });
    expect(judge('scheduled', EDITOR, { state: 'draft', featuredItems: [{ id: 1 }] })).toEqual({ allowed: true, data: { state: 'draft', sendAt: null } });
    expect(judge('scheduled', EDITOR, { state: 'cancelled' })).toEqual({ allowed: true, data: { state: 'cancelled' } });
  });

  it("a draft's save that sends the engine fields unchanged goes through whole (dates in the form's spelling too)", () => {
    const current = { ...stored('draft'), plannedAt: new Date('2026-12-01T08:00:00Z'), recipientsCount: 0 };
    const form = {
      ...current,
      plannedAt: '2026-12-01T08:00:00.000Z',
      recipientsCount: '0',
      introNl: 'Anders',
      audienceThemes: { connect: [], disconnect: [] },
    };
    expect(judgeMailingChange({ kind: 'campaign', action: 'update', stored: current, data: form, role: EDITOR, now: NOW })).toEqual({
      allowed: true,
      data: form,
    });
  });

  it('a locked mailing tolerates a stale copy of what the engine and the events keep moving, but not other changes', () => {
    expect(judge('sent', EDITOR, { keepOutOfArchive: true, deliveredCount: 7, recipientsCount: 11, notes: 'oud' })).toEqual({
      allowed: true,
      data: { keepOutOfArchive: true },
    });
    expect(judge('sent', EDITOR, { keepOutOfArchive: true, subjectNl: 'Later' })).toMatchObject({
      allowed: false,
      message: expect.stringMatching(/can no longer be changed.*kan niet meer worden gewijzigd/),
    });
  });

  it('messages say what to do, in English and Dutch', () => {
    expect(judge('scheduled', AUTHOR, { subjectNl: 'x' })).toMatchObject({
      message: expect.stringMatching(/scheduled and cannot be changed.*Unschedule.*Planning intrekken/),
    });
    expect(judge('draft', EDITOR, { recipientsCount: 99 })).toMatchObject({
      reason: 'refused',
      message:
        '"Recipients" is kept by the sending engine and cannot be set by hand. / "Ontvangers" houdt de verzendmachine bij en kan niet met de hand worden ingevuld.',
    });
    expect(judge('sent', AUTHOR, { keepOutOfArchive: true })).toMatchObject({
      reason: 'forbidden',
      message: expect.stringMatching(/Only an Editor.*Alleen een Redacteur/),
    });
    expect(judge('draft', EDITOR, { state: 'scheduled', sendAt: EARLIER })).toMatchObject({
      message: expect.stringMatching(/has passed.*Send now.*Nu versturen/),
    });
    expect(judge('draft', EDITOR, { state: 'scheduled', sendAt: null })).toMatchObject({ message: expect.stringMatching(/needs a send time/) });
  });

  it('a new mailing: defaults for the engine fields pass, anything else is refused; an edition works the same', () => {
    const create = (data: Record<string, unknown>, role: ActingRole = EDITOR) =>
      outcome(judgeMailingChange({ kind: 'campaign', action: 'create', stored: null, data, role, now: NOW }));
    expect(
      create({
        title: 'Nieuw',
        state: 'draft',
        recipientsCount: 0,
        deliveredCount: 0,
        plannedAt: null,
        sentAt: null,
        notes: null,
        keepOutOfArchive: false,
        trackEngagement: false,
      }),
    ).toBe('allowed');
    expect(create({ title: 'Nieuw', submittedCount: 5 })).toBe('refused');
    expect(create({ title: 'Nieuw', state: 'scheduled', sendAt: LATER }, AUTHOR)).toBe('forbidden');
    expect(create({ title: 'Nieuw', state: 'sent' })).toBe('refused');
    const edition = {
      id: 1,
      documentId: 'e1',
      state: 'sent',
      title: 'Editie',
      introNl: 'Hoi',
      keepOutOfArchive: false,
      cutoff: '2026-11-01T00:00:00.000Z',
      periodKey: 'p',
    };
    expect(
      judgeMailingChange({ kind: 'edition', action: 'update', stored: edition, data: { ...edition, keepOutOfArchive: true }, role: AUTHOR, now: NOW }),
    ).toMatchObject({ allowed: false, reason: 'forbidden' });
    expect(
      judgeMailingChange({
        kind: 'edition',
        action: 'update',
        stored: { ...edition, state: 'draft' },
        data: { cutoff: '2020-01-01T00:00:00.000Z' },
        role: EDITOR,
        now: NOW,
      }),
    ).toMatchObject({ allowed: false, reason: 'refused' });
  });
});

describe('a copy (the Content Manager\'s "duplicate")', () => {
  it('of a sent campaign is a draft never sent: no counts, no send time, in the archive again by default', () => {
    const verdict = judgeMailingChange({ kind: 'campaign', action: 'clone', stored: null, data: { title: 'Kopie' }, role: EDITOR, now: NOW });
    expect(verdict).toMatchObject({
      allowed: true,
      data: {
        title: 'Kopie',
        state: 'draft',
        sendAt: null,
        keepOutOfArchive: false,
        recipientsCount: 0,
        deliveredCount: 0,
        plannedAt: null,
        sentAt: null,
        notes: null,
      },
    });
    const edition = judgeMailingChange({ kind: 'edition', action: 'clone', stored: null, data: {}, role: EDITOR, now: NOW });
    expect(edition).toMatchObject({ allowed: true, data: { state: 'draft', scheduledAt: null, periodKey: null } });
    expect(edition.allowed && 'cutoff' in edition.data).toBe(false);
    expect(outcome(judgeMailingChange({ kind: 'campaign', action: 'clone', stored: null, data: { recipientsCount: 9 }, role: EDITOR, now: NOW }))).toBe(
      'refused',
    );
  });
});
