import { signLinkToken } from '../domain/tokens';
import { signedLink } from '../mail/transactional-mail';
import { greetingFor } from '../mail/renderer';
import type { Recipient } from '../mail/outgoing-mail';
import type { Locale } from '../domain/subscription-request';

/** What a batch needs of one recipient: no more than the mail itself carries. */
export interface MailingRecipient {
  subscriberDocumentId: string;
  email: string;
  name: string | null;
  locale: Locale;
  linkKey: string;
}

export interface RecipientContext {
  publicUrl: string;
  tokenSecret: string;
  /** The web version of this recipient's variant, without a token (each recipient's view token is added). */
  viewUrl: string;
  /** RFC 2919 List-Id (MAIL_LIST_ID). */
  listId: string;
  /** MAIL_UNSUBSCRIBE_MAILBOX: also offered as mailto: in List-Unsubscribe; null = https only. */
  unsubscribeMailbox: string | null;
}

/**
 * The headers every copy of an edition or campaign carries, sent once per request (message level)
 * rather than in each of up to 1000 personalizations: the list's id and RFC 8058 one-click, whose
 * `List-Unsubscribe` is each recipient's own (mailingRecipient).
 */
export function mailingHeaders(context: Pick<RecipientContext, 'listId'>): Record<string, string> {
  return { 'List-Id': context.listId, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/**
 * A recipient's personalization (edition or campaign): their signed links as substitutions, their
 * List-Unsubscribe header, and their subscriber's document id (no personal data) in custom_args for
 * the event webhook. Runs for every recipient of a send: a fresh object, which the engine extends
 * with the delivery reference.
 */
export function mailingRecipient(recipient: MailingRecipient, context: RecipientContext): Recipient {
  // Only the links a mail carries: signing is a fair share of the per-recipient cost.
  const unsubscribe = signedLink(context.publicUrl, 'unsubscribe', recipient.linkKey, context.tokenSecret, undefined, recipient.locale);
  // The web version is the same page for every reader of a variant; the view token lets it show this reader's own footer links.
  const viewToken = signLinkToken({ purpose: 'view', linkKey: recipient.linkKey }, context.tokenSecret);
  return {
    email: recipient.email,
    substitutions: {
      greeting: greetingFor(recipient.locale, recipient.name),
      unsubscribe_url: unsubscribe,
      preferences_url: signedLink(context.publicUrl, 'preferences', recipient.linkKey, context.tokenSecret, undefined, recipient.locale),
      view_url: `${context.viewUrl}${context.viewUrl.includes('?') ? '&' : '?'}token=${encodeURIComponent(viewToken)}`,
    },
    headers: { 'List-Unsubscribe': listUnsubscribe(unsubscribe, context.unsubscribeMailbox) },
    customArgs: { subscriber_id: recipient.subscriberDocumentId },
  };
}

/**
 * RFC 2369 / 8058: the https link first (one-click), then, when a processed mailbox exists, a
 * mailto whose subject carries the same signed token, so a handler of that mailbox can act on it.
 */
export function listUnsubscribe(httpsLink: string, mailbox: string | null): string {
  if (!mailbox) return `<${httpsLink}>`;
  const token = new URL(httpsLink).searchParams.get('token') ?? '';
  return `<${httpsLink}>, <mailto:${mailbox}?subject=${encodeURIComponent(`unsubscribe ${token}`)}>`;
}
