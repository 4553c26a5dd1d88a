import { describe, expect, it } from 'vitest';
import { checkSubscriberFilter } from '../../src/gdpr/subscriber-filter';

describe('which readers of the list (the one check of the CLI, the admin page and the API)', () => {
  it('takes a state, a language and a theme slug; empty or missing is no filter', () => {
    expect(checkSubscriberFilter({ state: 'active', locale: 'nl', theme: 'verandermanagement' })).toEqual({
      ok: true,
      value: { state: 'active', locale: 'nl', theme: 'verandermanagement' },
    });
    expect(checkSubscriberFilter({ state: '', locale: undefined, theme: null })).toEqual({ ok: true, value: {} });
  });

  it('refuses anything else with the field and a sentence in English and in Dutch', () => {
    expect(checkSubscriberFilter({ state: 'weg' })).toEqual({
      ok: false,
      field: 'state',
      message: {
        en: 'state must be one of pending, active, unsubscribed, bounced, complained',
        nl: 'De status moet een van pending, active, unsubscribed, bounced, complained zijn',
      },
    });
    expect(checkSubscriberFilter({ locale: 'de' })).toMatchObject({ ok: false, field: 'locale', message: { en: 'locale must be nl or en' } });
    for (const theme of ['Grote Letters', '../etc', ['a'], 'x'.repeat(300)])
      expect(checkSubscriberFilter({ theme }), String(theme)).toMatchObject({ ok: false, field: 'theme' });
    expect(checkSubscriberFilter({ state: ['active'] })).toMatchObject({ ok: false, field: 'state' });
  });
});
