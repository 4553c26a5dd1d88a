import { DESK_ACTIONS } from '../../../../mailings/desk/permissions';
import { CONTENT_TYPES } from '../../../../core/content-types';

/**
 * The desk's admin API (mounted by Strapi under /desk, `type: 'admin'`: an admin session or admin
 * token, never the content API). Every route needs an authenticated admin holding the route's own
 * desk action; GDPR also needs the content manager's delete permission on subscribers (the
 * controller checks it again against the entry, for role conditions such as "is creator").
 *
 *   GET  /desk/mailings/:kind/:documentId/preview     every variant, rendered          preview
 *   GET  /desk/mailings/:kind/:documentId/progress    state and counts                 preview
 *   GET  /desk/mailings/:kind/:documentId/item-counts its items, most opened first      preview
 *   POST /desk/mailings/:kind/:documentId/test-send   { addresses, locale }            send-test
 *   GET  /desk/mailings/:kind/:documentId/audience    readers it would reach now       send
 *   POST /desk/mailings/:kind/:documentId/schedule    { sendAt }                       send
 *   POST /desk/mailings/:kind/:documentId/send-now                                     send
 *   POST /desk/mailings/:kind/:documentId/cancel                                       cancel
 *   POST /desk/mailings/:kind/:documentId/unschedule  scheduled -> draft               send
 *   POST /desk/mailings/:kind/:documentId/duplicate   -> { documentId } of a new draft  duplicate
 *   POST /desk/mailings/:kind/:documentId/send-remainder  cancelled or partly failed:
 *                                                     a copy sent now to those who did
 *                                                     not get it -> { documentId }     send
 *   GET  /desk/editions/next                          what an edition made now holds   assemble
 *   POST /desk/editions/assemble                      -> { documentId } of a draft     assemble
 *   GET  /desk/welcome-mail/preview                   each language with a text        preview
 *   POST /desk/welcome-mail/test-send                 { addresses, locale }            send-test
 *   GET  /desk/gdpr/subscribers/:documentId/export    JSON download                    gdpr
 *   POST /desk/gdpr/subscribers/:documentId/erase                                      gdpr
 *   POST /desk/queue-pass                             the queue dashboard's pass cookie queues
 *   GET  /desk/statistics/growth?days=N               growth snapshots, oldest first   statistics
 *   GET  /desk/statistics/growth.csv?days=N           the same as a CSV download       statistics
 *   POST /desk/subscribers/import                     multipart CSV: dry run or import subscribers
 *   GET  /desk/subscribers/import/:importId/progress  rows done so far                 subscribers
 *   GET  /desk/subscribers/export?state=&locale=&theme=  the list as CSV, logged       subscribers
 *   GET  /desk/subscribers/exports                    the latest exports (the log)     subscribers
 *                                                     (or growth?format=csv)
 *   GET  /desk/statistics/most-read?days=N            items by openings, no person     statistics
 *   GET  /desk/items/search?q=&locale=                published articles and resources
 *                                                     by title, for the item picker    preview
 *   GET  /desk/items/picked?kind=&ids=&locale=        a mailing's list entries, as the
 *                                                     picker shows them                preview
 */
const requires = (...actions: Array<string | [string, string]>) => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions } }],
});

const mailing = (method: 'GET' | 'POST', action: string, handler: string, permission: string) => ({
  method,
  path: `/mailings/:kind/:documentId/${action}`,
  handler: `mailings.${handler}`,
  config: requires(permission),
});

const gdpr = requires(DESK_ACTIONS.gdpr, ['plugin::content-manager.explorer.delete', CONTENT_TYPES.subscriber]);

export default {
  admin: {
    type: 'admin' as const,
    routes: [
      mailing('GET', 'preview', 'preview', DESK_ACTIONS.preview),
      mailing('GET', 'progress', 'progress', DESK_ACTIONS.preview),
      mailing('GET', 'item-counts', 'itemCounts', DESK_ACTIONS.preview),
      mailing('POST', 'test-send', 'sendTest', DESK_ACTIONS.sendTest),
      mailing('GET', 'audience', 'audience', DESK_ACTIONS.send),
      mailing('POST', 'schedule', 'schedule', DESK_ACTIONS.send),
      mailing('POST', 'send-now', 'sendNow', DESK_ACTIONS.send),
      mailing('POST', 'cancel', 'cancel', DESK_ACTIONS.cancel),
      mailing('POST', 'unschedule', 'unschedule', DESK_ACTIONS.send),
      mailing('POST', 'duplicate', 'duplicate', DESK_ACTIONS.duplicate),
      mailing('POST', 'send-remainder', 'sendRemainder', DESK_ACTIONS.send),
      { method: 'GET' as const, path: '/editions/next', handler: 'mailings.nextEdition', config: requires(DESK_ACTIONS.assemble) },
      { method: 'POST' as const, path: '/editions/assemble', handler: 'mailings.assembleEdition', config: requires(DESK_ACTIONS.assemble) },
      { method: 'GET' as const, path: '/welcome-mail/preview', handler: 'welcome.preview', config: requires(DESK_ACTIONS.preview) },
      { method: 'POST' as const, path: '/welcome-mail/test-send', handler: 'welcome.sendTest', config: requires(DESK_ACTIONS.sendTest) },
      { method: 'GET' as const, path: '/gdpr/subscribers/:documentId/export', handler: 'gdpr.exportSubscriber', config: gdpr },
      { method: 'POST' as const, path: '/gdpr/subscribers/:documentId/erase', handler: 'gdpr.eraseSubscriber', config: gdpr },
      { method: 'POST' as const, path: '/queue-pass', handler: 'queues.issuePass', config: requires(DESK_ACTIONS.queues) },
      { method: 'GET' as const, path: '/statistics/growth', handler: 'statistics.growth', config: requires(DESK_ACTIONS.statistics) },
      { method: 'GET' as const, path: '/statistics/growth.csv', handler: 'statistics.growthCsv', config: requires(DESK_ACTIONS.statistics) },
      { method: 'GET' as const, path: '/statistics/most-read', handler: 'statistics.mostRead', config: requires(DESK_ACTIONS.statistics) },
      { method: 'POST' as const, path: '/subscribers/import', handler: 'subscribers.importFile', config: requires(DESK_ACTIONS.subscribers) },
      {
        method: 'GET' as const,
        path: '/subscribers/import/:importId/progress',
        handler: 'subscribers.importProgress',
        config: requires(DESK_ACTIONS.subscribers),
      },
      { method: 'GET' as const, path: '/items/search', handler: 'items.search', config: requires(DESK_ACTIONS.preview) },
      { method: 'GET' as const, path: '/items/picked', handler: 'items.picked', config: requires(DESK_ACTIONS.preview) },
      { method: 'GET' as const, path: '/subscribers/export', handler: 'subscribers.exportList', config: requires(DESK_ACTIONS.subscribers) },
      { method: 'GET' as const, path: '/subscribers/exports', handler: 'subscribers.exportLog', config: requires(DESK_ACTIONS.subscribers) },
    ],
  },
};
