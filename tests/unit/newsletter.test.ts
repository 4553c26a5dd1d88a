import { readMailSettings } from '../../src/settings/mail';
import { describe, expect, it } from 'vitest';
import { editionTitle, selectEditionItems, type ContentCandidate } from '../../src/mailings/edition/assembly';
import { BatchPlanner } from '../../src/mailings/engine/batching';
import { mailingHeaders, mailingRecipient, personalizationJson } from '../../src/mail/personalization';
import { createPersonalizer, createThreadedPersonalizer } from '../../src/mail/personalizer';
import { toPrebuiltRequest, toSendGridRequest } from '../../src/mail/outgoing-mail';
import { toWireBody, toWireJson } from '../../src/mail/provider';
import { PersonalizationList } from '../../src/mail/personalization-list';
import {
  buildVariantModel,
  cutOnWord,
  parseVariantKey,
  PREHEADER_MAX,
  variantFor,
  variantKey,
  variantPreheader,
  type ResolvedItem,
} from '../../src/mailings/edition/variants';
import { verifyLinkToken } from '../../src/core/domain/tokens';

const at = (iso: string) => new Date(iso);
const candidate = (documentId: string, locale: 'nl' | 'en', publishedAt: string, type: 'article' | 'resource' = 'article'): ContentCandidate => ({
  type,
  documentId,
  locale,
  publishedAt,
  title: `${documentId}-${locale}`,
});

describe('what goes in an edition', () => {
  const window = { after: at('2026-10-06T07:00:00Z'), until: at('2026-11-03T08:00:00Z') };

  it('takes items published after the previous cut-off, up to and including this one', () => {
    const items = selectEditionItems(
      [
        candidate('on-previous-cutoff', 'nl', '2026-10-06T07:00:00.000Z'),
        candidate('just-after', 'nl', '2026-10-06T07:00:00.001Z'),
        candidate('on-cutoff', 'nl', '2026-11-03T08:00:00.000Z'),
        candidate('after-cutoff', 'nl', '2026-11-03T08:00:00.001Z'),
      ],
      window,
      new Set(),
    );
    expect(items.map((item) => item.documentId).sort()).toEqual(['just-after', 'on-cutoff']);
  });

  it('uses the publication time, not the calendar month', () => {
    const items = selectEditionItems(
      [candidate('late-october', 'nl', '2026-10-30T12:00:00Z'), candidate('early-november', 'nl', '2026-11-01T12:00:00Z')],
      window,
      new Set(),
    );
    expect(items).toHaveLength(2);
  });

  it('never sends an item twice, also not when it was republished later', () => {
    const items = selectEditionItems(
      [candidate('republished', 'nl', '2026-10-20T10:00:00Z'), candidate('fresh', 'nl', '2026-10-21T10:00:00Z')],
      window,
      new Set(['article:republished']),
    );
    expect(items.map((item) => item.documentId)).toEqual(['fresh']);
  });

  it('takes an item republished in this window that never went out', () => {
    expect(selectEditionItems([candidate('back', 'nl', '2026-10-25T10:00:00Z')], window, new Set())).toHaveLength(1);
  });

  it('joins the locales of one item; its time is the earliest publication', () => {
    const [item] = selectEditionItems([candidate('both', 'en', '2026-10-22T10:00:00Z'), candidate('both', 'nl', '2026-10-20T10:00:00Z')], window, new Set());
    expect(item.locales).toEqual(['en', 'nl']);
    expect(item.publishedAt).toBe('2026-10-20T10:00:00Z');
    // A translation published after the original went out does not bring the item back.
    expect(selectEditionItems([candidate('both', 'en', '2026-10-22T10:00:00Z'), candidate('both', 'nl', '2026-09-20T10:00:00Z')], window, new Set())).toEqual(
      [],
    );
  });

  it('puts articles first, newest first, then resources', () => {
    const items = selectEditionItems(
      [candidate('r', 'nl', '2026-10-30T10:00:00Z', 'resource'), candidate('a1', 'nl', '2026-10-10T10:00:00Z'), candidate('a2', 'nl', '2026-10-20T10:00:00Z')],
      window,
      new Set(),
    );
    expect(items.map((item) => item.documentId)).toEqual(['a2', 'a1', 'r']);
  });

  it('the first edition has no previous cut-off', () => {
    expect(selectEditionItems([candidate('old', 'nl', '2020-01-01T00:00:00Z')], { after: null, until: window.until }, new Set())).toHaveLength(1);
  });

  it('an empty month selects nothing', () => {
    expect(selectEditionItems([], window, new Set())).toEqual([]);
  });

  it("titles the edition by its month, in the reader's language and time zone", () => {
    expect(editionTitle(at('2026-11-03T08:00:00Z'), 'nl')).toBe('Nieuwsbrief november 2026');
    expect(editionTitle(at('2026-11-30T23:30:00Z'), 'en')).toBe('Newsletter December 2026');
  });
});

