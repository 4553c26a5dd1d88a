/**
 * Fail-safe for the GDPR routes: they only ever answer on the admin API (see ../index.ts). Should
 * they end up on the content API (a Strapi upgrade changing how app routers are mounted), every
 * request is refused instead of trusting a content-API credential.
 */
export default (policyContext: { state?: { route?: { info?: { type?: string } } } }): boolean =>
  policyContext.state?.route?.info?.type === 'admin';
