import type { Locale } from '../domain/locale';
import { signLinkToken } from '../domain/tokens';
import type { Recipient } from './outgoing-mail';
import { SUBSTITUTION_WRAPPERS } from './outgoing-mail';
import { greetingFor } from './renderer';
import { signedLink } from './transactional-mail';

/**
 * A recipient's personalization of an edition or campaign: their signed links as substitutions,
 * their List-Unsubscribe header, and ids without personal data in custom_args. The same for every
 * recipient of a variant except what `PersonalizationRow` holds, so that a batch's thousand
 * personalizations can be built from plain data, in another thread (personalizer.ts).
 */
export interface PersonalizationRecipe {
  publicUrl: string;
  /** The web version of the variant, without a token (each recipient's view token is added). */
  viewUrl: string;
  locale: Locale;
  /** MAIL_UNSUBSCRIBE_MAILBOX: also offered as mailto: in List-Unsubscribe; null = https only. */
  unsubscribeMailbox: string | null;
}

/** What a personalization needs of one recipient: no more than the mail itself carries. */
export interface PersonalizationRow {
  subscriberDocumentId: string;
  email: string;
  name: string | null;
  linkKey: string;
  /** Added to the recipient's custom args (the engine's delivery reference). */
  customArgs?: Record<string, string>;
}

/**
 * The headers every copy of an edition or campaign carries, sent once per request (message level)
 * rather than in each of up to 1000 personalizations: the list's id and RFC 8058 one-click, whose
 * `List-Unsubscribe` is each recipient's own.
 */
export function mailingHeaders(listId: string): Record<string, string> {
  return { 'List-Id': listId, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

export function mailingRecipient(recipe: PersonalizationRecipe, row: PersonalizationRow, tokenSecret: string): Recipient {
  // Only the links a mail carries: signing is most of the per-recipient cost.
  const unsubscribe = signedLink(recipe.publicUrl, 'unsubscribe', row.linkKey, tokenSecret, undefined, recipe.locale);
  // The web version is the same page for every reader of a variant; the view token lets it show this reader's own footer links.
  const viewToken = signLinkToken({ purpose: 'view', linkKey: row.linkKey }, tokenSecret);
  return {
    email: row.email,
    substitutions: {
      greeting: greetingFor(recipe.locale, row.name),
      unsubscribe_url: unsubscribe,
      preferences_url: signedLink(recipe.publicUrl, 'preferences', row.linkKey, tokenSecret, undefined, recipe.locale),
      view_url: `${recipe.viewUrl}${recipe.viewUrl.includes('?') ? '&' : '?'}token=${encodeURIComponent(viewToken)}`,
    },
    headers: { 'List-Unsubscribe': listUnsubscribe(unsubscribe, recipe.unsubscribeMailbox) },
    customArgs: { subscriber_id: row.subscriberDocumentId, ...row.customArgs },
  };
}

/**
 * One recipient's personalization as SendGrid's v3 JSON (snake_case, wrapped substitution tags):
 * what toWireBody (provider.ts) makes of `mailingRecipient`, a unit test holds the two together.
 */
export function personalizationJson(recipe: PersonalizationRecipe, row: PersonalizationRow, tokenSecret: string): string {
  const recipient = mailingRecipient(recipe, row, tokenSecret);
  const [left, right] = SUBSTITUTION_WRAPPERS;
  const substitutions: Record<string, string> = {};
  for (const key of Object.keys(recipient.substitutions)) substitutions[left + key + right] = recipient.substitutions[key];
  return JSON.stringify({ to: [{ email: recipient.email }], headers: recipient.headers, substitutions, custom_args: recipient.customArgs });
}

/** A batch's personalizations, in order: what the personalizer builds, in this thread or in its own. */
export function personalizationsJson(recipe: PersonalizationRecipe, rows: readonly PersonalizationRow[], tokenSecret: string): string[] {
  return rows.map((row) => personalizationJson(recipe, row, tokenSecret));
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
