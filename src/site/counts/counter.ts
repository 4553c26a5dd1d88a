import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Context } from 'koa';
import { countsAsOpening, type CountedKind } from '../../core/domain/item-counts';
import { networkDay } from '../../core/domain/time-zone';
import { readItemCountSettings } from '../../settings/item-counts';
import { readMailingConfig } from '../../settings/mailings';
import type { Locale } from '../../core/domain/locale';
import type { Redis } from 'ioredis';
import { answerItemLink } from './redirect';
import { currentPage, type ItemPage, type ItemRef } from './store';
import { createCountBuffer } from './buffer';
import { addPendingOpenings } from './pending';

/**
 * Every click must reach us to be counted: no cache may answer it, and the page it leads to learns
 * nothing of the redirect (no Referer).
 */
function noTrace(ctx: Context): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Referrer-Policy', 'no-referrer');
}

function redirectTo(ctx: Context, location: string): void {
  noTrace(ctx);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.status = 302;
  ctx.redirect(location);
}

/** Redis away would fail every hand-over; one warning a minute says so without flooding the log. */
const WARN_EVERY_MS = 60_000;

/**
 * How long an item's page address is reused without asking the database again: a mail's items are
 * clicked in bursts after the send. The price: for up to this long after an editor changes a slug
 * (rare), the redirect still leads to the old address, which is then a 404 page.
 */
const PAGE_CACHE_MS = 60_000;
const PAGE_CACHE_MAX = 5000;

/**
 * The CMS's item counting: the counting redirect and the reading pages' views. Page addresses are
 * read from Strapi's database; openings are gathered for a second (buffer.ts) and handed to Redis,
 * from where the worker writes them (pending.ts): the CMS never writes the database for them. Settings
 * are read on first use (the CMS's address is known once it listens). Built by the CMS's
 * composition root (src/app/cms.ts), which hands on what is waiting when the CMS stops.
 */
export type ItemCounter = ReturnType<typeof createItemCounter>;

export function createItemCounter(strapi: Core.Strapi, tokenSecret: () => string, redis: () => Redis, redisPrefix: string) {
  let settings: { counting: boolean; siteUrl: string; timeZone: string } | undefined;
  const read = () => {
    if (!settings) {
      const config = readMailingConfig();
      settings = { counting: readItemCountSettings().enabled, siteUrl: config.siteUrl, timeZone: config.timeZone };
    }
    return settings;
  };
  const db = () => strapi.db.connection as unknown as Knex;
  const pages = new Map<string, { page: ItemPage | null; until: number }>();
  const lookUp = async (item: ItemRef, locale: Locale): Promise<ItemPage | null> => {
    const key = `${item.kind}:${item.documentId}:${locale}`;
    const cached = pages.get(key);
    if (cached && cached.until > Date.now()) return cached.page;
    const page = await currentPage(db(), item, locale);
    if (pages.size >= PAGE_CACHE_MAX) pages.clear();
    pages.set(key, { page, until: Date.now() + PAGE_CACHE_MS });
    return page;
  };
  let lastWarning = 0;
  const countFailed = (error: unknown) => {
    const now = Date.now();
    if (now - lastWarning < WARN_EVERY_MS) return;
    lastWarning = now;
    strapi.log.warn(
      `[item-counts] openings could not be handed to Redis and are lost (the readers were answered all the same): ${error instanceof Error ? error.message : String(error)}`,
    );
  };

  // To Redis, a pipeline a second; the worker writes them to the table (pending.ts).
  const buffer = createCountBuffer((openings) => addPendingOpenings(redis(), redisPrefix, openings), countFailed);

  const answerFor = (ctx: Context, token: unknown) =>
    answerItemLink(
      { token, method: ctx.method, userAgent: ctx.get('user-agent') || undefined },
      { ...read(), tokenSecret: tokenSecret(), currentPage: lookUp, count: (opening) => buffer.add(opening), countFailed },
    );

  return {
    /**
     * `GET /r/<token>` as the first thing the CMS does with a request (src/middlewares/item-link.ts):
     * a link of ours is answered here with its 302; anything else (not ours, changed, not a GET or
     * HEAD) is left to the route, which answers the 404 page with every header a page gets. Returns
     * whether it answered.
     */
    async redirectEarly(ctx: Context, token: string): Promise<boolean> {
      const answer = await answerFor(ctx, token);
      if (answer.status === 404) return false;
      redirectTo(ctx, answer.location);
      return true;
    },

    /** `GET /r/<token>` through the router: the answer, or a 404 page through `notFound`. */
    async redirect(ctx: Context, notFound: (locale: Locale) => void): Promise<void> {
      const answer = await answerFor(ctx, ctx.params?.token);
      if (answer.status === 404) {
        noTrace(ctx);
        return notFound(answer.locale);
      }
      redirectTo(ctx, answer.location);
    },

    /**
     * A reading page of an item was shown: one view for that item today. A GET by something not
     * obviously a bot only (HEAD and link checkers are not readers; the preview route never calls
     * this). Not awaited by the page, never failing it.
     */
    pageViewed(ctx: Context, item: { kind: CountedKind; documentId: string }): void {
      const { counting, timeZone } = read();
      if (!counting || !countsAsOpening(ctx.method, ctx.get('user-agent'))) return;
      buffer.add({ day: networkDay(new Date(), timeZone), source: 'page', mailing: null, item });
    },

    /** Writes the openings still waiting (the CMS stopping). */
    close: () => buffer.close(),
  };
}
