import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MailDataRequired } from '@sendgrid/mail';
import { describe, expect, it } from 'vitest';
import { validateMailSend } from '../../scripts/mail-sink/validate';
import { toSendGridRequest, type OutgoingMail } from '../../src/mail/outgoing-mail';
import { createSendGridProvider, toWireBody } from '../../src/mail/provider';
import { classifySendFailure } from '../../src/mail/send-failure';

/** What @sendgrid/mail's send() would have put on the wire. */
async function viaSendGridMail(request: MailDataRequired): Promise<Record<string, unknown>> {
  const { default: MailClass } = await import('@sendgrid/helpers/classes/mail');
  return JSON.parse(JSON.stringify(MailClass.create(request).toJSON()));
}

const batch: OutgoingMail = {
  from: { email: 'nieuwsbrief@example.org', name: 'Netwerk' },
  subject: 'Nieuwsbrief december',
  html: '<p>%greeting%</p><a href="%unsubscribe_url%">x</a>',
  text: '%greeting% %unsubscribe_url%',
  recipients: Array.from({ length: 3 }, (_, i) => ({
    email: `r${i}@example.org`,
    substitutions: { greeting: `Hallo ${i},`, unsubscribe_url: `https://x.example/u?t=${i}` },
    headers: { 'List-Unsubscribe': `<https://x.example/u?t=${i}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    customArgs: { edition_id: 'doc1', subscriber_id: `s${i}`, mailing: 'edition:1', delivery: (i + 1).toString(36) },
  })),
  categories: ['edition'],
  customArgs: { edition_id: 'doc1' },
};

describe('the request body posted through client.request', () => {
  it.each([
    ['a newsletter batch', batch],
    [
      'a transactional mail with a reply-to address',
      { ...batch, recipients: batch.recipients.slice(0, 1), replyTo: { email: 'help@example.org' }, categories: ['confirmation'], customArgs: undefined },
    ],
    [
      'an admin mail without substitutions, tracking on',
      { ...batch, recipients: [{ email: 'a@example.org', substitutions: {} }], tracking: { opens: true, clicks: true }, html: '' },
    ],
  ] as Array<[string, OutgoingMail]>)('is what @sendgrid/mail would send: %s', async (_name, mail) => {
    const request = toSendGridRequest(mail);
    const body = JSON.parse(JSON.stringify(toWireBody(request)));
    expect(body).toEqual(await viaSendGridMail(request));
    expect(validateMailSend(body)).toMatchObject({ ok: true });
  });

  it('a field it does not know goes through @sendgrid/mail itself', async () => {
    const request = { ...toSendGridRequest(batch), sendAt: 1_800_000_000, mailSettings: { sandboxMode: { enable: true } } } as MailDataRequired;
    const body = JSON.parse(JSON.stringify(toWireBody(request)));
    expect(body).toEqual(await viaSendGridMail(request));
    expect(body).toMatchObject({ send_at: 1_800_000_000, mail_settings: { sandbox_mode: { enable: true } } });
  });

  it('posts the body, returns the message id, and refusals keep the shape the retry policy reads', async () => {
    const seen: Array<{ auth?: string; body: unknown }> = [];
    const server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        seen.push({ auth: req.headers.authorization, body: JSON.parse(raw) });
        if (seen.length === 1) {
          res.writeHead(202, { 'X-Message-Id': 'msg-1' }).end();
        } else {
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' }).end(JSON.stringify({ errors: [{ message: 'too many' }] }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const provider = createSendGridProvider({ apiKey: 'SG.test', apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      const request = toSendGridRequest(batch);
      expect(await provider.send(request)).toEqual({ statusCode: 202, messageId: 'msg-1' });
      expect(seen[0]).toEqual({ auth: 'Bearer SG.test', body: JSON.parse(JSON.stringify(toWireBody(request))) });
      const error = await provider.send(request).catch((e: unknown) => e);
      expect(classifySendFailure(error, 1)).toMatchObject({ kind: 'retry', status: 429, delayMs: 3000 });
    } finally {
      server.close();
    }
  });
});
