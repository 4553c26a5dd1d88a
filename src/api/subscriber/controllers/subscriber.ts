import { factories } from '@strapi/strapi';
import type { Context } from 'koa';
import type { Knex } from 'knex';
import { cmsServices } from '../../../app/cms';
import { checkEmail, parseSubscriptionRequest } from '../../../core/domain/subscription-request';
import { checkListQuery, listSubscribers } from '../../../gdpr/subscriber-api';
import { CONSENT_TEXT_VERSION } from '../../../site/strings';
import type { SubscriberRecord } from '../../../site/subscription/subscriptions';

/**
 * The integration routes (../routes/integration.ts); the content API's others are refused before
 * they get here. Bad input is a 400 with the field and what is wrong; nothing is written then.
 */
function fail(ctx: Context, status: number, name: string, message: string, details: Record<string, unknown> = {}): void {
  ctx.status = status;
  ctx.body = { data: null, error: { status, name, message, details } };
}

/** Strapi's `{ data: { ... } }` or the fields themselves. */
function fields(ctx: Context): Record<string, unknown> {
  const body = (ctx.request as { body?: unknown }).body;
  const input = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return typeof input.data === 'object' && input.data !== null ? (input.data as Record<string, unknown>) : input;
}

export default factories.createCoreController('api::subscriber.subscriber', ({ strapi }) => ({
  /** GET /api/subscribers: a page of readers. */
  async find(ctx: Context) {
    const query = checkListQuery(ctx.query as Record<string, unknown>);
    if (!query.ok) return fail(ctx, 400, 'ValidationError', query.message);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await listSubscribers(strapi.db.connection as unknown as Knex, query.value);
  },

  /**
   * POST /api/subscribers: the reader's own sign-up path, so the same double opt-in (pending until
   * they confirm through the mail), the same answer for every address, and the integration named
   * as the consent record's source. `consent: true` says the person agreed on the integration's form.
   */
  async create(ctx: Context) {
    const service = cmsServices(strapi).subscriptions;
    const input = fields(ctx);
    const parsed = parseSubscriptionRequest({ ...input, website: undefined }, await service.themeSlugs(), 'en');
    if (!parsed.ok) return fail(ctx, 400, 'ValidationError', 'The sign-up has invalid fields.', { errors: parsed.errors });
    const token = (ctx.state as { auth?: { credentials?: { name?: string } } }).auth?.credentials?.name ?? 'token';
    await service.requestSubscription(parsed.value, {
      ip: ctx.request.ip,
      source: `api-token:${token}`.slice(0, 500),
      consentTextVersion: CONSENT_TEXT_VERSION,
    });
    ctx.status = 202;
    ctx.body = { data: { status: 'accepted', message: 'If this address can receive the newsletter, a confirmation mail is on its way.' } };
  },

  /**
   * POST /api/subscribers/unsubscribe: as the reader's own unsubscribe link does (name and themes
   * dropped, the address kept only to honour it). A reader who bounced or complained stays so.
   */
  async unsubscribe(ctx: Context) {
    const email = checkEmail(fields(ctx).email);
    if (!email.ok) return fail(ctx, 400, 'ValidationError', 'email must be a valid email address.', { field: 'email' });
    const subscriber = (await strapi.db.query('api::subscriber.subscriber').findOne({ where: { email: email.email } })) as SubscriberRecord | null;
    if (!subscriber) return fail(ctx, 404, 'NotFoundError', 'No subscriber has this address.');
    if (subscriber.state === 'active' || subscriber.state === 'pending') await cmsServices(strapi).subscriptions.unsubscribe(subscriber);
    const state = subscriber.state === 'active' || subscriber.state === 'pending' ? 'unsubscribed' : subscriber.state;
    ctx.body = { data: { email: email.email, state } };
  },
}));
