import { describe, expect, it } from 'vitest';
import { FIELD_HINTS, HIDDEN_FIELDS } from '../../src/boot/admin-hints';
import { CONTENT_TYPES } from '../../src/core/content-types';
import { hintInLanguage, translateLayoutHints } from '../../src/admin/edit/field-hints';

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
    expect(hintInLanguage('Platte tekst · Plain text', 'nl')).toBe('Platte tekst');
    expect(hintInLanguage('Platte tekst · Plain text', 'en')).toBe('Plain text');
    expect(hintInLanguage('Zonder vertaling', 'en')).toBe('Zonder vertaling');
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
