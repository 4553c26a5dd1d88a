/**
 * Public subscription endpoints (no authentication: readers have no account). The hosted pages
 * under /newsletter are registered outside the /api prefix in src/site/subscription/routes.ts.
 */
export default {
  type: 'content-api',
  routes: [
    { method: 'POST', path: '/subscriptions', handler: 'subscription.subscribe', config: { auth: false } },
    { method: 'POST', path: '/subscriptions/resend', handler: 'subscription.resend', config: { auth: false } },
  ],
};
