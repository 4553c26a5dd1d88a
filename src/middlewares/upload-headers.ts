import type { Core } from '@strapi/strapi';
import { isUnder, requestPath } from '../core/web/request-path';
import { UPLOADS_PATH, uploadResponseHeaders } from '../edge/upload-headers';

/**
 * Every response below /uploads (the media library's files) gets the headers of
 * src/edge/upload-headers.ts, set once the file server has answered (its type decides whether the
 * file is shown or downloaded). The path is compared normalised, so `/UPLOADS/x`, `//uploads/x`
 * and `/%75ploads/x` are covered like `/uploads/x`.
 */
interface UploadResponseContext {
  path: string;
  state: Record<string, unknown>;
  response: { get(field: string): string };
  set(field: string, value: string): void;
}

export default (_config: unknown, _context: { strapi: Core.Strapi }) => {
  return async (ctx: UploadResponseContext, next: () => Promise<void>) => {
    if (!isUnder(requestPath(ctx), UPLOADS_PATH)) return next();
    try {
      await next();
    } finally {
      for (const [field, value] of Object.entries(uploadResponseHeaders(ctx.response.get('Content-Type')))) ctx.set(field, value);
    }
  };
};
