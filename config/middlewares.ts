import type { Core } from '@strapi/strapi';
import { readCorsSettings } from '../src/settings/cors';
import { decideCors } from '../src/edge/cors-policy';

interface CorsContext {
  method: string;
  path: string;
  get(header: string): string;
}

const cors = readCorsSettings();
const decide = (ctx: CorsContext) =>
  decideCors({ origin: ctx.get('Origin'), method: ctx.method, path: ctx.path, requestedMethod: ctx.get('Access-Control-Request-Method') }, cors);

const config: Core.Config.Middlewares = [
  // A mail's counted item link, answered before everything else: a click is only a redirect.
  'global::item-link',
  'strapi::logger',
  'strapi::errors',
  // Helmet's headers, but Strict-Transport-Security only over HTTPS (global::strict-transport).
  { name: 'strapi::security', config: { hsts: false } },
  'global::strict-transport',
  // Before every guard: a path that cannot be decoded is a 400, so guards agree on what a path is.
  'global::request-path',
  // Files below /uploads may never run as pages on this origin (src/edge/upload-headers.ts).
  'global::upload-headers',
  {
    name: 'strapi::cors',
    config: {
      // Strapi asks for the allowed origins of this request: the asking origin when the policy
      // allows it, none otherwise (then no CORS header is sent at all).
      origin: (ctx: CorsContext) => (decide(ctx).allowed ? [ctx.get('Origin')] : []),
      credentials: (ctx: CorsContext) => decide(ctx).credentials,
    },
  },
  // No strapi::poweredBy: the X-Powered-By header only tells a scanner what to try.
  'strapi::query',
  // Before published-only, so that a malformed `status` is refused rather than rewritten.
  'global::content-query',
  'global::published-only',
  // SendGrid's Event Webhook reads its raw body (the signature covers the bytes): before the parser.
  'global::sendgrid-webhook',
  'global::body-limit',
  'strapi::body',
  // The queue dashboard (Bull Board) at /queue-board, behind the desk's admin pass.
  'global::queue-dashboard',
  // After the body parser (it reads the address), before the admin's own login handling.
  'global::admin-login-limit',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];

export default config;
