import type { MailDataRequired } from '@sendgrid/mail';

/**
 * Builds SendGrid requests from a rendered mail and its recipients. Per-recipient values travel as
 * substitutions and headers of the recipient's personalization, so one rendered body serves a whole
 * batch (at most 1000 recipients per request).
 */
export interface Recipient {
  email: string;
  /** Values for the `%tag%` substitution tags in the body (keys without the % wrappers). */
  substitutions: Record<string, string>;
  headers?: Record<string, string>;
  customArgs?: Record<string, string>;
}

export interface OutgoingMail {
  from: { email: string; name?: string };
  subject: string;
  html: string;
  text: string;
  recipients: Recipient[];
  categories?: string[];
  customArgs?: Record<string, string>;
}

export const MAX_RECIPIENTS_PER_REQUEST = 1000;
export const SUBSTITUTION_WRAPPERS: [string, string] = ['%', '%'];

export function toSendGridRequest(mail: OutgoingMail): MailDataRequired {
  if (mail.recipients.length === 0) throw new Error('A mail needs at least one recipient.');
  if (mail.recipients.length > MAX_RECIPIENTS_PER_REQUEST) throw new Error(`At most ${MAX_RECIPIENTS_PER_REQUEST} recipients per request.`);
  return {
    from: mail.from.name ? { email: mail.from.email, name: mail.from.name } : { email: mail.from.email },
    subject: mail.subject,
    content: [
      { type: 'text/plain', value: mail.text },
      { type: 'text/html', value: mail.html },
    ],
    substitutionWrappers: SUBSTITUTION_WRAPPERS,
    personalizations: mail.recipients.map((recipient) => ({
      to: [{ email: recipient.email }],
      substitutions: recipient.substitutions,
      ...(recipient.headers ? { headers: recipient.headers } : {}),
      ...(recipient.customArgs ? { customArgs: recipient.customArgs } : {}),
    })),
    ...(mail.categories ? { categories: mail.categories } : {}),
    ...(mail.customArgs ? { customArgs: mail.customArgs } : {}),
  } as MailDataRequired;
}
