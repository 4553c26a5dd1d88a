import type { Core } from '@strapi/strapi';

const CONTROLLER = 'api::subscription.subscription';

/**
 * The hosted pages that mail links and the website open. Strapi mounts every app-API route under
 * /api, so these are registered on the server's root router (prefix ''), without authentication.
 */
export function registerNewsletterPages(strapi: Core.Strapi): void {
  const page = (method: 'GET' | 'POST', path: string, action: string) => ({
    method,
    path,
    handler: `${CONTROLLER}.${action}`,
    config: { auth: false as const },
  });
  strapi.server.routes({
    type: 'admin',
    prefix: '/newsletter',
    routes: [
      page('GET', '/', 'signupPage'),
      page('GET', '/check-inbox', 'checkInboxPage'),
      page('GET', '/confirm', 'confirm'),
      page('GET', '/preferences', 'preferences'),
      page('POST', '/preferences', 'preferences'),
      page('GET', '/unsubscribe', 'unsubscribePage'),
      page('POST', '/unsubscribe', 'unsubscribe'),
      page('GET', '/editions/:documentId', 'editionPage'),
      page('GET', '/privacy', 'privacyPage'),
    ],
  } as never);
}
