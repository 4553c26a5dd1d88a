import { describe, expect, it } from 'vitest';
import { createPersonalizer } from '../../src/mail/personalizer';
import { checkDocumentId, checkLocale, checkMailingKind, checkSendTime, checkTestAddresses } from '../../src/mailings/desk/input';
import { progressOf } from '../../src/mailings/desk/progress';
import { createDesk, type DeskDeps } from '../../src/mailings/desk/desk';
import type { MailingReport } from '../../src/mailings/engine/mailings';
import { sendMailing } from '../../src/mailings/engine/send-mailing';
import type { MailingProducer, MailingRef } from '../../src/mailings/engine/mailing';
import { countAudience } from '../../src/mailings/engine/audience-count';
import { MailingRefusal } from '../../src/mailings/engine/refusal';
import { MemorySendingStore } from './support/memory-sending-store';

const message = (checked: { ok: boolean; message?: string }) => (checked.ok ? null : checked.message);

describe('desk input at the edge', () => {
  it('accepts 1 to 5 distinct valid test addresses, typed as a list or one line, normalised', () => {
    expect(checkTestAddresses(' A@Example.org; b@example.org,\nc@example.org a@example.org ')).toEqual({
      ok: true,
      value: ['a@example.org', 'b@example.org', 'c@example.org'],
    });
    expect(checkTestAddresses(['x@example.org'])).toEqual({ ok: true, value: ['x@example.org'] });
  });

  it('refuses no address, more than 5, invalid ones (named) and anything not text', () => {
    expect(message(checkTestAddresses(''))).toBe('Enter at least one email address');
    expect(message(checkTestAddresses([1, 2, 3, 4, 5, 6].map((n) => `${n}@example.org`)))).toBe('At most 5 addresses per test send (you entered 6)');
    expect(message(checkTestAddresses('ok@example.org, nope, also@bad'))).toBe('Not a valid email address: nope, also@bad');
    expect(message(checkTestAddresses({ to: 'a@example.org' }))).toBe('addresses must be a list of email addresses');
    expect(message(checkTestAddresses(['a@example.org', 3]))).toBe('addresses must be a list of email addresses');
  });

  it('takes ISO send times with a zone and refuses others, also dates that do not exist', () => {
    expect(checkSendTime('2027-01-12T09:00:00+01:00')).toEqual({ ok: true, value: new Date('2027-01-12T08:00:00.000Z') });
    expect(checkSendTime('2027-01-12T08:00Z')).toEqual({ ok: true, value: new Date('2027-01-12T08:00:00.000Z') });
    for (const bad of ['2027-01-12', '2027-01-12T09:00:00', 'tomorrow', 20270112, null])
      expect(message(checkSendTime(bad)), String(bad)).toMatch(/ISO date and time/);
    for (const missing of ['2027-02-31T09:00:00+01:00', '2027-13-01T09:00:00Z', '2027-01-12T25:00:00Z'])
      expect(message(checkSendTime(missing)), missing).toMatch(/not a date and time that exists/);
  });

  it('checks kinds, document ids and locales', () => {
    expect(checkMailingKind('campaign')).toEqual({ ok: true, value: 'campaign' });
    expect(message(checkMailingKind('newsletter'))).toMatch(/kind must be/);
    expect(checkDocumentId('abc123XYZ_-')).toEqual({ ok: true, value: 'abc123XYZ_-' });
    for (const bad of ['', 'a b', '../x', 'x'.repeat(65), 12]) expect(message(checkDocumentId(bad))).toMatch(/documentId must be/);
    expect(checkLocale('en')).toEqual({ ok: true, value: 'en' });
    expect(message(checkLocale('de'))).toBe('locale must be "nl" or "en"');
  });
});

const report = (fields: Partial<MailingReport>): MailingReport => ({
  kind: 'campaign',
  id: 1,
  documentId: 'doc',
  title: 'T',
  state: 'sending',
  sendAt: null,
  recipients: 0,
  queued: 0,
  submitted: 0,
  failed: 0,
  suppressed: 0,
  unknown: 0,
  cancelled: 0,
  variants: 0,
  notes: null,
  delivered: 0,
  deferred: 0,
  bounced: 0,
  dropped: 0,
  spamReports: 0,
  unsubscribes: 0,
  trackEngagement: false,
  awaitingResolution: [],
  ...fields,
});

describe('progress', () => {
  it('counts every settled fate against the recipients', () => {
    const progress = progressOf(report({ recipients: 10, queued: 4, submitted: 3, failed: 1, suppressed: 1, unknown: 1 }));
    expect([progress.settled, progress.ratio, progress.final]).toEqual([6, 0.6, false]);
  });

  it('is empty before planning, full and final once sent, cancelled or without recipients', () => {
    expect(progressOf(report({ state: 'scheduled' })).ratio).toBe(0);
    expect(progressOf(report({ state: 'sent', recipients: 2, submitted: 2 }))).toMatchObject({ ratio: 1, final: true });
    expect(progressOf(report({ state: 'cancelled', recipients: 4, submitted: 1, cancelled: 3 }))).toMatchObject({ ratio: 1, final: true });
    expect(progressOf(report({ state: 'skipped' }))).toMatchObject({ ratio: 1, final: true });
  });
});

