/**
 * The rules of item counts: how often an item was opened from a mail (a click through a counted
 * item link, src/core/domain/item-link.ts) or read on its reading page, per network day. Counts
 * only: nothing about who opened it is ever part of a count, so there is nothing about a reader
 * to keep, hand over or erase.
 */

/** Where an item was opened: through a mail's counted link, or on its reading page. */
export type CountSource = 'mail' | 'page';

export type CountedKind = 'article' | 'resource';

/** One opening, as it is counted. `mailing` names the edition or campaign for a mail, null for a page. */
export interface Opening {
  day: string;
  source: CountSource;
  mailing: string | null;
  item: { kind: CountedKind; documentId: string };
}

/**
 * Requests that are not a person reading: crawlers, link checkers and the link previews of chat
 * apps and mail scanners that say what they are. A scanner posing as a browser still counts: it
 * cannot be told apart without looking at the reader, which is what counts never do.
 */
const NOT_A_READER =
  /bot\b|bot\/|crawl|spider|slurp|preview|fetch|scan|curl|wget|python-requests|httpclient|java\/|go-http-client|headless|lighthouse|facebookexternalhit|whatsapp|skypeuripreview|linkcheck|monitor/i;

export function isObviousBot(userAgent: string | undefined | null): boolean {
  if (!userAgent) return true;
  return NOT_A_READER.test(userAgent);
}

/** Whether a request counts as an opening: a GET by something that is not obviously a bot. */
export function countsAsOpening(method: string, userAgent: string | undefined | null): boolean {
  return method === 'GET' && !isObviousBot(userAgent);
}
