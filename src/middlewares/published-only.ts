import type { Core } from '@strapi/strapi';

/**
 * Drafts stay private. Out of the box Strapi 5 serves draft versions to anyone who adds
 * `?status=draft`; for content-API requests without credentials this pins the status to
 * `published`. Requests with an API token or a user's JWT keep their choice (their permissions decide).
 */
export default (_config: unknown, _context: { strapi: Core.Strapi }) => {
  return async (ctx: { path: string; query: Record<string, unknown>; request: { header: Record<string, unknown> } }, next: () => Promise<void>) => {
    if (ctx.path.startsWith('/api/') && !ctx.request.header.authorization && ctx.query.status !== undefined) {
      ctx.query = { ...ctx.query, status: 'published' };
    }
    await next();
  };
};