describe('variants', () => {
  const editionThemes = new Set(['a', 'b']);

  it("reduce a reader's themes to those in the edition", () => {
    expect(variantFor('nl', ['c', 'b', 'a', 'b'], editionThemes)).toEqual({ locale: 'nl', themes: ['a', 'b'] });
    expect(variantKey(variantFor('en', ['c'], editionThemes))).toBe(variantKey(variantFor('en', [], editionThemes)));
    expect(parseVariantKey(variantKey({ locale: 'en', themes: ['a', 'b'] }))).toEqual({ locale: 'en', themes: ['a', 'b'] });
  });

  const item = (key: string, themes: string[], locales: Array<'nl' | 'en'>): ResolvedItem => ({
    key,
    themes,
    content: Object.fromEntries(
      locales.map((locale) => [locale, { kind: 'article' as const, title: `${key} ${locale}`, summary: null, url: `https://example.org/${key}` }]),
    ),
  });
  const text = { title: { nl: 'Nieuwsbrief', en: 'Newsletter' }, intro: { nl: null, en: 'Hello' } };
  const themes = [
    { slug: 'a', name: { nl: 'Thema A', en: 'Theme A' } },
    { slug: 'b', name: { nl: 'Thema B', en: 'Theme B' } },
  ];
  const items = [item('x', ['a'], ['nl', 'en']), item('y', ['b', 'a'], ['nl']), item('z', [], ['en'])];

  it("takes the editors' subject and preheader of the variant's language; without them the defaults", () => {
    const own = { ...text, subject: { nl: 'Onderwerp', en: null }, preheader: { nl: null, en: 'Our own line' } };
    const en = buildVariantModel(own, items, themes, { locale: 'en', themes: [] });
    const nl = buildVariantModel(own, items, themes, { locale: 'nl', themes: [] });
    expect([en.subject, en.preheader]).toEqual([null, 'Our own line']);
    expect([nl.subject, nl.preheader]).toEqual(['Onderwerp', 'x nl · y nl · z en']);
    expect(buildVariantModel(text, items, themes, { locale: 'nl', themes: [] }).subject).toBeNull();
  });

  it('puts followed themes first, the rest after, each item once', () => {
    const model = buildVariantModel(text, items, themes, { locale: 'en', themes: ['b'] });
    expect(model.followed.map((s) => [s.heading, s.items.map((i) => i.title)])).toEqual([['Theme B', ['y nl']]]);
    expect(model.sections.map((s) => [s.heading, s.items.map((i) => i.title)])).toEqual([
      ['Theme A', ['x en']],
      ['More from the network', ['z en']],
    ]);
  });

  it('shows an item that a bundle of the same edition contains only inside the bundle', () => {
    const part = item('part', ['a'], ['nl', 'en']);
    const bundle: ResolvedItem = {
      key: 'bundle',
      themes: ['b'],
      content: {
        nl: {
          kind: 'resource',
          resourceKind: 'bundle',
          title: 'Bundel',
          summary: null,
          url: 'https://example.org/bundle',
          bundleItems: [{ title: 'part nl', url: 'https://example.org/part', resourceKind: 'tool' }],
        },
      },
    };
    const model = buildVariantModel(text, [bundle, part, items[0]], themes, { locale: 'nl', themes: [] });
    const titles = [...model.followed, ...model.sections].flatMap((section) => section.items.map((shown) => shown.title));
    expect(titles).toEqual(['x nl', 'Bundel']);
  });

  it('writes each variant its own preheader: the first items this reader sees', () => {
    expect(buildVariantModel(text, items, themes, { locale: 'en', themes: ['b'] }).preheader).toBe('y nl · x en · z en');
    expect(buildVariantModel(text, items, themes, { locale: 'en', themes: [] }).preheader).toBe('x en · y nl · z en');
  });

  it('cuts a preheader on a word, never mid-word', () => {
    const long =
      'Lerend netwerk Leercultuur afgerond: wat twaalf zorgorganisaties een halfjaar lang leerden · Inspiratiebundel Leercultuur · Rapport opbrengsten lerend netwerk Leercultuur';
    const cut = variantPreheader(long.split(' · '));
    expect(cut.length).toBeLessThanOrEqual(PREHEADER_MAX);
    expect(cut).toMatch(/…$/);
    expect(long.startsWith(cut.slice(0, -1))).toBe(true);
    expect(long[cut.length - 1]).toBe(' ');
    expect(cutOnWord('kort', 140)).toBe('kort');
    expect(cutOnWord('x'.repeat(200), 140)).toHaveLength(140);
  });

  it('shows an untranslated item in the language it has, marked with that language', () => {
    const model = buildVariantModel(text, items, themes, { locale: 'en', themes: [] });
    const y = [...model.followed, ...model.sections].flatMap((s) => s.items).find((i) => i.title === 'y nl');
    expect(y?.language).toBe('nl');
    expect(model.followed).toEqual([]);
    expect(model.intro).toBe('Hello');
  });
});

