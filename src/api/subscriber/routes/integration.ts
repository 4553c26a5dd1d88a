/**
 * The subscriber list for integrations (a CRM, a member administration), for an API token of the
 * custom type that an administrator gave these scopes (Settings > API Tokens > Subscriber: find,
 * create, unsubscribe); every other caller gets 403 (global::integration-token).
 *
 *   GET  /api/subscribers?page=&pageSize=&state=&locale=&theme=   a page of readers
 *   POST /api/subscribers              { email, name?, locale?, themes?, consent: true } -> 202:
 *                                      the reader's own double opt-in (pending, confirmation mail)
 *   POST /api/subscribers/unsubscribe  { email } -> the reader unsubscribed, as by their own link
 */
const integration = { policies: ['global::integration-token'] };

export default {
  type: 'content-api',
  routes: [
    { method: 'GET', path: '/subscribers', handler: 'subscriber.find', config: integration },
    { method: 'POST', path: '/subscribers', handler: 'subscriber.create', config: integration },
    { method: 'POST', path: '/subscribers/unsubscribe', handler: 'subscriber.unsubscribe', config: integration },
  ],
};
