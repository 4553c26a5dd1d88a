import { describe, expect, it } from 'vitest';
import { FIELD_HINTS, HIDDEN_FIELDS } from '../../src/boot/admin-hints';
import { CONTENT_TYPES } from '../../src/core/content-types';
import { translateLayoutHints } from '../../src/admin/edit/field-hints';
import { inLanguage } from '../../src/core/bilingual';

describe('help under fields, in the admin language only', () => {
  it('every hint holds a Dutch and an English half, written for editors (no setting names)', () => {
    for (const [uid, hints] of Object.entries(FIELD_HINTS)) {
      for (const [field, hint] of Object.entries(hints)) {
        expect(hint.split(' · '), `${uid}.${field}`).toHaveLength(2);
        expect(hint, `${uid}.${field}`).not.toMatch(/[A-Z][A-Z_]{4,}/);
      }
    }
  });

  it('keeps the half of the panel language', () => {
    expect(inLanguage('Platte tekst · Plain text', 'nl')).toBe('Platte tekst');
    expect(inLanguage('Platte tekst · Plain text', 'en')).toBe('Plain text');
    expect(inLanguage('Zonder vertaling', 'en')).toBe('Zonder vertaling');
    // The sending rules' refusals: English first.
    expect(inLanguage('This campaign was sent and cannot be changed. / Deze campagne is verstuurd.', 'nl-NL')).toBe('Deze campagne is verstuurd.');
    expect(inLanguage('This campaign was sent and cannot be changed. / Deze campagne is verstuurd.', 'en')).toBe(
      'This campaign was sent and cannot be changed.',
    );
  });

  it('translates the hints of an edit layout, components included, leaving the rest', () => {
    const field = (name: string, hint?: string) => ({ name, size: 6, ...(hint ? { hint } : {}) });
    const layout = { layout: [[[field('a', 'Een · One'), field('b')]]], components: { c: { layout: [[field('d', 'Twee · Two')]] } }, options: { x: 1 } };
    expect(translateLayoutHints({ layout, query: {} }, 'en')).toEqual({
      layout: { layout: [[[field('a', 'One'), field('b')]]], components: { c: { layout: [[field('d', 'Two')]] } }, options: { x: 1 } },
      query: {},
    });
  });

  it("the sending's fields are not in the mailing forms: the Sending panel shows and sets them", () => {
    for (const uid of [CONTENT_TYPES.edition, CONTENT_TYPES.campaign]) {
      expect(HIDDEN_FIELDS[uid]).toEqual(
        expect.arrayContaining(['state', 'recipientsCount', 'submittedCount', 'deliveredCount', 'plannedAt', 'sentAt', 'notes']),
      );
      expect(Object.keys(FIELD_HINTS[uid]).filter((field) => HIDDEN_FIELDS[uid].includes(field))).toEqual([]);
    }
  });
});
