/**
 * Admin-only routes for GDPR requests about one subscriber (used by the buttons in the content
 * manager, see src/admin/components/GdprActions.tsx):
 *
 *   GET  /admin/gdpr/subscribers/:documentId/export   JSON download of everything we hold
 *   POST /admin/gdpr/subscribers/:documentId/erase    erases the subscriber everywhere
 *
 * Strapi 5 mounts every router of an app API (src/api/*) on the content API (/api, API tokens and
 * users-permissions users), whatever its `type`; only plugins get admin routers. ../index.ts
 * therefore takes this router off the content API and mounts it on the admin API at register, so
 * that requests authenticate with an admin session (or an admin token) like the admin panel's own.
 *
 * Who may use them: authenticated admins who may delete subscribers in the content manager
 * (`plugin::content-manager.explorer.delete` on `api::subscriber.subscriber`); the controller
 * checks that permission again against the entry itself (role conditions such as "is creator").
 */
const canDeleteSubscribers = {
  name: 'admin::hasPermissions',
  config: { actions: [['plugin::content-manager.explorer.delete', 'api::subscriber.subscriber']] },
};

const policies = ['api::gdpr.admin-api-only', 'admin::isAuthenticatedAdmin', canDeleteSubscribers];

export default {
  type: 'admin' as const,
  prefix: '/admin/gdpr',
  routes: [
    {
      method: 'GET' as const,
      path: '/subscribers/:documentId/export',
      handler: 'gdpr.exportSubscriber',
      config: { policies },
    },
    {
      method: 'POST' as const,
      path: '/subscribers/:documentId/erase',
      handler: 'gdpr.eraseSubscriber',
      config: { policies },
    },
  ],
};
