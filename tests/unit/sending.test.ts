import { describe, expect, it } from 'vitest';
import { MAX_BACKOFF_MS, classifySendFailure, exponentialBackoff } from '../../src/mail/send-failure';
import { toSendGridRequest } from '../../src/mail/outgoing-mail';
import { validateMailSend } from '../../scripts/mail-sink/validate';

describe('what to do when SendGrid refuses', () => {
  const now = new Date('2026-11-27T12:00:00Z');

  it('honours Retry-After on 429', () => {
    expect(classifySendFailure({ code: 429, response: { headers: { 'retry-after': '7' } } }, 1, now)).toMatchObject({
      kind: 'retry',
      status: 429,
      delayMs: 7000,
    });
  });

  it('falls back to X-RateLimit-Reset on 429', () => {
    const reset = String(now.getTime() / 1000 + 12);
    expect(classifySendFailure({ code: 429, response: { headers: { 'x-ratelimit-reset': reset } } }, 1, now)).toMatchObject({ kind: 'retry', delayMs: 12_000 });
  });

  it('retries 5xx and network errors with exponential backoff, capped', () => {
    expect(classifySendFailure({ code: 503 }, 3, now)).toMatchObject({ kind: 'retry', delayMs: 4000 });
    expect(classifySendFailure(new Error('ECONNRESET'), 1, now)).toMatchObject({ kind: 'retry', delayMs: 1000 });
    expect(exponentialBackoff(50)).toBe(MAX_BACKOFF_MS);
  });

  it("treats any other 4xx as final, with SendGrid's errors", () => {
    const failure = classifySendFailure(
      { code: 400, response: { body: { errors: [{ message: 'Invalid email', field: 'personalizations.0.to.0.email' }] } } },
      1,
      now,
    );
    expect(failure).toEqual({
      kind: 'final',
      status: 400,
      reason: 'refused with 400',
      errors: [{ message: 'Invalid email', field: 'personalizations.0.to.0.email' }],
    });
    expect(classifySendFailure({ code: 401 }, 1, now).kind).toBe('final');
  });
});

describe('SendGrid request building', () => {
  const mail = {
    from: { email: 'nieuwsbrief@example.org', name: 'Netwerk' },
    subject: 'Bevestig',
    html: '<p>%greeting%</p>',
    text: '%greeting%',
    recipients: [
      {
        email: 'a@example.org',
        substitutions: { greeting: 'Hallo Anna,' },
        headers: { 'List-Unsubscribe': '<https://x.example/u>' },
        customArgs: { edition: '1' },
      },
    ],
    categories: ['confirmation'],
  };

  it('puts the text part first and per-recipient values in personalizations', () => {
    const request = toSendGridRequest(mail) as unknown as Record<string, unknown>;
    expect((request.content as Array<{ type: string }>).map((part) => part.type)).toEqual(['text/plain', 'text/html']);
    expect(request.substitutionWrappers).toEqual(['%', '%']);
  });

  it('refuses empty and oversized recipient lists', () => {
    expect(() => toSendGridRequest({ ...mail, recipients: [] })).toThrow();
    const many = Array.from({ length: 1001 }, (_, i) => ({ email: `r${i}@example.org`, substitutions: {} }));
    expect(() => toSendGridRequest({ ...mail, recipients: many })).toThrow(/1000/);
  });

  it("the JSON that @sendgrid/mail sends passes the stand-in's contract validation", async () => {
    const { default: MailClass } = await import('@sendgrid/helpers/classes/mail');
    const json = MailClass.create(toSendGridRequest(mail)).toJSON();
    expect(json.personalizations[0].substitutions).toEqual({ '%greeting%': 'Hallo Anna,' });
    expect(validateMailSend(JSON.parse(JSON.stringify(json)))).toMatchObject({ ok: true, recipients: 1 });
  });
});

describe('ids as one PostgreSQL array parameter', () => {
  it('is an array literal of the integers, and refuses anything else', async () => {
    const { pgIntArray } = await import('../../src/mailings/engine/knex-tables');
    expect(pgIntArray([1, 22, 333])).toBe('{1,22,333}');
    expect(pgIntArray([])).toBe('{}');
    for (const bad of [1.5, Number.NaN, Infinity, '1}' as unknown as number, 2 ** 60]) expect(() => pgIntArray([1, bad])).toThrow(/not an integer id/);
  });
});
