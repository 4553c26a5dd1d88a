import type { Context } from 'koa';
import { pageHeaders, removedHeaders, type FramePolicy } from '../core/web/headers';

/**
 * How every page readers open is answered: the body, its type, the frame policy's headers, and for
 * public pages that are the same for everyone a short cache.
 */
export function sendPage(
  ctx: Context,
  status: number,
  body: string,
  frame: FramePolicy = 'not-framed',
  options: { type?: string; publicCacheSeconds?: number } = {},
): void {
  ctx.status = status;
  ctx.type = options.type ?? 'text/html; charset=utf-8';
  setFramePolicy(ctx, frame);
  if (options.publicCacheSeconds !== undefined && status === 200) ctx.set('Cache-Control', `public, max-age=${options.publicCacheSeconds}`);
  ctx.body = body;
}

/** Sets the page headers of a frame policy, also on answers that are not pages (a redirect, JSON). */
export function setFramePolicy(ctx: Context, frame: FramePolicy): void {
  for (const [name, value] of Object.entries(pageHeaders(frame))) ctx.set(name, value);
  for (const name of removedHeaders(frame)) ctx.remove(name);
}
