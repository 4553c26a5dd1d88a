import type { CorsSettings } from '../settings/cors';
import { isUnder, normaliseRequestPath } from '../core/web/request-path';

/**
 * What a cross-origin request may get, decided from the normalised path:
 * - a listed origin: everything, with credentials;
 * - any other origin: only reads of the public content API (GET/HEAD under /api, also their
 *   preflight), never with credentials, and only when public reads are on;
 * - anything else (the admin panel's /admin routes in particular): no CORS headers at all, so
 *   the browser keeps the answer from the page that asked.
 */
export interface CorsRequest {
  origin: string;
  method: string;
  path: string;
  /** For a preflight (OPTIONS): the method the real request will use. */
  requestedMethod?: string;
}

export interface CorsDecision {
  allowed: boolean;
  credentials: boolean;
}

const DENY: CorsDecision = { allowed: false, credentials: false };
const READ_METHODS = new Set(['GET', 'HEAD']);

export function decideCors(request: CorsRequest, settings: CorsSettings): CorsDecision {
  if (!request.origin) return DENY;
  if (settings.origins.includes(request.origin)) return { allowed: true, credentials: true };
  if (!settings.publicRead) return DENY;
  let path: string;
  try {
    path = normaliseRequestPath(request.path);
  } catch {
    return DENY;
  }
  const method = request.method.toUpperCase() === 'OPTIONS' ? (request.requestedMethod ?? '').toUpperCase() : request.method.toUpperCase();
  if (isUnder(path, '/api') && READ_METHODS.has(method)) return { allowed: true, credentials: false };
  return DENY;
}
