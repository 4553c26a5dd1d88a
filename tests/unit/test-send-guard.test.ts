import { describe, expect, it } from 'vitest';
import { readTestSendSettings } from '../../src/settings/test-send';
import { addressRefusal, limitRefusal, refusedTestAddresses, stateRefusal, testSendWindows, waitText } from '../../src/mailings/desk/test-send-guard';

/** Who may send a test to which address, and when a test is refused: the desk's pure rules. */
const rule = (mayTestAnyAddress: boolean, admins: string[] = [], allowedDomains = ['example.org']) => ({
  mayTestAnyAddress,
  adminAddresses: new Set(admins),
  allowedDomains,
});

describe('who may test to which address', () => {
  it('lets an Author test to admin users and allowed domains only, naming every other address', () => {
    const author = rule(false, ['redactie@partner.nl']);
    expect(refusedTestAddresses(['a@example.org', 'redactie@partner.nl'], author)).toEqual([]);
    expect(refusedTestAddresses(['a@example.org', 'x@gmail.com', 'redactie@partner.nl', 'y@elders.test'], author)).toEqual(['x@gmail.com', 'y@elders.test']);
  });

  it('matches the exact domain, never a look-alike or a subdomain, and compares without case', () => {
    const author = rule(false);
    expect(refusedTestAddresses(['a@evil-example.org', 'b@example.org.evil.test', 'c@mail.example.org', 'D@Example.ORG'], author)).toEqual([
      'a@evil-example.org',
      'b@example.org.evil.test',
      'c@mail.example.org',
    ]);
  });

  it('lets an Editor (the send permission) test to any address', () => {
    expect(refusedTestAddresses(['x@gmail.com', 'y@elders.test'], rule(true))).toEqual([]);
  });

  it('says which addresses were refused, in Dutch and English, with the allowed domains', () => {
    const refusal = addressRefusal(['x@gmail.com', 'y@elders.test'], ['example.org']);
    expect(refusal.status).toBe(403);
    expect(refusal.messages.nl).toBe(
      'Je mag testmails alleen sturen naar adressen van beheerders of eindigend op @example.org. Niet toegestaan: x@gmail.com, y@elders.test.',
    );
    expect(refusal.messages.en).toBe(
      "You may only send test mails to admin users' addresses or addresses ending in @example.org. Not allowed: x@gmail.com, y@elders.test.",
    );
    expect(refusal.details).toEqual({ addresses: ['x@gmail.com', 'y@elders.test'] });
  });
});

describe('which mailings may still be tested', () => {
  it('refuses sending, sent, cancelled and failed mailings (409) with the way out, and lets drafts and scheduled ones through', () => {
    expect(stateRefusal('sent')?.messages).toEqual({
      nl: 'Deze mailing is al verzonden; dupliceer hem eerst om hem opnieuw te testen.',
      en: 'This mailing has already been sent; duplicate it first to test it again.',
    });
    expect(stateRefusal('cancelled')?.messages.nl).toBe('Deze mailing is geannuleerd; dupliceer hem eerst om hem opnieuw te testen.');
    expect(stateRefusal('sending')?.messages.en).toBe('This mailing is already being sent; duplicate it first to test it again.');
    expect(stateRefusal('failed')?.status).toBe(409);
    for (const state of ['draft', 'scheduled', 'skipped', 'toString', '__proto__']) expect(stateRefusal(state), state).toBeNull();
  });
});

describe('the recipient budget', () => {
  it('has an hour and a day window of the configured sizes', () => {
    expect(testSendWindows({ recipientsPerHour: 25, recipientsPerDay: 100 })).toEqual([
      { name: 'test-send-hour', limit: 25, windowSeconds: 3600 },
      { name: 'test-send-day', limit: 100, windowSeconds: 86_400 },
    ]);
  });

  it('says when to try again, in both languages', () => {
    const [hour, day] = testSendWindows({ recipientsPerHour: 25, recipientsPerDay: 100 });
    const refusal = limitRefusal(hour, 3, 41 * 60 + 5, new Date('2026-12-07T10:00:00Z'));
    expect(refusal.status).toBe(429);
    expect(refusal.messages.nl).toBe('Deze test naar 3 adressen gaat over het maximum van 25 testontvangers per uur. Probeer het over 42 minuten opnieuw.');
    expect(refusal.messages.en).toBe('This test to 3 addresses would go over the limit of 25 test recipients per hour. Try again in 42 minutes.');
    expect(refusal.details).toMatchObject({ retryAfterSeconds: 2465, retryAt: '2026-12-07T10:41:05.000Z' });
    expect(limitRefusal(day, 1, 5 * 3600).messages.nl).toContain(
      '1 adres gaat over het maximum van 100 testontvangers per dag. Probeer het over 5 uur opnieuw.',
    );
  });

  it('rounds the wait up to whole minutes and names hours', () => {
    expect([waitText(1, 'nl'), waitText(60, 'en'), waitText(61, 'en'), waitText(3600, 'en'), waitText(3660, 'en'), waitText(7500, 'nl')]).toEqual([
      '1 minuut',
      '1 minute',
      '2 minutes',
      '1 hour',
      '1 hour and 1 minute',
      '2 uur en 5 minuten',
    ]);
  });
});

describe('settings (TEST_SEND_*)', () => {
  it('defaults to 25 recipients an hour, 100 a day, and the sender domain', () => {
    expect(readTestSendSettings({})).toEqual({ recipientsPerHour: 25, recipientsPerDay: 100, allowedDomains: ['example.org'] });
    expect(readTestSendSettings({ MAIL_FROM: 'Zorgnetwerk <Nieuwsbrief@Zorgnetwerk-Rotterdam.NL>' }).allowedDomains).toEqual(['zorgnetwerk-rotterdam.nl']);
  });

  it('reads the limits and a comma-separated domain list', () => {
    expect(
      readTestSendSettings({ TEST_SEND_LIMIT_PER_HOUR: '5', TEST_SEND_LIMIT_PER_DAY: '20', TEST_SEND_ALLOWED_DOMAINS: ' Example.org, @partner.nl ,,' }),
    ).toEqual({ recipientsPerHour: 5, recipientsPerDay: 20, allowedDomains: ['example.org', 'partner.nl'] });
  });

  it('refuses a limit that is not a whole number of at least 1, and a list without a domain', () => {
    for (const value of ['0', '-1', '2.5', 'many'])
      expect(() => readTestSendSettings({ TEST_SEND_LIMIT_PER_HOUR: value })).toThrow(/TEST_SEND_LIMIT_PER_HOUR must be a whole number/);
    expect(() => readTestSendSettings({ TEST_SEND_LIMIT_PER_DAY: '0' })).toThrow(/TEST_SEND_LIMIT_PER_DAY/);
    for (const value of ['gmail', 'a b.org', ',', 'x@y.org'])
      expect(() => readTestSendSettings({ TEST_SEND_ALLOWED_DOMAINS: value }), value).toThrow(/TEST_SEND_ALLOWED_DOMAINS/);
  });
});
