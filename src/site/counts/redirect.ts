import { readItemLink } from '../../core/domain/item-link';
import { countsAsOpening, type Opening } from '../../core/domain/item-counts';
import { networkDay } from '../../core/domain/time-zone';
import { mailingKey } from '../../mailings/engine/mailing';
import { homePath, itemPath } from '../../core/links';
import type { Locale } from '../../core/domain/locale';
import type { ItemPage, ItemRef } from './store';

/**
 * The counting redirect `/r/<token>`: a mail's link to one of our items. It answers with the item's
 * reading page as it is now, adds one to the count of that mailing x item x day, and keeps nothing
 * about who asked (no IP, no cookie, no browser, no reader's token: the link is the same for every
 * reader of a variant).
 *
 * It never breaks a link: the count is handed on after the answer and its failure only logged; the
 * item's current address is looked up for at most LOOKUP_MS, and when the database does not answer
 * (or fails) in time the slug signed into the link at send time is used. An item published in no
 * language any more leads to the home page in the link's language: the reader still lands on the
 * network's site, where the newer items are, rather than on an error. A link that is not ours (not
 * signed, or changed) is a 404 page: never a redirect, so no one can borrow the redirect to send
 * readers elsewhere.
 */
export const LOOKUP_MS = 2000;

export interface RedirectDeps {
  tokenSecret: string;
  siteUrl: string;
  timeZone: string;
  /** MAIL_LINK_COUNTS: off = still redirected, never counted. */
  counting: boolean;
  currentPage(item: ItemRef, locale: Locale): Promise<ItemPage | null>;
  /** Adds the opening (to the buffer that writes counts); may fail, never holds the answer up. */
  count(opening: Opening): void | Promise<void>;
  /** Told once per failure to count (the caller limits how often it logs). */
  countFailed(error: unknown): void;
  now?: () => Date;
}

export interface RedirectRequest {
  token: unknown;
  method: string;
  userAgent: string | undefined;
}

export type RedirectAnswer = { status: 302; location: string } | { status: 404; locale: Locale };

export async function answerItemLink(request: RedirectRequest, deps: RedirectDeps): Promise<RedirectAnswer> {
  const link = readItemLink(request.token, deps.tokenSecret);
  if (!link.ok) return { status: 404, locale: 'nl' };
  const { item } = link;
  const ref: ItemRef = { kind: item.kind, documentId: item.documentId };

  if (deps.counting && countsAsOpening(request.method, request.userAgent)) {
    const opening: Opening = {
      day: networkDay((deps.now ?? (() => new Date()))(), deps.timeZone),
      source: 'mail',
      mailing: mailingKey(link.mailing),
      item: ref,
    };
    // Not awaited: the reader's answer never waits for, or depends on, the count.
    void Promise.resolve()
      .then(() => deps.count(opening))
      .catch((error: unknown) => deps.countFailed(error));
  }

  const page = await withinLookupTime(deps.currentPage(ref, item.locale));
  if (page === null) return { status: 302, location: `${deps.siteUrl}${homePath(item.locale)}` };
  const { locale, slug } = page === 'unknown' ? { locale: item.locale, slug: item.slug } : page;
  return { status: 302, location: `${deps.siteUrl}${itemPath(item.kind, locale, slug)}` };
}

/** The lookup's answer, or 'unknown' when it failed or took longer than LOOKUP_MS. */
async function withinLookupTime(lookup: Promise<ItemPage | null>): Promise<ItemPage | null | 'unknown'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'unknown'>((resolve) => {
    timer = setTimeout(() => resolve('unknown'), LOOKUP_MS);
  });
  try {
    return await Promise.race([lookup.catch(() => 'unknown' as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
