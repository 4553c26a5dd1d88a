import type { Locale } from '../core/domain/locale';
import { signLinkToken } from '../core/domain/tokens';
import type { Recipient } from './outgoing-mail';
import { SUBSTITUTION_WRAPPERS } from './outgoing-mail';
import { greetingFor } from './substitutions';
import { signedLink, tokenLink } from './transactional-mail';

/**
 * A recipient's personalization of an edition or campaign: their signed links as substitutions,
 * their List-Unsubscribe header, and ids without personal data in custom_args. The same for every
 * recipient of a variant except what `PersonalizationRow` holds, so that a batch's thousand
 * personalizations can be built from plain data, in another thread (personalizer.ts).
 */
export interface PersonalizationRecipe {
  publicUrl: string;
  /**
   * The web version of the variant: the same public page for every reader of it, with no token
   * (a web-version address gets copied into chats; nothing on it is personal).
   */
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

/** What differs per recipient of a variant: their greeting, signed links and List-Unsubscribe. */
interface RecipientValues {
  greeting: string;
  unsubscribeUrl: string;
  preferencesUrl: string;
  viewUrl: string;
  listUnsubscribe: string;
}

function recipientValues(recipe: PersonalizationRecipe, row: PersonalizationRow, tokenSecret: string): RecipientValues {
  // Only the links a mail carries: signing is most of the per-recipient cost.
  const unsubscribeToken = signLinkToken({ purpose: 'unsubscribe', linkKey: row.linkKey }, tokenSecret);
  const unsubscribeUrl = tokenLink(recipe.publicUrl, 'unsubscribe', unsubscribeToken, recipe.locale);
  return {
    greeting: greetingFor(recipe.locale, row.name),
    unsubscribeUrl,
    preferencesUrl: signedLink(recipe.publicUrl, 'preferences', row.linkKey, tokenSecret, undefined, recipe.locale),
    // Still a substitution although it is the variant's own: variants stored before carry the tag.
    viewUrl: recipe.viewUrl,
    listUnsubscribe: listUnsubscribe(unsubscribeUrl, unsubscribeToken, recipe.unsubscribeMailbox),
  };
}

/** The custom args of a recipient: the subscriber (by document id, no personal data) and the row's own. */
function recipientArgs(row: PersonalizationRow): Record<string, string> {
  return { subscriber_id: row.subscriberDocumentId, ...row.customArgs };
}

export function mailingRecipient(recipe: PersonalizationRecipe, row: PersonalizationRow, tokenSecret: string): Recipient {
  const values = recipientValues(recipe, row, tokenSecret);
  return {
    email: row.email,
    substitutions: { greeting: values.greeting, unsubscribe_url: values.unsubscribeUrl, preferences_url: values.preferencesUrl, view_url: values.viewUrl },
    headers: { 'List-Unsubscribe': values.listUnsubscribe },
    customArgs: recipientArgs(row),
  };
}

/**
 * One recipient's personalization as SendGrid's v3 JSON (snake_case, wrapped substitution tags):
 * what toWireBody (provider.ts) makes of `mailingRecipient`, a unit test holds the two together.
 * Written as text around each value's own JSON rather than by stringifying a nested object per
 * recipient: with the mailto no longer parsing its link back, 13.2 -> 12.0-12.5 ms per 1000
 * (bench/README.md, "All targets met", step 2).
 */
export function personalizationJson(recipe: PersonalizationRecipe, row: PersonalizationRow, tokenSecret: string): string {
  const values = recipientValues(recipe, row, tokenSecret);
  const q = JSON.stringify;
  let args = '';
  const custom = recipientArgs(row);
  for (const key of Object.keys(custom)) args += `${args ? ',' : ''}${q(key)}:${q(custom[key])}`;
  return (
    `{"to":[{"email":${q(row.email)}}],"headers":{"List-Unsubscribe":${q(values.listUnsubscribe)}},` +
    `"substitutions":{${TAG.greeting}:${q(values.greeting)},${TAG.unsubscribe_url}:${q(values.unsubscribeUrl)},${TAG.preferences_url}:${q(values.preferencesUrl)},${TAG.view_url}:${q(values.viewUrl)}},` +
    `"custom_args":{${args}}}`
  );
}

/** The substitution tags of a personalization, wrapped and as JSON keys. */
const TAG = Object.fromEntries(
  ['greeting', 'unsubscribe_url', 'preferences_url', 'view_url'].map((name) => [
    name,
    JSON.stringify(SUBSTITUTION_WRAPPERS[0] + name + SUBSTITUTION_WRAPPERS[1]),
  ]),
) as Record<'greeting' | 'unsubscribe_url' | 'preferences_url' | 'view_url', string>;

/** A batch's personalizations, in order: what the personalizer builds, in this thread or in its own. */
export function personalizationsJson(recipe: PersonalizationRecipe, rows: readonly PersonalizationRow[], tokenSecret: string): string[] {
  return rows.map((row) => personalizationJson(recipe, row, tokenSecret));
}

/**
 * RFC 2369 / 8058: the https link first (one-click), then, when a processed mailbox exists, a
 * mailto whose subject carries the same signed token (the link's), so a handler of that mailbox can act on it.
 */
export function listUnsubscribe(httpsLink: string, token: string, mailbox: string | null): string {
  if (!mailbox) return `<${httpsLink}>`;
  return `<${httpsLink}>, <mailto:${mailbox}?subject=${encodeURIComponent(`unsubscribe ${token}`)}>`;
}
