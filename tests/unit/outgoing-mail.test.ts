import { readMailSettings } from '../../src/settings/mail';
import { describe, expect, it } from 'vitest';
import type { MailDataRequired } from '@sendgrid/mail';
import { validateMailSend } from '../../scripts/mail-sink/validate';
import { NO_TRACKING, toSendGridRequest, type OutgoingMail } from '../../src/mail/outgoing-mail';
import { createStrapiEmailProvider, strapiProviderSpecifier } from '../../src/mail/strapi-email-provider';
import { renderPrivacyPage } from '../../src/site/subscription/privacy-page';

const mail: OutgoingMail = {
  from: { email: 'nieuwsbrief@example.org', name: 'Netwerk' },
  subject: 'Bevestig',
  html: '<p>%greeting% <a href="https://example.org/x">x</a></p>',
  text: '%greeting% https://example.org/x',
  recipients: [{ email: 'a@example.org', substitutions: { greeting: 'Hallo Anna,' } }],
};

/** The JSON body @sendgrid/mail puts on the wire for a request. */
async function wire(request: MailDataRequired): Promise<Record<string, any>> {
  const { default: MailClass } = await import('@sendgrid/helpers/classes/mail');
  return JSON.parse(JSON.stringify(MailClass.create(request).toJSON()));
}

const ALL_OFF = {
  click_tracking: { enable: false, enable_text: false },
  open_tracking: { enable: false },
  subscription_tracking: { enable: false },
  ganalytics: { enable: false },
};

describe('tracking settings in every SendGrid request', () => {
  it("turns open, click, subscription and analytics tracking off explicitly by default, in the contract's shape", async () => {
    const body = await wire(toSendGridRequest(mail));
    expect(body.tracking_settings).toEqual(ALL_OFF);
    expect(validateMailSend(body)).toMatchObject({ ok: true });
  });

  it("lets a mailing switch opens or clicks on, never SendGrid's own unsubscribe list", async () => {
    const body = await wire(toSendGridRequest({ ...mail, tracking: { opens: true, clicks: true } }));
    expect(body.tracking_settings).toEqual({ ...ALL_OFF, click_tracking: { enable: true, enable_text: true }, open_tracking: { enable: true } });
  });

  it('the default is what the privacy statement promises', () => {
    expect(NO_TRACKING).toEqual({ opens: false, clicks: false });
    const facts = { networkName: 'N', postalAddress: 'P', pendingMaxAgeDays: 30, unsubscribedRetentionDays: 30 };
    expect(renderPrivacyPage('en', facts, '/p')).toContain('We do not track whether you open mails or click links.');
    expect(renderPrivacyPage('nl', facts, '/p')).toContain('We volgen niet of je mails opent of op links klikt.');
  });

  it('the privacy statement follows the tracking setting, so the promise cannot drift from the requests', () => {
    const facts = { networkName: 'N', postalAddress: 'P', pendingMaxAgeDays: 30, unsubscribedRetentionDays: 30 };
    const tracked = renderPrivacyPage('en', { ...facts, engagementTrackingAllowed: true }, '/p');
    expect(tracked).not.toContain('We do not track whether');
    expect(tracked).toContain('Only for a mailing for which the editors switch it on');
    expect(readMailSettings({ MAIL_ENGAGEMENT_TRACKING: 'per-mailing' }).engagementTrackingAllowed).toBe(true);
    expect(readMailSettings({}).engagementTrackingAllowed).toBe(false);
    expect(() => readMailSettings({ MAIL_ENGAGEMENT_TRACKING: 'always' })).toThrow(/MAIL_ENGAGEMENT_TRACKING must be "off" or "per-mailing"/);
  });

  it('leaves out an empty body part and refuses a mail without any', async () => {
    const body = await wire(toSendGridRequest({ ...mail, html: '' }));
    expect(body.content).toEqual([{ type: 'text/plain', value: mail.text }]);
    expect(() => toSendGridRequest({ ...mail, html: '', text: '' })).toThrow(/text or an HTML body/);
  });
});

describe("Strapi's email provider", () => {
  function capture() {
    const sent: MailDataRequired[] = [];
    const provider = createStrapiEmailProvider(
      { apiKey: 'SG.x', apiUrl: 'http://127.0.0.1:1' },
      { defaultFrom: 'Zorgnetwerk <nieuwsbrief@example.org>' },
      { send: async (request) => (sent.push(request as MailDataRequired), { statusCode: 202, messageId: 'm' }) },
    );
    return { sent, provider };
  }

  it('builds the request like every other mail: default sender, one personalization per address, tracking off', async () => {
    const { sent, provider } = capture();
    await provider.send({
      to: 'a@example.org, B <b@example.org>',
      subject: 'Reset password',
      text: 'Link: https://x.example/r',
      html: '<p>Link</p>',
      replyTo: 'help@example.org',
    });
    const body = await wire(sent[0]);
    expect(body.from).toEqual({ email: 'nieuwsbrief@example.org', name: 'Zorgnetwerk' });
    expect(body.reply_to).toEqual({ email: 'help@example.org' });
    expect(body.personalizations.map((p: any) => p.to)).toEqual([[{ email: 'a@example.org' }], [{ email: 'b@example.org' }]]);
    expect(body.tracking_settings).toEqual(ALL_OFF);
    expect(validateMailSend(body)).toMatchObject({ ok: true, recipients: 2 });
  });

  it('uses a given sender and refuses what it would otherwise drop silently', async () => {
    const { sent, provider } = capture();
    await provider.send({ to: ['a@example.org'], from: 'Admin <admin@example.org>', subject: 's', text: 't' });
    expect(sent[0].from).toEqual({ email: 'admin@example.org', name: 'Admin' });
    await expect(provider.send({ to: 'a@example.org', subject: 's', text: 't', bcc: 'x@example.org' })).rejects.toThrow(/bcc/);
  });

  it('names the provider module so that Strapi can load it after lower-casing the name', () => {
    expect(strapiProviderSpecifier('/srv/app/dist/src/mail/p.js', '/srv/app/node_modules/@strapi/email/dist/server')).toBe('/srv/app/dist/src/mail/p.js');
    expect(strapiProviderSpecifier('/home/Anna/app/dist/src/mail/p.js', '/home/Anna/app/node_modules/@strapi/email/dist/server')).toBe(
      '../../../../../dist/src/mail/p.js',
    );
    expect(() => strapiProviderSpecifier('/home/Anna/p.js', '/opt/Node/lib')).toThrow(/capital letters/);
  });
});