describe('send now and schedule', () => {
  const ref: MailingRef = { kind: 'campaign', id: 7 };
  const NOW = Date.parse('2027-01-01T10:00:00Z');
  const fakes = () => {
    const calls: string[] = [];
    return {
      calls,
      deps: {
        now: () => NOW,
        // The engine reads "now" from its own clock; this one's is NOW.
        engine: {
          schedule: async (r: MailingRef, when: Date | 'now') => {
            const at = when === 'now' ? new Date(NOW) : when;
            calls.push(`schedule ${r.id} ${at.toISOString()}`);
            return { ref: r, documentId: 'd', title: 't', state: 'scheduled' as const, sendAt: at, plannedAt: null, trackEngagement: false, remainderOf: null };
          },
        },
        enqueuePlan: async (r: MailingRef) => void calls.push(`plan ${r.id}`),
      },
    };
  };

  it('schedules now and queues the planning job at once', async () => {
    const { calls, deps } = fakes();
    expect((await sendMailing(deps, ref)).now).toBe(true);
    expect(calls).toEqual(['schedule 7 2027-01-01T10:00:00.000Z', 'plan 7']);
  });

  it('schedules a later time without queueing anything (the worker plans it when due)', async () => {
    const { calls, deps } = fakes();
    expect((await sendMailing(deps, ref, new Date('2027-01-02T09:00:00Z'))).now).toBe(false);
    expect(calls).toEqual(['schedule 7 2027-01-02T09:00:00.000Z']);
  });

  it('queues nothing when the engine refuses', async () => {
    const { calls, deps } = fakes();
    deps.engine.schedule = async () => Promise.reject(new Error('refused'));
    await expect(sendMailing(deps, ref)).rejects.toThrow('refused');
    expect(calls).toEqual([]);
  });
});

describe('previews', () => {
  it('fills the greeting of a sample reader and general links, keeping subject, preheader and text; Dutch first, themes by name', async () => {
    const deps = {
      publicUrl: 'https://cms.example',
      renderVariants: async () => [
        { key: 'en', locale: 'en' as const, rendered: { subject: 'Subject', preheader: 'Pre', html: '<p>%greeting%</p>', text: '%greeting%' } },
        {
          key: 'nl|jeugd',
          locale: 'nl' as const,
          themes: ['jeugd', 'onbekend'],
          rendered: { subject: 'Jeugd', preheader: 'Voor', html: '<p>%greeting%</p>', text: '%greeting%' },
        },
        {
          key: 'nl|',
          locale: 'nl' as const,
          themes: [],
          rendered: { subject: 'Onderwerp', preheader: 'Voor', html: '<p>%greeting%</p><a href="%unsubscribe_url%">x</a>', text: '%greeting%\nTekst' },
        },
      ],
      themeNames: async () => [{ slug: 'jeugd', name: { nl: 'Jeugd', en: 'Youth' } }],
    } as unknown as DeskDeps;
    const [nl, nlJeugd, en] = await createDesk(deps).previews({ kind: 'edition', id: 1 });
    expect(nl).toEqual({
      key: 'nl|',
      locale: 'nl',
      themes: [],
      themeNames: [],
      subject: 'Onderwerp',
      preheader: 'Voor',
      greeting: 'Hallo Sanne,',
      html: '<p>Hallo Sanne,</p><a href="https://cms.example/newsletter/manage?lang=nl">x</a>',
      text: 'Hallo Sanne,\nTekst',
    });
    // A theme without a published name keeps its slug.
    expect([nlJeugd.key, nlJeugd.themeNames]).toEqual([
      'nl|jeugd',
      [
        { nl: 'Jeugd', en: 'Youth' },
        { nl: 'onbekend', en: 'onbekend' },
      ],
    ]);
    expect([en.greeting, en.themes, en.text]).toEqual(['Hi Sam,', [], 'Hi Sam,']);
  });
});

describe('audience count', () => {
  const ref: MailingRef = { kind: 'campaign', id: 3 };
  const setup = (variantFor: (subscriber: { preferredLocale: string | null; themes: string[] }) => string | null) => {
    const store = new MemorySendingStore();
    store.addMailing(ref, { state: 'draft' });
    // 2500 readers: more than one keyset page, every third one English.
    store.addSubscribers(Array.from({ length: 2500 }, (_, i) => ({ id: i + 1, preferredLocale: i % 3 === 0 ? 'en' : 'nl' })));
    const producer: MailingProducer = {
      kind: 'campaign',
      prepare: async () => ({ audience: { preferredLocale: null }, variantFor, render: async () => ({ subject: '', html: '', text: '' }) }),
      envelope: () => ({
        categories: [],
        customArgs: {},
        headers: {},
        personalization: { publicUrl: 'https://cms.example.org', viewUrl: 'https://cms.example.org/v', locale: 'nl', unsubscribeMailbox: null },
      }),
    };
    return {
      store,
      deps: {
        store,
        producers: [producer],
        personalizer: createPersonalizer('test-secret'),
        send: async () => ({ messageId: null }),
        settings: { from: { email: 'x@example.org' }, batchSize: 10, leaseMs: 1000, unknownFateQuietMs: null, engagementTrackingAllowed: false },
        log: () => undefined,
      },
    };
  };

  it("counts the readers the producer's rule lets in, across pages, without planning anything", async () => {
    const { store, deps } = setup((subscriber) => (subscriber.preferredLocale === 'en' ? 'en' : null));
    expect(await countAudience(deps, ref)).toBe(834);
    await expect(store.mailing(ref)).resolves.toMatchObject({ state: 'draft' });
  });

  it("passes the producer's refusal on, and refuses a mailing that does not exist", async () => {
    const { deps } = setup(() => 'nl');
    deps.producers[0].prepare = async () => Promise.reject(new MailingRefusal('invalid', 'featured item 2 is a draft'));
    await expect(countAudience(deps, ref)).rejects.toThrow('featured item 2 is a draft');
    await expect(countAudience(deps, { kind: 'campaign', id: 99 })).rejects.toMatchObject({ code: 'missing' });
  });
});
