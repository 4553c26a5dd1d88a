import type { MailDataRequired } from '@sendgrid/mail';
import { PersonalizationList } from './personalization-list';

/**
 * Builds SendGrid requests from a rendered mail and its recipients. Per-recipient values travel as
 * substitutions and headers of the recipient's personalization, so one rendered body serves a whole
 * batch (at most 1000 recipients per request). Every request of the project (transactional mail,
 * newsletter batches, Strapi's admin mail) is built here, so what each one says about tracking is
 * decided in one place.
 */
export interface Recipient {
  email: string;
  /** Values for the `%tag%` substitution tags in the body (keys without the % wrappers). */
  substitutions: Record<string, string>;
  headers?: Record<string, string>;
  customArgs?: Record<string, string>;
}

/**
 * What SendGrid may track about a mail. Both off unless a mailing deliberately switches one on:
 * the privacy statement (src/site/subscription/privacy-page.ts) promises subscribers that opens and clicks are
 * not tracked, and that promise must not depend on how the SendGrid account happens to be set up.
 */
export interface MailTracking {
  /** SendGrid's open-tracking pixel. */
  opens: boolean;
  /** SendGrid's click tracking, which rewrites every link (HTML and text) through its own domain. */
  clicks: boolean;
}

/** The default of every mail; what the privacy statement promises. */
export const NO_TRACKING: Readonly<MailTracking> = Object.freeze({ opens: false, clicks: false });

export interface OutgoingMail {
  from: { email: string; name?: string };
  replyTo?: { email: string; name?: string };
  subject: string;
  /** At least one of html and text; an empty part is left out (SendGrid refuses empty content). */
  html: string;
  text: string;
  recipients: Recipient[];
  /** Headers of every recipient's copy (a personalization's own headers are added to them). */
  headers?: Record<string, string>;
  categories?: string[];
  customArgs?: Record<string, string>;
  /** Default NO_TRACKING. */
  tracking?: MailTracking;
}

export const MAX_RECIPIENTS_PER_REQUEST = 1000;
export const SUBSTITUTION_WRAPPERS: [string, string] = ['%', '%'];

/**
 * SendGrid's tracking settings for a mail, always explicit: a setting left out of the request falls
 * back to the account's settings, which may have tracking on. Subscription tracking (SendGrid's own
 * unsubscribe footer and list) and Google Analytics link tagging are always off: unsubscribing goes
 * through the project's own links and List-Unsubscribe headers, which the subscriber records honour.
 * The keys are camelCase because @sendgrid/mail snake-cases them (`tracking_settings.click_tracking.enable_text`).
 */
export function trackingSettings(tracking: MailTracking = NO_TRACKING): NonNullable<MailDataRequired['trackingSettings']> {
  return {
    clickTracking: { enable: tracking.clicks, enableText: tracking.clicks },
    openTracking: { enable: tracking.opens },
    subscriptionTracking: { enable: false },
    ganalytics: { enable: false },
  };
}

/**
 * A request whose personalizations are already SendGrid's v3 JSON, one per recipient (built by a
 * Personalizer, personalizer.ts): `mail` is everything else, as toSendGridRequest builds it.
 */
export interface PrebuiltRequest {
  mail: MailDataRequired;
  personalizations: PersonalizationList;
}

/** What the provider posts: a request built here, with its recipients or with prebuilt personalizations. */
export type OutgoingRequest = MailDataRequired | PrebuiltRequest;

export function isPrebuilt(request: OutgoingRequest): request is PrebuiltRequest {
  return 'mail' in request && (request as PrebuiltRequest).personalizations instanceof PersonalizationList;
}

export function toPrebuiltRequest(mail: Omit<OutgoingMail, 'recipients'>, personalizations: PersonalizationList): PrebuiltRequest {
  checkRecipientCount(personalizations.length);
  return { mail: sharedRequest(mail), personalizations };
}

export function toSendGridRequest(mail: OutgoingMail): MailDataRequired {
  checkRecipientCount(mail.recipients.length);
  return {
    ...sharedRequest(mail),
    personalizations: mail.recipients.map((recipient) => ({
      to: [{ email: recipient.email }],
      substitutions: recipient.substitutions,
      ...(recipient.headers ? { headers: recipient.headers } : {}),
      ...(recipient.customArgs ? { customArgs: recipient.customArgs } : {}),
    })),
  } as MailDataRequired;
}

function checkRecipientCount(count: number): void {
  if (count === 0) throw new Error('A mail needs at least one recipient.');
  if (count > MAX_RECIPIENTS_PER_REQUEST) throw new Error(`At most ${MAX_RECIPIENTS_PER_REQUEST} recipients per request.`);
}

/** Everything of a request but its personalizations. */
function sharedRequest(mail: Omit<OutgoingMail, 'recipients'>): MailDataRequired {
  // SendGrid wants text/plain first and refuses empty parts.
  const content = [
    { type: 'text/plain', value: mail.text },
    { type: 'text/html', value: mail.html },
  ].filter((part) => part.value !== '');
  const [first, ...rest] = content;
  if (!first) throw new Error('A mail needs a text or an HTML body.');
  return {
    from: address(mail.from),
    ...(mail.replyTo ? { replyTo: address(mail.replyTo) } : {}),
    subject: mail.subject,
    content: [first, ...rest],
    substitutionWrappers: SUBSTITUTION_WRAPPERS,
    ...(mail.headers && Object.keys(mail.headers).length > 0 ? { headers: mail.headers } : {}),
    ...(mail.categories ? { categories: mail.categories } : {}),
    ...(mail.customArgs ? { customArgs: mail.customArgs } : {}),
    trackingSettings: trackingSettings(mail.tracking),
  } as MailDataRequired;
}

function address(value: { email: string; name?: string }): { email: string; name?: string } {
  return value.name ? { email: value.email, name: value.name } : { email: value.email };
}
