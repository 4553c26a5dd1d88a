import { describe, it, expect } from 'vitest';
import { validateMailSend, isValidEmail, LIMITS } from '../../scripts/mail-sink/validate';

const NOW = new Date('2026-03-01T12:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);

type Body = Record<string, any>;

/** A small valid request, as @sendgrid/mail sends it. */
function base(): Body {
  return {
    from: { email: 'nieuwsbrief@netwerkpost.nl', name: 'Netwerkpost' },
    subject: 'Nieuws van {{netwerk}}',
    personalizations: [
      {
        to: [{ email: 'anna@zorg-utrecht.nl', name: 'Anna' }],
        substitutions: { '{{netwerk}}': 'Utrecht' },
      },
    ],
    content: [
      { type: 'text/plain', value: 'Hallo' },
      { type: 'text/html', value: '<p>Hallo</p>' },
    ],
  };
}

function addresses(prefix: string, n: number): Array<{ email: string }> {
  return Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@example.nl` }));
}

function build(change: (b: Body) => void): Body {
  const b = base();
  change(b);
  return b;
}

interface InvalidCase {
  rule: string;
  body: unknown;
  field: string | null;
}

const invalid: InvalidCase[] = [
  // body
  { rule: 'body must be an object', body: [], field: null },
  { rule: 'body must be an object (null)', body: null, field: null },
  // personalizations
  { rule: 'personalizations required', body: build((b) => delete b.personalizations), field: 'personalizations' },
  { rule: 'personalizations at least 1', body: build((b) => (b.personalizations = [])), field: 'personalizations' },
  { rule: 'personalizations must be an array', body: build((b) => (b.personalizations = {})), field: 'personalizations' },
  {
    rule: 'personalizations at most 1000',
    body: build((b) => (b.personalizations = addresses('p', 1001).map((a) => ({ to: [a] })))),
    field: 'personalizations',
  },
  { rule: 'personalization must be an object', body: build((b) => (b.personalizations = ['x'])), field: 'personalizations.0' },
  { rule: 'to required', body: build((b) => delete b.personalizations[0].to), field: 'personalizations.0.to' },
  { rule: 'to at least 1', body: build((b) => (b.personalizations[0].to = [])), field: 'personalizations.0.to' },
  { rule: 'to must be an array', body: build((b) => (b.personalizations[0].to = 'a@b.nl')), field: 'personalizations.0.to' },
  { rule: 'cc must be an array', body: build((b) => (b.personalizations[0].cc = { email: 'c@b.nl' })), field: 'personalizations.0.cc' },
  { rule: 'to item must be an object', body: build((b) => (b.personalizations[0].to = ['a@b.nl'])), field: 'personalizations.0.to.0' },
  { rule: 'to email required', body: build((b) => (b.personalizations[0].to = [{ name: 'x' }])), field: 'personalizations.0.to.0.email' },
  {
    rule: 'to name must be a string',
    body: build((b) => (b.personalizations[0].to[0].name = 42)),
    field: 'personalizations.0.to.0.name',
  },
  {
    rule: 'to name without line breaks',
    body: build((b) => (b.personalizations[0].to[0].name = 'Anna\r\nBcc: x@y.nl')),
    field: 'personalizations.0.to.0.name',
  },
  {
    rule: 'recipient email syntax',
    body: build((b) => b.personalizations[0].to.push({ email: 'not-an-email' })),
    field: 'personalizations.0.to.1.email',
  },
  {
    rule: 'cc email syntax',
    body: build((b) => (b.personalizations[0].cc = [{ email: 'c@example' }])),
    field: 'personalizations.0.cc.0.email',
  },
  {
    rule: 'bcc email syntax',
    body: build((b) => (b.personalizations[0].bcc = [{ email: 'Anna <anna@example.nl>' }])),
    field: 'personalizations.0.bcc.0.email',
  },
  {
    rule: 'duplicate address in to (case-insensitive)',
    body: build((b) => b.personalizations[0].to.push({ email: 'ANNA@zorg-utrecht.nl' })),
    field: 'personalizations.0.to.1.email',
  },
  {
    rule: 'duplicate address across to and cc',
    body: build((b) => (b.personalizations[0].cc = [{ email: 'anna@zorg-utrecht.nl' }])),
    field: 'personalizations.0.cc.0.email',
  },
  {
    rule: 'duplicate address across personalizations',
    body: build((b) => b.personalizations.push({ to: [{ email: 'bob@example.nl' }], bcc: [{ email: 'Anna@Zorg-Utrecht.nl' }] })),
    field: 'personalizations.1.bcc.0.email',
  },
  {
    rule: 'at most 1000 recipients (to + cc + bcc over all personalizations)',
    body: build((b) => {
      b.personalizations = [
        { to: addresses('t', 500), cc: addresses('c', 200) },
        { to: addresses('u', 1), bcc: addresses('b', 300) },
      ];
    }),
    field: 'personalizations',
  },
  {
    rule: 'personalization from email syntax',
    body: build((b) => (b.personalizations[0].from = { email: 'nope' })),
    field: 'personalizations.0.from.email',
  },
  // from / reply_to
  { rule: 'from required', body: build((b) => delete b.from), field: 'from' },
  { rule: 'from must be an object', body: build((b) => (b.from = 'x@y.nl')), field: 'from' },
  { rule: 'from.email required', body: build((b) => (b.from = { name: 'x' })), field: 'from.email' },
  { rule: 'from.email syntax', body: build((b) => (b.from = { email: 'a@@b.nl' })), field: 'from.email' },
  { rule: 'reply_to email syntax', body: build((b) => (b.reply_to = { email: 'x' })), field: 'reply_to.email' },
  {
    rule: 'reply_to and reply_to_list not both',
    body: build((b) => {
      b.reply_to = { email: 'r@x.nl' };
      b.reply_to_list = [{ email: 's@x.nl' }];
    }),
    field: 'reply_to_list',
  },
  {
    rule: 'reply_to_list unique',
    body: build((b) => (b.reply_to_list = [{ email: 's@x.nl' }, { email: 'S@x.nl' }])),
    field: 'reply_to_list.1.email',
  },
  // subject
  { rule: 'subject required without template', body: build((b) => delete b.subject), field: 'subject' },
  {
    rule: 'subject required unless every personalization has one',
    body: build((b) => {
      delete b.subject;
      b.personalizations.push({ to: [{ email: 'bob@example.nl' }], subject: 'Hoi' });
    }),
    field: 'subject',
  },
  { rule: 'subject non-empty', body: build((b) => (b.subject = '')), field: 'subject' },
  { rule: 'subject must be a string', body: build((b) => (b.subject = 5)), field: 'subject' },
  {
    rule: 'personalization subject non-empty',
    body: build((b) => (b.personalizations[0].subject = '')),
    field: 'personalizations.0.subject',
  },
  // content
  { rule: 'content required without template', body: build((b) => delete b.content), field: 'content' },
  { rule: 'content at least 1 without template', body: build((b) => (b.content = [])), field: 'content' },
  { rule: 'content must be an array', body: build((b) => (b.content = 'hi')), field: 'content' },
  { rule: 'content value non-empty', body: build((b) => (b.content[0].value = '')), field: 'content.0.value' },
  { rule: 'content value required', body: build((b) => delete b.content[1].value), field: 'content.1.value' },
  { rule: 'content type required', body: build((b) => (b.content[1].type = '')), field: 'content.1.type' },
  { rule: 'text/plain must come first', body: build((b) => b.content.reverse()), field: 'content.1.type' },
  {
    rule: 'text/html only once',
    body: build((b) => b.content.push({ type: 'text/html', value: '<p>2</p>' })),
    field: 'content.2.type',
  },
  {
    rule: 'content type without ";" or line breaks',
    body: build((b) => (b.content[1].type = 'text/html; charset=utf-8')),
    field: 'content.1.type',
  },
  { rule: 'template_id must be a string', body: build((b) => (b.template_id = 12)), field: 'template_id' },
  // attachments
  {
    rule: 'attachment filename required',
    body: build((b) => (b.attachments = [{ content: 'aGVsbG8=' }])),
    field: 'attachments.0.filename',
  },
  {
    rule: 'attachment content base64',
    body: build((b) => (b.attachments = [{ content: 'not base64!', filename: 'a.txt' }])),
    field: 'attachments.0.content',
  },
  {
    rule: 'attachment disposition inline|attachment',
    body: build((b) => (b.attachments = [{ content: 'aGVsbG8=', filename: 'a.txt', disposition: 'download' }])),
    field: 'attachments.0.disposition',
  },
  // headers
  { rule: 'headers must be an object', body: build((b) => (b.headers = ['X-A: 1'])), field: 'headers' },
  { rule: 'header values are strings', body: build((b) => (b.headers = { 'X-Count': 3 })), field: 'headers.X-Count' },
  { rule: 'reserved header Subject', body: build((b) => (b.headers = { Subject: 'x' })), field: 'headers.Subject' },
  {
    rule: 'reserved header (case-insensitive, personalization)',
    body: build((b) => (b.personalizations[0].headers = { 'reply-to': 'x@y.nl' })),
    field: 'personalizations.0.headers.reply-to',
  },
  { rule: 'reserved header x-sg-id', body: build((b) => (b.headers = { 'X-SG-ID': 'x' })), field: 'headers.X-SG-ID' },
  {
    rule: 'header value without line breaks',
    body: build((b) => (b.headers = { 'X-A': 'a\r\nBcc: evil@x.nl' })),
    field: 'headers.X-A',
  },
  { rule: 'header name syntax', body: build((b) => (b.headers = { 'X A': 'a' })), field: 'headers.X A' },
  // substitutions / dynamic data
  {
    rule: 'substitutions must be an object',
    body: build((b) => (b.personalizations[0].substitutions = 'x')),
    field: 'personalizations.0.substitutions',
  },
  {
    rule: 'substitution values are strings',
    body: build((b) => (b.personalizations[0].substitutions = { '%n%': 1 })),
    field: 'personalizations.0.substitutions.%n%',
  },
  {
    rule: 'substitutions at most 10,000 bytes per personalization (10,001)',
    body: build((b) => (b.personalizations[0].substitutions = { '%b%': 'x'.repeat(9_998) })),
    field: 'personalizations.0.substitutions',
  },
  {
    rule: 'dynamic_template_data must be an object',
    body: build((b) => (b.personalizations[0].dynamic_template_data = 'x')),
    field: 'personalizations.0.dynamic_template_data',
  },
  // custom_args
  { rule: 'custom_args must be an object', body: build((b) => (b.custom_args = 'a=b')), field: 'custom_args' },
  { rule: 'custom_args values are strings', body: build((b) => (b.custom_args = { id: 7 })), field: 'custom_args.id' },
  {
    rule: 'custom_args under 10,000 bytes (exactly 10,000 is rejected)',
    body: build((b) => (b.custom_args = { k: 'x'.repeat(LIMITS.maxCustomArgsBytes - 1) })),
    field: 'custom_args',
  },
  {
    rule: 'personalization custom_args values are strings',
    body: build((b) => (b.personalizations[0].custom_args = { n: true })),
    field: 'personalizations.0.custom_args.n',
  },
  {
    rule: 'custom_args merged with personalization under 10,000 bytes',
    body: build((b) => {
      b.custom_args = { a: 'x'.repeat(6000) };
      b.personalizations[0].custom_args = { b: 'y'.repeat(6000) };
    }),
    field: 'personalizations.0.custom_args',
  },
  // categories
  {
    rule: 'categories at most 10',
    body: build((b) => (b.categories = Array.from({ length: 11 }, (_, i) => `c${i}`))),
    field: 'categories',
  },
  { rule: 'category at most 255 chars', body: build((b) => (b.categories = ['x'.repeat(256)])), field: 'categories.0' },
  { rule: 'categories unique', body: build((b) => (b.categories = ['a', 'a'])), field: 'categories.1' },
  { rule: 'category is a string', body: build((b) => (b.categories = [1])), field: 'categories.0' },
  { rule: 'categories must be an array', body: build((b) => (b.categories = 'news')), field: 'categories' },
  // send_at / batch_id
  {
    rule: 'send_at at most 72 h ahead',
    body: build((b) => (b.send_at = NOW_S + 72 * 3600 + 1)),
    field: 'send_at',
  },
  { rule: 'send_at integer', body: build((b) => (b.send_at = NOW_S + 0.5)), field: 'send_at' },
  { rule: 'send_at not a string', body: build((b) => (b.send_at = String(NOW_S))), field: 'send_at' },
  {
    rule: 'personalization send_at at most 72 h ahead',
    body: build((b) => (b.personalizations[0].send_at = NOW_S + 4 * 24 * 3600)),
    field: 'personalizations.0.send_at',
  },
  { rule: 'batch_id must be a string', body: build((b) => (b.batch_id = 123)), field: 'batch_id' },
  { rule: 'batch_id syntax', body: build((b) => (b.batch_id = 'not a batch')), field: 'batch_id' },
  // asm, ip pool
  { rule: 'asm.group_id required', body: build((b) => (b.asm = {})), field: 'asm.group_id' },
  { rule: 'asm.group_id integer', body: build((b) => (b.asm = { group_id: '12' })), field: 'asm.group_id' },
  {
    rule: 'asm.groups_to_display at most 25',
    body: build((b) => (b.asm = { group_id: 1, groups_to_display: Array.from({ length: 26 }, (_, i) => i) })),
    field: 'asm.groups_to_display',
  },
  {
    rule: 'asm.groups_to_display integers',
    body: build((b) => (b.asm = { group_id: 1, groups_to_display: [1, 'b'] })),
    field: 'asm.groups_to_display.1',
  },
  { rule: 'ip_pool_name 2..64 chars', body: build((b) => (b.ip_pool_name = 'x')), field: 'ip_pool_name' },
  // mail_settings, tracking_settings
  { rule: 'mail_settings must be an object', body: build((b) => (b.mail_settings = true)), field: 'mail_settings' },
  {
    rule: 'mail_settings.sandbox_mode.enable boolean',
    body: build((b) => (b.mail_settings = { sandbox_mode: { enable: 'yes' } })),
    field: 'mail_settings.sandbox_mode.enable',
  },
  {
    rule: 'mail_settings.footer.html string',
    body: build((b) => (b.mail_settings = { footer: { enable: true, html: 1 } })),
    field: 'mail_settings.footer.html',
  },
  {
    rule: 'bypass_list_management not combined with other bypass filters',
    body: build((b) => (b.mail_settings = { bypass_list_management: { enable: true }, bypass_spam_management: { enable: true } })),
    field: 'mail_settings.bypass_list_management',
  },
  {
    rule: 'tracking_settings.click_tracking.enable_text boolean',
    body: build((b) => (b.tracking_settings = { click_tracking: { enable: true, enable_text: 'no' } })),
    field: 'tracking_settings.click_tracking.enable_text',
  },
  {
    rule: 'tracking_settings.ganalytics.utm_source string',
    body: build((b) => (b.tracking_settings = { ganalytics: { enable: true, utm_source: 5 } })),
    field: 'tracking_settings.ganalytics.utm_source',
  },
  {
    rule: 'tracking_settings.open_tracking must be an object',
    body: build((b) => (b.tracking_settings = { open_tracking: 'on' })),
    field: 'tracking_settings.open_tracking',
  },
];

interface ValidCase {
  rule: string;
  body: Body;
  recipients: number;
}

const valid: ValidCase[] = [
  { rule: 'minimal request', body: base(), recipients: 1 },
  {
    rule: 'as @sendgrid/mail sends it (html only, no names, stripped empty fields)',
    body: {
      from: { email: 'n@netwerkpost.nl' },
      subject: 'S',
      personalizations: [{ to: [{ email: 'x@example.nl' }] }, { to: [{ email: 'y@example.nl' }] }],
      content: [{ value: '<b>x</b>', type: 'text/html' }],
    },
    recipients: 2,
  },
  {
    rule: 'template_id: no subject, no content',
    body: build((b) => {
      delete b.subject;
      delete b.content;
      b.template_id = 'd-0123456789abcdef0123456789abcdef';
      b.personalizations[0].dynamic_template_data = { naam: 'Anna', items: [1, 2] };
    }),
    recipients: 1,
  },
  {
    rule: 'template_id with empty content array',
    body: build((b) => {
      b.template_id = 'd-1';
      b.content = [];
    }),
    recipients: 1,
  },
  {
    rule: 'every personalization has a subject',
    body: build((b) => {
      delete b.subject;
      b.personalizations[0].subject = 'Voor Anna';
      b.personalizations.push({ to: [{ email: 'bob@example.nl' }], subject: 'Voor Bob' });
    }),
    recipients: 2,
  },
  {
    rule: 'exactly 1000 recipients over to, cc and bcc',
    body: build((b) => {
      b.personalizations = [
        { to: addresses('t', 400), cc: addresses('c', 100) },
        { to: addresses('u', 250), bcc: addresses('b', 250) },
      ];
    }),
    recipients: 1000,
  },
  {
    rule: 'everything optional, well formed',
    body: build((b) => {
      b.reply_to_list = [{ email: 'redactie@netwerkpost.nl', name: 'Redactie' }];
      b.personalizations[0].cc = [{ email: 'cc@example.nl' }];
      b.personalizations[0].bcc = [{ email: 'archief@netwerkpost.nl' }];
      b.personalizations[0].headers = { 'X-Netwerk': 'utrecht' };
      b.personalizations[0].custom_args = { recipient_id: '42' };
      b.personalizations[0].send_at = NOW_S + 72 * 3600;
      b.headers = { 'List-Unsubscribe': '<https://netwerkpost.nl/u/abc>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
      b.custom_args = { campaign: 'maart-2026' };
      b.categories = Array.from({ length: 10 }, (_, i) => `c${i}`);
      b.send_at = NOW_S + 3600;
      b.batch_id = 'HkJ5yLYULb7Rj8GKSx7u025ouWVlMgAi';
      b.asm = { group_id: 123, groups_to_display: [123, 124] };
      b.ip_pool_name = 'transactional';
      b.attachments = [{ content: 'aGVsbG8=', filename: 'a.txt', type: 'text/plain', disposition: 'attachment' }];
      b.mail_settings = { sandbox_mode: { enable: false }, footer: { enable: true, text: 'f', html: '<p>f</p>' } };
      b.tracking_settings = {
        click_tracking: { enable: true, enable_text: false },
        open_tracking: { enable: true, substitution_tag: '%open%' },
        subscription_tracking: { enable: false },
        ganalytics: { enable: true, utm_source: 'netwerkpost', utm_campaign: 'maart' },
      };
    }),
    recipients: 3,
  },
  {
    rule: 'text/plain first, then html, then others',
    body: build((b) => b.content.push({ type: 'text/calendar', value: 'BEGIN:VCALENDAR' })),
    recipients: 1,
  },
  {
    rule: 'substitutions of exactly 10,000 bytes',
    body: build((b) => (b.personalizations[0].substitutions = { '%b%': 'x'.repeat(9_997) })),
    recipients: 1,
  },
  {
    rule: 'custom_args of 9,999 bytes',
    body: build((b) => (b.custom_args = { k: 'x'.repeat(LIMITS.maxCustomArgsBytes - 2) })),
    recipients: 1,
  },
];

describe('validateMailSend: invalid payloads', () => {
  it.each(invalid)('$rule -> 400 at $field', ({ body, field }) => {
    const result = validateMailSend(body, NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(400);
    expect(result.errors.map((e) => e.field)).toContain(field);
    for (const error of result.errors) {
      expect(typeof error.message).toBe('string');
      expect(error.message.length).toBeGreaterThan(0);
      expect(error.help).toBeNull();
    }
  });
});

describe('validateMailSend: valid payloads', () => {
  it.each(valid)('$rule -> ok', ({ body, recipients }) => {
    const result = validateMailSend(body, NOW);
    expect(result).toEqual({ ok: true, recipients });
  });

  it('does not modify the body', () => {
    const body = base();
    const copy = JSON.parse(JSON.stringify(body));
    validateMailSend(body, NOW);
    expect(body).toEqual(copy);
  });

  it('reports every error, not just the first', () => {
    const result = validateMailSend({ personalizations: [{ to: [{ email: 'x' }] }], subject: '' }, NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['personalizations.0.to.0.email', 'from', 'subject', 'content']));
  });

  it('names where a duplicate address was first seen', () => {
    const body = build((b) => (b.personalizations[0].bcc = [{ email: 'Anna@zorg-utrecht.nl' }]));
    const result = validateMailSend(body, NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.message).toContain('personalizations.0.to.0.email');
  });
});

describe('isValidEmail', () => {
  it.each(['anna@zorg-utrecht.nl', 'a.b+nieuwsbrief@sub.example.nl', "o'brien@example.com", 'x@xn--bcher-kva.example', 'info@zorgnetwerk.amsterdam'])(
    'accepts %s',
    (email) => expect(isValidEmail(email)).toBe(true),
  );

  it.each([
    '',
    'plain',
    'a@b',
    '@example.nl',
    'a@',
    'a..b@example.nl',
    '.a@example.nl',
    'a.@example.nl',
    'a b@example.nl',
    ' a@example.nl',
    'a@example.nl ',
    'Anna <a@example.nl>',
    'a@-example.nl',
    'a@example-.nl',
    'a@example.n',
    'a@example.123',
    'a@@example.nl',
    `${'x'.repeat(65)}@example.nl`,
    `a@${'x'.repeat(250)}.nl`,
  ])('rejects %j', (email) => expect(isValidEmail(email)).toBe(false));
});
