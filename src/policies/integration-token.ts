/**
 * Lets through only an API token of the custom type: one an administrator made for an integration
 * and gave this route's scope on purpose (Strapi has checked that scope before this policy). The
 * Public and Authenticated roles are refused whatever they were granted in Settings, and so are
 * full-access and read-only tokens: a token made for the website must never read the subscriber list.
 */
interface PolicyContext {
  state: { auth?: { strategy?: { name?: string }; credentials?: { type?: string } } };
}

export default function integrationToken(ctx: PolicyContext): boolean {
  const auth = ctx.state.auth;
  return auth?.strategy?.name === 'content-api-token' && auth.credentials?.type === 'custom';
}
