import { describe, expect, it } from 'vitest';
import { checkEmail, parsePreferencesChange, parseSubscriptionRequest } from '../../src/core/domain/subscription-request';

const themes = new Set(['verandermanagement', 'meten-van-leercultuur']);
const valid = { email: ' Anna@Example.org ', locale: 'nl', themes: ['verandermanagement'], consent: true };

describe('email check', () => {
  it.each([
    ['anna@example.org', 'anna@example.org'],
    ['  ANNA.Jansen+news@Example.ORG ', 'anna.jansen+news@example.org'],
    ["o'brien@zorg.example.nl", "o'brien@zorg.example.nl"],
    ['x@xn--bcher-kva.example', 'x@xn--bcher-kva.example'],
  ])('accepts %s', (raw, normalised) => {
    expect(checkEmail(raw)).toEqual({ ok: true, email: normalised });
  });

  it.each([
    ['', 'email_required'],
    [undefined, 'email_required'],
    [null, 'email_required'],
    ['   ', 'email_required'],
    [42, 'email_not_text'],
    [['a@example.org', 'b@example.org'], 'email_not_text'],
    [{ address: 'a@example.org' }, 'email_not_text'],
    [true, 'email_not_text'],
    ['plain', 'email_invalid'],
    ['a@b', 'email_invalid'],
    ['a@@example.org', 'email_invalid'],
    ['a b@example.org', 'email_invalid'],
    ['.a@example.org', 'email_invalid'],
    ['a..b@example.org', 'email_invalid'],
    ['a@-example.org', 'email_invalid'],
    ['a@example.o', 'email_invalid'],
    ['a@example.org\r\nBcc: b@example.org', 'email_invalid'],
    ['a@example.org\n', 'email_invalid'],
    ['<a@example.org>', 'email_invalid'],
    ['a,b@example.org', 'email_invalid'],
    [`${'a'.repeat(65)}@example.org`, 'email_invalid'],
    [`a@${'b'.repeat(250)}.org`, 'email_too_long'],
  ])('refuses %j (%s)', (raw, code) => {
    expect(checkEmail(raw)).toEqual({ ok: false, code });
  });
});

describe('subscription request', () => {
  it('accepts a valid JSON request and normalises it', () => {
    expect(parseSubscriptionRequest(valid, themes)).toEqual({
      ok: true,
      value: { email: 'anna@example.org', locale: 'nl', themes: ['verandermanagement'], name: null, isBot: false },
    });
  });

  it('accepts form fields: a single theme, "true"/"on" consent, empty honeypot', () => {
    const parsed = parseSubscriptionRequest(
      { email: 'a@example.org', locale: 'en', themes: 'meten-van-leercultuur', consent: 'on', website: '', name: ' Kim ' },
      themes,
    );
    expect(parsed).toEqual({ ok: true, value: { email: 'a@example.org', locale: 'en', themes: ['meten-van-leercultuur'], name: 'Kim', isBot: false } });
  });

  it('no themes means all themes (an empty list)', () => {
    const parsed = parseSubscriptionRequest({ ...valid, themes: undefined }, themes);
    expect(parsed.ok && parsed.value.themes).toEqual([]);
  });

  it('flags a filled-in honeypot as a bot', () => {
    const parsed = parseSubscriptionRequest({ ...valid, website: 'http://spam.example' }, themes);
    expect(parsed.ok && parsed.value.isBot).toBe(true);
  });

  it('reports every problem, naming the field, in the requested language', () => {
    const parsed = parseSubscriptionRequest({ email: 'x', locale: 'en', themes: ['astrology'], consent: 'no' }, themes);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => e.field)).toEqual(['email', 'themes', 'consent']);
    expect(parsed.errors[1].message).toBe('Unknown theme: astrology.');
    const dutch = parseSubscriptionRequest({ email: 'x', locale: 'nl', consent: true }, themes);
    expect(!dutch.ok && dutch.errors[0].message).toMatch(/geen geldig e-mailadres/);
  });

  it('refuses an unknown locale, non-string themes and a name with a line break', () => {
    const parsed = parseSubscriptionRequest({ ...valid, locale: 'de', themes: [{ $gt: '' }], name: 'a\nb' }, themes);
    expect(!parsed.ok && parsed.errors.map((e) => e.field)).toEqual(['locale', 'themes', 'name']);
  });

  it.each([[['a@example.org', 'b@example.org']], [{ $ne: '' }], [12345]])(
    'an email given as %j says what is wrong, not "enter your email address"',
    (email) => {
      const english = parseSubscriptionRequest({ ...valid, locale: 'en', email }, themes);
      expect(!english.ok && english.errors[0]).toEqual({
        field: 'email',
        code: 'email_not_text',
        message: 'The email address must be a single text value (not a list, an object or a number).',
      });
      const dutch = parseSubscriptionRequest({ ...valid, email }, themes);
      expect(!dutch.ok && dutch.errors[0].message).toMatch(/één tekstwaarde/);
    },
  );

  it('treats a non-object body as empty', () => {
    const parsed = parseSubscriptionRequest(['a@example.org'], themes, 'en');
    expect(!parsed.ok && parsed.errors.map((e) => e.code)).toEqual(['email_required', 'consent_required']);
  });
});

describe('preferences change', () => {
  it('accepts locale and themes, refuses unknown ones', () => {
    expect(parsePreferencesChange({ locale: 'en', themes: ['verandermanagement', 'verandermanagement'] }, themes, 'nl')).toEqual({
      ok: true,
      value: { locale: 'en', themes: ['verandermanagement'] },
    });
    const bad = parsePreferencesChange({ locale: 'fr', themes: ['nope'] }, themes, 'nl');
    expect(!bad.ok && bad.errors.map((e) => e.field)).toEqual(['locale', 'themes']);
  });
});
