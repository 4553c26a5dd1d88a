import type { Core } from '@strapi/strapi';

type RouterInput = { type?: string; prefix?: string; routes: Array<{ info?: Record<string, unknown> } & Record<string, unknown>> };

/**
 * Strapi 5 registers every router of an app API on the content API (it overwrites `type` with
 * 'content-api', see @strapi/core services/server/register-routes). The routers in ./routes that
 * declare `type: 'admin'` are taken off the API here, before routing is set up, and mounted on the
 * admin API instead: same authentication as the admin panel (admin session or admin token), no
 * content-API permission action, and not reachable under /api.
 */
export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    const api = strapi.api('gdpr') as unknown as { routes: Record<string, RouterInput> };
    for (const [name, router] of Object.entries(api.routes)) {
      if (router?.type !== 'admin') continue;
      delete api.routes[name];
      strapi.server.routes({
        type: 'admin',
        prefix: router.prefix,
        routes: router.routes.map((route) => ({ ...route, info: { ...route.info, apiName: 'gdpr' } })),
      } as never);
    }
  },
};
