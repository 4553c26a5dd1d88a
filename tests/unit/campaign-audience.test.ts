import { describe, expect, it } from 'vitest';
import { audienceLocales, audiencePrefilter, campaignVariantKey, inAudience, toAudience, type CampaignAudience } from '../../src/mailings/campaign/audience';

const everyone: CampaignAudience = { themes: [], locale: null };
const member = (preferredLocale: string | null, themes: string[] | null) => ({ preferredLocale, themes });

describe('campaign audience', () => {
  it('everyone: every reader, in either language, whatever they follow', () => {
    for (const reader of [member('nl', []), member('en', ['a']), member('nl', null), member('en', ['x', 'y'])]) expect(inAudience(everyone, reader)).toBe(true);
  });

  it('themes: readers who follow at least one of the chosen themes', () => {
    const audience = toAudience({ themes: ['verandermanagement', 'meten-van-leercultuur'] });
    expect(inAudience(audience, member('nl', ['verandermanagement']))).toBe(true);
    expect(inAudience(audience, member('en', ['technologie', 'meten-van-leercultuur']))).toBe(true);
    expect(inAudience(audience, member('nl', ['technologie']))).toBe(false);
  });

  it('themes: readers who chose no themes subscribed to everything, so they are in', () => {
    const audience = toAudience({ themes: ['verandermanagement'] });
    expect(inAudience(audience, member('nl', []))).toBe(true);
    expect(inAudience(audience, member('en', null))).toBe(true);
  });

  it('language: only readers of that language (anything but en reads as nl, like the edition)', () => {
    const dutch = toAudience({ locale: 'nl' });
    const english = toAudience({ locale: 'en' });
    expect(inAudience(dutch, member('nl', []))).toBe(true);
    expect(inAudience(dutch, member('en', []))).toBe(false);
    expect(inAudience(english, member('en', ['a']))).toBe(true);
    expect(inAudience(english, member(null, []))).toBe(false);
    expect(inAudience(dutch, member(null, []))).toBe(true);
  });

  it('themes and language together: both must hold', () => {
    const audience = toAudience({ themes: ['a'], locale: 'en' });
    expect(inAudience(audience, member('en', ['a']))).toBe(true);
    expect(inAudience(audience, member('en', []))).toBe(true);
    expect(inAudience(audience, member('nl', ['a']))).toBe(false);
    expect(inAudience(audience, member('en', ['b']))).toBe(false);
  });

  it('the SQL pre-filter is the locale only, and never excludes a reader the rule lets in', () => {
    expect(audiencePrefilter(everyone)).toEqual({ preferredLocale: null });
    expect(audiencePrefilter(toAudience({ themes: ['a'], locale: 'en' }))).toEqual({ preferredLocale: 'en' });
    const audiences = [everyone, toAudience({ locale: 'nl' }), toAudience({ locale: 'en', themes: ['a'] }), toAudience({ themes: ['b'] })];
    const readers = [member('nl', []), member('en', []), member('nl', ['a']), member('en', ['a', 'b']), member('en', ['c'])];
    for (const audience of audiences) {
      const { preferredLocale } = audiencePrefilter(audience);
      for (const reader of readers) {
        const passesSql = preferredLocale === null || reader.preferredLocale === preferredLocale;
        if (inAudience(audience, reader)) expect(passesSql).toBe(true);
      }
    }
  });

  it('the languages that can have recipients, and one variant per language', () => {
    expect(audienceLocales(everyone)).toEqual(['nl', 'en']);
    expect(audienceLocales(toAudience({ locale: 'en' }))).toEqual(['en']);
    expect(campaignVariantKey(member('en', ['a']))).toBe('en');
    expect(campaignVariantKey(member('nl', ['a']))).toBe('nl');
  });

  it('normalises stored values: unique, trimmed, sorted slugs; no locale is both; an unknown locale is an error', () => {
    expect(toAudience({ themes: [' b', 'a', 'b', '', null], locale: '' })).toEqual({ themes: ['a', 'b'], locale: null });
    expect(toAudience({})).toEqual({ themes: [], locale: null });
    expect(() => toAudience({ locale: 'de' })).toThrow(/Unknown audience locale "de"/);
  });
});