describe('batches', () => {
  it('fill per variant up to the size, and flush the rest', () => {
    const planner = new BatchPlanner<number>(2);
    expect(planner.add('nl|', 1)).toBeNull();
    expect(planner.add('en|', 2)).toBeNull();
    expect(planner.add('nl|', 3)).toEqual({ variant: 'nl|', recipients: [1, 3] });
    expect(planner.flush()).toEqual([{ variant: 'en|', recipients: [2] }]);
    expect(planner.flush()).toEqual([]);
  });

  it('refuse sizes SendGrid would refuse', () => {
    expect(() => new BatchPlanner(1001)).toThrow();
    expect(() => new BatchPlanner(0)).toThrow();
  });
});

describe("a recipient's personalization", () => {
  const recipe = { publicUrl: 'https://cms.example.org', viewUrl: 'https://cms.example.org/v', locale: 'nl' as const, unsubscribeMailbox: null };
  const anna = { subscriberDocumentId: 'doc7', email: 'anna@example.org', name: 'Anna', linkKey: 'k'.repeat(22) };

  it('carries signed links, one-click headers (the List-Id and one-click once per request) and ids without personal data', () => {
    const recipient = mailingRecipient(recipe, anna, 's');
    const unsubscribe = recipient.substitutions.unsubscribe_url;
    expect(recipient.headers).toEqual({ 'List-Unsubscribe': `<${unsubscribe}>` });
    expect(mailingHeaders('Zorgnetwerk Rotterdam <nieuwsbrief.example.org>')).toEqual({
      'List-Id': 'Zorgnetwerk Rotterdam <nieuwsbrief.example.org>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    const token = new URL(unsubscribe).searchParams.get('token');
    expect(verifyLinkToken(token, 'unsubscribe', 's').ok).toBe(true);
    expect(recipient.customArgs).toEqual({ subscriber_id: 'doc7' });
    expect(recipient.substitutions.greeting).toBe('Hallo Anna,');
  });

  it("links the web version without a token: the variant's public page, the same for every reader", () => {
    const other = { ...anna, subscriberDocumentId: 'doc8', email: 'bert@example.org', name: 'Bert', linkKey: 'b'.repeat(22) };
    expect(mailingRecipient(recipe, anna, 's').substitutions.view_url).toBe('https://cms.example.org/v');
    expect(mailingRecipient(recipe, other, 's').substitutions.view_url).toBe('https://cms.example.org/v');
    expect(personalizationJson(recipe, anna, 's')).toContain('"%view_url%":"https://cms.example.org/v"');
  });

  it('offers a processed unsubscribe mailbox as mailto: after the https link, with the same signed token', () => {
    const recipient = mailingRecipient({ ...recipe, unsubscribeMailbox: 'afmelden@example.org' }, anna, 's');
    const token = new URL(recipient.substitutions.unsubscribe_url).searchParams.get('token')!;
    expect(recipient.headers!['List-Unsubscribe']).toBe(
      `<${recipient.substitutions.unsubscribe_url}>, <mailto:afmelden@example.org?subject=${encodeURIComponent(`unsubscribe ${token}`)}>`,
    );
  });
});

describe('prebuilt personalizations (the worker builds them in a thread)', () => {
  const recipe = {
    publicUrl: 'https://cms.example.org',
    viewUrl: 'https://cms.example.org/v?variant=nl',
    locale: 'nl' as const,
    unsubscribeMailbox: 'afmelden@example.org',
  };
  const rows = Array.from({ length: 5 }, (_, i) => ({
    subscriberDocumentId: `doc${i}`,
    email: `r${i}@example.org`,
    name: i % 2 ? `Lezer "${i}" <b>` : null,
    linkKey: `${'k'.repeat(21)}${i}`,
    customArgs: { delivery: (i + 10).toString(36) },
  }));
  const mail = {
    from: { email: 'nieuwsbrief@example.org', name: 'Zorgnetwerk' },
    subject: 'Nieuws',
    html: '<p>%greeting%</p>',
    text: '%greeting%',
    headers: mailingHeaders('L <l.example.org>'),
    categories: ['edition'],
    customArgs: { edition_id: 'e1', mailing: 'edition:1' },
  };

  it('make the same request body as the recipients built in this thread and serialised by the provider', () => {
    const prebuilt = toWireJson(toPrebuiltRequest(mail, PersonalizationList.of(rows.map((row) => personalizationJson(recipe, row, 's'))))).toString('utf8');
    const classic = toWireBody(toSendGridRequest({ ...mail, recipients: rows.map((row) => mailingRecipient(recipe, row, 's')) }));
    expect(JSON.parse(prebuilt)).toEqual(classic);
    expect(JSON.parse(prebuilt).personalizations[1].substitutions['%greeting%']).toBe('Hallo Lezer "1" b,');
  });

  it('are written as JSON text that reads back as the recipient, whatever their name and address hold', () => {
    const odd = [
      {
        subscriberDocumentId: 'doc"x',
        email: 'zoë+\\"q"@example.org',
        name: 'Zoë \\ "de" Vries\n\t\u0001 🌷',
        linkKey: 'k'.repeat(22),
        customArgs: { delivery: 'a1', 'x"y': 'z\\' },
      },
      { subscriberDocumentId: 'doc2', email: 'r@example.org', name: null, linkKey: 'm'.repeat(22) },
    ];
    for (const row of odd) {
      const recipient = mailingRecipient(recipe, row, 's');
      const wire = toWireBody(toSendGridRequest({ ...mail, recipients: [recipient] })) as { personalizations: unknown[] };
      expect(JSON.parse(personalizationJson(recipe, row, 's'))).toEqual(wire.personalizations[0]);
    }
  });

  it('the thread builds what this thread builds, in order, and a closed one refuses instead of hanging', async () => {
    const here = createPersonalizer('s');
    const thread = createThreadedPersonalizer('s');
    try {
      const [a, b] = await Promise.all([thread.build(recipe, rows), thread.build(recipe, rows.slice(2))]);
      // Byte for byte, and as JSON texts in order.
      expect(Buffer.from(a.bytes).equals(Buffer.from((await here.build(recipe, rows)).bytes))).toBe(true);
      expect(a.toJsonArray()).toEqual(rows.map((row) => personalizationJson(recipe, row, 's')));
      expect(b.toJsonArray()).toEqual((await here.build(recipe, rows.slice(2))).toJsonArray());
      expect((await thread.build(recipe, [])).length).toBe(0);
    } finally {
      await thread.close();
    }
    const pending = createThreadedPersonalizer('s');
    const request = pending.build(recipe, rows);
    await pending.close();
    await expect(request).rejects.toThrow(/closed|exited/);
  });
});

describe('sender and list settings', () => {
  it('the sender is the organisation unless MAIL_FROM names someone; List-Id from the organisation and the sender address', () => {
    expect(readMailSettings({}).from).toEqual({ email: 'nieuwsbrief@example.org', name: 'Zorgnetwerk Rotterdam' });
    expect(readMailSettings({ ORGANISATION_NAME: 'Zorgnetwerk Delft', MAIL_FROM: 'post@delft.example' }).from).toEqual({
      email: 'post@delft.example',
      name: 'Zorgnetwerk Delft',
    });
    expect(readMailSettings({ MAIL_FROM: 'Redactie <r@example.org>' }).from).toEqual({ email: 'r@example.org', name: 'Redactie' });
    expect(readMailSettings({}).listId).toBe('Zorgnetwerk Rotterdam <nieuwsbrief.example.org>');
    expect(readMailSettings({ MAIL_UNSUBSCRIBE_MAILBOX: 'afmelden@example.org' }).unsubscribeMailbox).toBe('afmelden@example.org');
    expect(() => readMailSettings({ MAIL_UNSUBSCRIBE_MAILBOX: 'nope' })).toThrow(/MAIL_UNSUBSCRIBE_MAILBOX must be an email address/);
  });
});
