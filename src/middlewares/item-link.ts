import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { cmsServices } from '../app/cms';
import { ITEM_LINK_PATH } from '../core/domain/item-link';
import { STRICT_TRANSPORT } from './strict-transport';

/**
 * The counting redirect's links (`GET /r/<token>`, src/site/counts/) answered before the rest of the
 * CMS's middlewares: a reader's click is a 302 with a few headers, and going through the whole stack
 * (request log, security headers for pages, CORS, query and body parsing, sessions) made each one
 * allocate enough that the CMS collected garbage every few seconds under 500 clicks a second, each
 * collection holding all answers up for 100-300 ms (bench/README.md, redirect). Only a link of ours is
 * answered here; anything else under /r (not signed, changed, another spelling, another method) goes
 * on to the route, which answers it as before (the 404 page, with a page's headers).
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const prefix = `${ITEM_LINK_PATH}/`;
  return async (ctx: Context, next: () => Promise<void>) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !ctx.path.startsWith(prefix)) return next();
    const token = ctx.path.slice(prefix.length);
    if (token.includes('/')) return next();
    let answered = false;
    try {
      answered = await cmsServices(strapi).itemCounter.redirectEarly(ctx, token);
    } catch (error) {
      // The route answers it then, with the CMS's own error handling in place.
      strapi.log.warn(`[item-counts] the early redirect failed, the route answers: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!answered) return next();
    // The header strict-transport.ts gives every other answer over HTTPS.
    if (ctx.secure) ctx.set('Strict-Transport-Security', STRICT_TRANSPORT);
  };
};
