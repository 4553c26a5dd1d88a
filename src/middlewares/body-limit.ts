import type { Core } from '@strapi/strapi';
import { isUnder, requestPath } from '../core/web/request-path';
import { sendFormTooLarge } from '../site/subscription/page-response';
import { cmsServices } from '../app/cms';

/**
 * Public subscription endpoints take small bodies only. Checked before the body parser reads
 * anything, so an oversized request costs nothing and gets a clear 413.
 *
 * The path is compared in its normalised form (the router also answers `/API/subscriptions`).
 * The body parser's own limit is Strapi's (1 MB) for every path, so on these paths the length
 * must be known up front: a chunked body without Content-Length gets 411, and a compressed body
 * (which could inflate past the limit) gets 415. Browsers send form posts and fetch bodies with
 * a Content-Length, and Node's HTTP parser never reads past it, so the check below is the limit.
 */
const LIMITED_PATHS = ['/api/subscriptions', '/newsletter'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface BodyContext {
  path: string;
  method: string;
  state: Record<string, unknown>;
  request: { length?: number; header: Record<string, string | string[] | undefined> };
  status: number;
  body: unknown;
  set(name: string, value: string): void;
}

export default (config: { maxBytes?: number }, { strapi }: { strapi: Core.Strapi }) => {
  const maxBytes = config.maxBytes ?? 16 * 1024;
  const refuse = (ctx: BodyContext, status: number, name: string, message: string) => {
    ctx.status = status;
    ctx.set('Connection', 'close');
    ctx.body = { data: null, error: { status, name, message } };
  };
  return async (ctx: BodyContext, next: () => Promise<void>) => {
    if (BODY_METHODS.has(ctx.method) && LIMITED_PATHS.some((path) => isUnder(requestPath(ctx), path))) {
      const length = ctx.request.length;
      const encoding = String(ctx.request.header['content-encoding'] ?? 'identity')
        .trim()
        .toLowerCase();
      const chunked = ctx.request.header['transfer-encoding'] !== undefined;
      if (length !== undefined && length > maxBytes) {
        // An HTML form gets its page back with a message (and the form's frame policy), not JSON.
        if (await sendFormTooLarge(ctx as never, cmsServices(strapi).subscriptions, maxBytes)) return ctx.set('Connection', 'close');
        return refuse(ctx, 413, 'PayloadTooLargeError', `The request body is too large (at most ${maxBytes} bytes).`);
      }
      if (length === undefined && chunked) {
        return refuse(ctx, 411, 'LengthRequiredError', 'Send the request body with a Content-Length header.');
      }
      if (encoding !== 'identity') {
        return refuse(ctx, 415, 'UnsupportedMediaTypeError', 'Compressed request bodies are not accepted here.');
      }
    }
    await next();
  };
};
