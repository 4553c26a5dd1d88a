import type { Core } from '@strapi/strapi';
import { cmsServices } from '../app/cms';
import { requestPath } from '../core/web/request-path';

/**
 * Failed admin logins are limited per client IP and per account across IPs (Strapi's own limit
 * keys on address *and* IP, so rotating either walks around it). Each attempt takes a place in
 * both windows before the password is checked, so concurrent guesses cannot all slip under the
 * limit; a login that succeeds gives its place back. Once a window is full every attempt gets a
 * 429 with Retry-After, the right password too, until the window ends.
 *
 * `/admin/forgot-password` is guarded the same way, counting every request: each one can send a
 * mail, and its answer never says whether it did.
 */
const GUARDED: Record<string, { name: string; countsAll: boolean }> = {
  '/admin/login': { name: 'admin-login', countsAll: false },
  '/admin/forgot-password': { name: 'admin-forgot-password', countsAll: true },
};

interface LoginContext {
  path: string;
  method: string;
  state: Record<string, unknown>;
  status: number;
  body: unknown;
  request: { ip: string; body?: unknown };
  set(name: string, value: string): void;
}

function statusOf(error: unknown): number {
  const candidate = error as { status?: unknown; statusCode?: unknown; name?: unknown };
  if (typeof candidate.status === 'number') return candidate.status;
  if (typeof candidate.statusCode === 'number') return candidate.statusCode;
  // Strapi's own errors carry no status; its error middleware maps them by name.
  if (candidate.name === 'ApplicationError' || candidate.name === 'ValidationError') return 400;
  if (candidate.name === 'UnauthorizedError') return 401;
  return 500;
}

function accountOf(body: unknown): string | undefined {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.trim() ? email.trim().toLowerCase() : undefined;
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: LoginContext, next: () => Promise<void>) => {
    const guard = ctx.method === 'POST' ? GUARDED[requestPath(ctx)] : undefined;
    if (!guard) return next();

    const { limits, limiter } = cmsServices(strapi).adminLogin;
    const account = accountOf(ctx.request.body);
    const windows = [
      { name: `${guard.name}-ip`, subject: ctx.request.ip, limit: limits.perIp },
      ...(account ? [{ name: `${guard.name}-account`, subject: account, limit: limits.perAccount }] : []),
    ];
    let results;
    try {
      results = await Promise.all(windows.map((w) => limiter.hit(w.name, w.subject, w.limit, limits.windowSeconds)));
    } catch (error) {
      // Redis is down: editors can still log in; Strapi's own per-address-and-IP limit remains.
      strapi.log.error(`admin login limit unavailable, request let through: ${(error as Error).message}`);
      return next();
    }
    const release = () => Promise.all(windows.map((w) => limiter.release(w.name, w.subject))).catch(() => undefined);

    const exceeded = results.filter((result) => !result.allowed);
    if (exceeded.length) {
      // The password was not checked, so this attempt does not count against anyone.
      await release();
      const retryAfter = Math.max(...exceeded.map((result) => result.retryAfterSeconds));
      const minutes = Math.ceil(retryAfter / 60);
      ctx.status = 429;
      ctx.set('Retry-After', String(retryAfter));
      ctx.body = {
        data: null,
        error: {
          status: 429,
          name: 'RateLimitError',
          message: `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
          details: {},
        },
      };
      return;
    }

    let failed = false;
    try {
      await next();
      failed = ctx.status === 400 || ctx.status === 401;
    } catch (error) {
      const status = statusOf(error);
      failed = status === 400 || status === 401;
      throw error;
    } finally {
      if (!failed && !guard.countsAll) await release();
    }
  };
};
