import type { Core } from '@strapi/strapi';

/**
 * Strict-Transport-Security, only on answers over HTTPS (directly, or through a proxy trusted with
 * TRUST_PROXY that says X-Forwarded-Proto: https): browsers ignore it over plain HTTP, and sending
 * it there only tells a development or test host to insist on TLS it does not have. Replaces the
 * header of strapi::security (helmet), which sends it on every answer.
 */
export const STRICT_TRANSPORT = 'max-age=31536000; includeSubDomains';

export default (_config: unknown, _context: { strapi: Core.Strapi }) => {
  return async (ctx: { secure: boolean; set(field: string, value: string): void }, next: () => Promise<void>) => {
    if (ctx.secure) ctx.set('Strict-Transport-Security', STRICT_TRANSPORT);
    await next();
  };
};
