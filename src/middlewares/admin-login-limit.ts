import type { Core } from '@strapi/strapi';
import { cmsServices } from '../app/cms';
import type { AttemptLimiter } from '../core/infra/rate-limiter';
import { requestPath } from '../core/web/request-path';

/**
 * Failed admin logins are limited per client IP and per account across IPs. This is the only
 * login limit: Strapi's own (config/admin.ts) keys on address *and* IP, so rotating either walks
 * around it, and it counts logins that succeed, so an editor who logs in a few times within
 * minutes was locked out. Each attempt takes a place in both windows before the password is
 * checked, so concurrent guesses cannot all slip under the limit; a login that succeeds gives its
 * place back. Once a window is full every attempt gets a 429 with Retry-After, the right password
 * too, until the window ends. While Redis cannot be reached the windows are counted in this
 * process's memory instead, so an outage never lifts the limit.
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

    const { limits, limiter: shared, local } = cmsServices(strapi).adminLogin;
    const account = accountOf(ctx.request.body);
    const windows = [
      { name: `${guard.name}-ip`, subject: ctx.request.ip, limit: limits.perIp },
      ...(account ? [{ name: `${guard.name}-account`, subject: account, limit: limits.perAccount }] : []),
    ];
    let limiter: AttemptLimiter = shared;
    let results;
    try {
      results = await Promise.all(windows.map((w) => limiter.hit(w.name, w.subject, w.limit, limits.windowSeconds)));
    } catch (error) {
      // Redis is down: editors can still log in, and failures count in this process.
      strapi.log.warn(`admin login limit counted in this process (Redis unavailable: ${(error as Error).message})`);
      limiter = local;
      results = await Promise.all(windows.map((w) => limiter.hit(w.name, w.subject, w.limit, limits.windowSeconds)));
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
