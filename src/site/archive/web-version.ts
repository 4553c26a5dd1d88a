import type { Locale } from '../../core/domain/locale';
import { applySubstitutions, greetingFor } from '../../mail/substitutions';

/**
 * A mailing's web version: the variant's html as stored when it was planned, its SendGrid
 * substitution tags filled the same for whoever opens it in a browser: a neutral greeting and
 * general footer links, never a reader's own (its address is shared, copied into chats). Pure: the
 * page controller looks up the variant.
 */

/** The web version of an edition's variant (`<locale>|<themes>`, see src/mailings/edition/variants.ts). */
export function editionWebVersionPath(documentId: string, variantKey: string): string {
  return `/newsletter/editions/${encodeURIComponent(documentId)}?variant=${encodeURIComponent(variantKey)}`;
}

/** The web version of a campaign in one language (a campaign's variant is its language). */
export function campaignWebVersionPath(documentId: string, locale: Locale): string {
  return `/newsletter/campaigns/${encodeURIComponent(documentId)}?lang=${locale}`;
}

/** The page that tells anyone how to change or end a subscription: the personal links are in their mail. */
export function manageSubscriptionPath(locale: Locale): string {
  return `/newsletter/manage?lang=${locale}`;
}

export interface WebVersionLinks {
  /** The page itself, as its "view in browser" link. */
  self: string;
  unsubscribe: string;
  preferences: string;
}

/**
 * The footer's links: the manage page in the page's language, which tells a reader how to use the
 * personal links in their own mail (or mails them one), and works for anyone.
 */
export function generalLinks(publicUrl: string, locale: Locale, selfPath: string): WebVersionLinks {
  const manage = `${publicUrl}${manageSubscriptionPath(locale)}`;
  return { self: `${publicUrl}${selfPath}`, unsubscribe: `${manage}#unsubscribe`, preferences: `${manage}#preferences` };
}

export interface WebVersionOptions {
  locale: Locale;
  links: WebVersionLinks;
  /** False when the URL carries a token (of an older mail) or editors kept the mailing out of the archive. */
  indexable: boolean;
}

/**
 * Fills the tags (the greeting stays neutral: the page has no name to use) and puts the robots and
 * referrer rules into the head, so that neither a search engine nor a clicked link gets the
 * address an older mail's link opened it with (its token names a reader).
 */
export function fillWebVersion(variantHtml: string, options: WebVersionOptions): string {
  const filled = applySubstitutions(variantHtml, {
    '%greeting%': greetingFor(options.locale, null),
    '%unsubscribe_url%': escapeAttribute(options.links.unsubscribe),
    '%preferences_url%': escapeAttribute(options.links.preferences),
    '%view_url%': escapeAttribute(options.links.self),
  });
  const meta = `<meta name="referrer" content="no-referrer">${options.indexable ? '' : '<meta name="robots" content="noindex">'}`;
  const head = /<head[^>]*>/i;
  return head.test(filled) ? filled.replace(head, (tag) => `${tag}${meta}`) : `${meta}${filled}`;
}

/** The links go into href attributes and text alike; our URLs only ever need `&` escaped. */
function escapeAttribute(url: string): string {
  return url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
