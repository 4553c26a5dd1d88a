import type { Core } from '@strapi/strapi';
import { MalformedPathError, requestPath } from '../core/web/request-path';

/**
 * Reads the request path once, early: a path that cannot be decoded is refused with a 400 here,
 * so that no later guard has to decide what such a path means.
 */
export default (_config: unknown, _context: { strapi: Core.Strapi }) => {
  return async (ctx: { path: string; state: Record<string, unknown>; status: number; body: unknown }, next: () => Promise<void>) => {
    try {
      requestPath(ctx);
    } catch (error) {
      if (!(error instanceof MalformedPathError)) throw error;
      ctx.status = 400;
      ctx.body = { data: null, error: { status: 400, name: 'BadRequestError', message: error.message, details: {} } };
      return;
    }
    await next();
  };
};
