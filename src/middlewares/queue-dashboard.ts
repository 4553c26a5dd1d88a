import type { Core } from '@strapi/strapi';
import { ownOrigin } from '../settings/cors';
import { readSecret } from '../settings/secrets';
import { isUnder, requestPath } from '../core/web/request-path';
import { checkSameOrigin } from '../core/web/same-origin';
import { QUEUE_BOARD_PATH } from '../ops/dashboard';
import { cmsServices } from '../app/cms';
import type { BoardContext } from '../ops/koa-adapter';
import { QUEUE_PASS_COOKIE, verifyQueuePass } from '../ops/pass';

/**
 * The queue dashboard (Bull Board) at /queue-board, for admins only: every request below it needs
 * the pass cookie that the desk's admin route `POST /desk/queue-pass` gives an admin holding
 * `plugin::desk.queues` (src/plugins/desk), and the pass's admin must still be active. Without
 * one: 401 and a page that says where to open it. The path is compared normalised, so no
 * spelling (case, slashes, encoding) gets past the check. The pass is a cookie, which a browser
 * also sends with a request another site makes it send, so a change (retry, promote, clean...: any
 * method but GET/HEAD/OPTIONS) must also come from the CMS's own origin (PUBLIC_URL's, or the one
 * the request was made to): else 403 (src/core/web/same-origin.ts). The board and its Redis connection are
 * made on first use and closed with Strapi (src/ops/dashboard.ts).
 */
interface DashboardContext extends BoardContext {
  path: string;
  /** The origin the request was made to (Koa: protocol://host). */
  origin: string;
  get(header: string): string;
  state: Record<string, unknown>;
  cookies: { get(name: string, options?: { signed?: boolean }): string | undefined };
  redirect(url: string): void;
}

const NO_PASS_PAGE = `<!doctype html><html lang="nl"><meta charset="utf-8"><title>Wachtrijen / Queues</title>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>Wachtrijen / Queues</h1>
<p>Open het wachtrijoverzicht vanuit het beheerpaneel (menu <em>Wachtrijen</em>); daarvoor heb je het recht <em>Queue dashboard</em> nodig.</p>
<p lang="en">Open the queue dashboard from the admin panel (menu <em>Queues</em>); it needs the <em>Queue dashboard</em> permission.</p>
<p><a href="/admin">/admin</a></p></body></html>`;

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const secret = readSecret('ADMIN_JWT_SECRET');

  return async (ctx: DashboardContext, next: () => Promise<void>) => {
    const path = requestPath(ctx);
    if (!isUnder(path, QUEUE_BOARD_PATH)) return next();
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Frame-Options', 'DENY');
    // Not no-referrer: with that policy a browser sends `Origin: null` on the board's own changes.
    ctx.set('Referrer-Policy', 'same-origin');
    const pass = verifyQueuePass(ctx.cookies.get(QUEUE_PASS_COOKIE, { signed: false }), secret);
    const admin = pass.ok
      ? ((await strapi.db.query('admin::user').findOne({ where: { id: pass.userId }, select: ['isActive', 'blocked'] })) as {
          isActive?: boolean;
          blocked?: boolean;
        } | null)
      : null;
    if (!pass.ok || !admin?.isActive || admin.blocked) {
      ctx.status = 401;
      ctx.type = 'text/html';
      ctx.body = NO_PASS_PAGE;
      return;
    }
    const origin = checkSameOrigin({ method: ctx.method, origin: ctx.get('Origin'), referer: ctx.get('Referer') }, [ownOrigin(), ctx.origin]);
    if (!origin.ok) {
      ctx.status = 403;
      const from = origin.claimed ?? 'an unnamed origin / een onbekende herkomst';
      ctx.body = {
        error: `Refused: changes to the queues are only accepted from the queue dashboard's own page (this request came from ${from}). / Geweigerd: wijzigingen in de wachtrijen worden alleen aangenomen vanaf het wachtrijoverzicht zelf (dit verzoek kwam van ${from}).`,
      };
      return;
    }
    // Below the base path, as requested (Bull Board's queue names and job ids are case-sensitive).
    const sub = ctx.path.startsWith(QUEUE_BOARD_PATH) ? ctx.path.slice(QUEUE_BOARD_PATH.length) : path.slice(QUEUE_BOARD_PATH.length);
    if (sub === '') return ctx.redirect(`${QUEUE_BOARD_PATH}/`);
    if (!(await cmsServices(strapi).queueDashboard.adapter.handle(sub, ctx))) {
      ctx.status = 404;
      ctx.body = { error: 'Not found' };
    }
  };
};
