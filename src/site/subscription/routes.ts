import type { Core } from '@strapi/strapi';
import { answerOversizedRequests } from './oversized-request';
import type { MailSettings } from '../../settings/mail';
import { pageContext } from './page-response';

/** The subscription API's controllers: the signup form, the mail links' pages, the newsletter's own pages, the archive and feeds. */
const CONTROLLERS = {
  form: 'api::subscription.subscription',
  link: 'api::subscription.link-page',
  newsletter: 'api::subscription.newsletter-page',
  archive: 'api::subscription.archive',
} as const;

/**
 * The hosted pages that mail links and the website open. Strapi mounts every app-API route under
 * /api, so these are registered on the server's root router (prefix ''), without authentication.
 * Koa's router answers HEAD with the GET route: that is why no GET changes anything.
 */
export function registerNewsletterPages(strapi: Core.Strapi, settings: () => Pick<MailSettings, 'organisation'>): void {
  const page = (method: 'GET' | 'POST', path: string, controller: keyof typeof CONTROLLERS, action: string) => ({
    method,
    path,
    handler: `${CONTROLLERS[controller]}.${action}`,
    config: { auth: false as const },
  });
  strapi.server.routes({
    type: 'admin',
    prefix: '/newsletter',
    routes: [
      page('GET', '/', 'form', 'signupPage'),
      page('GET', '/check-inbox', 'form', 'checkInboxPage'),
      page('GET', '/confirm', 'link', 'confirmPage'),
      page('POST', '/confirm', 'link', 'confirm'),
      page('GET', '/preferences', 'link', 'preferences'),
      page('POST', '/preferences', 'link', 'preferences'),
      page('GET', '/unsubscribe', 'link', 'unsubscribePage'),
      page('POST', '/unsubscribe', 'link', 'unsubscribe'),
      page('GET', '/editions/:documentId', 'newsletter', 'editionPage'),
      page('GET', '/campaigns/:documentId', 'newsletter', 'campaignPage'),
      page('GET', '/privacy', 'newsletter', 'privacyPage'),
      page('GET', '/manage', 'newsletter', 'managePage'),
      page('GET', '/archive', 'archive', 'archivePage'),
    ],
  } as never);
  // RSS for feed readers (autodiscovery: src/site/archive/feed-links.ts feedHeadLinks).
  strapi.server.routes({
    type: 'admin',
    prefix: '/feeds',
    routes: [page('GET', '/articles.xml', 'archive', 'articlesFeed'), page('GET', '/archive.xml', 'archive', 'archiveFeed')],
  } as never);
  // A mangled mail link with a huge token is refused by Node's HTTP parser before Koa: answer it too.
  answerOversizedRequests(strapi.server.httpServer, () => pageContext(settings(), 'nl'));
}
