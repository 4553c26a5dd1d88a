import type { Core } from '@strapi/strapi';

/**
 * Public subscription endpoints take small bodies only. Checked before the body parser reads
 * anything, so an oversized request costs nothing and gets a clear 413.
 */
const LIMITED_PATHS = ['/api/subscriptions', '/newsletter'];

export default (config: { maxBytes?: number }, _context: { strapi: Core.Strapi }) => {
  const maxBytes = config.maxBytes ?? 16 * 1024;
  return async (ctx: { path: string; method: string; request: { length?: number }; status: number; body: unknown; set(name: string, value: string): void }, next: () => Promise<void>) => {
    if (ctx.method === 'POST' && LIMITED_PATHS.some((path) => ctx.path === path || ctx.path.startsWith(`${path}/`))) {
      const length = ctx.request.length;
      if (length !== undefined && length > maxBytes) {
        ctx.status = 413;
        ctx.set('Connection', 'close');
        ctx.body = { data: null, error: { status: 413, name: 'PayloadTooLargeError', message: `The request body is too large (at most ${maxBytes} bytes).` } };
        return;
      }
    }
    await next();
  };
};
