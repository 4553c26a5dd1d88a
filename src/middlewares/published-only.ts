import type { Core } from '@strapi/strapi';
import { isUnder, requestPath } from '../core/web/request-path';

/**
 * Drafts stay private. Out of the box Strapi 5 serves draft versions to anyone who adds
 * `?status=draft`; for content-API requests without credentials this pins the status to
 * `published`. Requests with a bearer credential (API token or a user's JWT) keep their choice:
 * Strapi checks the credential and their permissions decide. Any other Authorization header
 * (`Basic x`) does not count: Strapi ignores it and treats the request as public.
 * The path is compared in its normalised form, because the router also answers `/API/articles`.
 */
const BEARER = /^bearer\s+\S/i;

export default (_config: unknown, _context: { strapi: Core.Strapi }) => {
  return async (
    ctx: { path: string; state: Record<string, unknown>; query: Record<string, unknown>; request: { header: Record<string, unknown> } },
    next: () => Promise<void>,
  ) => {
    const authorization = ctx.request.header.authorization;
    const hasBearer = typeof authorization === 'string' && BEARER.test(authorization);
    if (isUnder(requestPath(ctx), '/api') && !hasBearer && ctx.query.status !== undefined) {
      ctx.query = { ...ctx.query, status: 'published' };
    }
    await next();
  };
};
