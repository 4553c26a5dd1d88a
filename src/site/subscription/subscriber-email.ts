import type { Core } from '@strapi/strapi';
import { normaliseEmail } from '../../core/domain/email';
import { newLinkKey } from '../../core/domain/tokens';
import { CONTENT_TYPES } from '../../core/content-types';

const SUBSCRIBER = CONTENT_TYPES.subscriber;

/**
 * Whichever way a subscriber is written (admin panel, seed, subscription endpoint): the address is
 * stored normalised (trimmed, lower-case), so uniqueness holds regardless of case, and every
 * subscriber gets the random link key that mail links refer to. A subscriber made active again
 * (an Editor lifting a spam report or bounce in the admin panel) loses the suppression reason: it
 * no longer says why they get no mail.
 */
export function registerSubscriberDefaults(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    if (context.uid === SUBSCRIBER && (context.action === 'create' || context.action === 'update')) {
      const params = context.params as { data?: { email?: unknown; linkKey?: unknown; state?: unknown; suppressionReason?: unknown; suppressedAt?: unknown } };
      if (params.data && typeof params.data.email === 'string') params.data.email = normaliseEmail(params.data.email);
      if (params.data?.state === 'active') Object.assign(params.data, { suppressionReason: null, suppressedAt: null });
      if (context.action === 'create' && params.data && !params.data.linkKey) params.data.linkKey = newLinkKey();
    }
    return next();
  });
}

/**
 * The database enforces uniqueness too, so two concurrent sign-ups for one address cannot both be
 * written (the application-level check in Strapi's validator is not atomic).
 */
export async function ensureSubscriberEmailIndex(strapi: Core.Strapi): Promise<void> {
  await strapi.db.connection.raw('CREATE UNIQUE INDEX IF NOT EXISTS subscribers_email_unique ON subscribers (email)');
  await strapi.db.connection.raw('CREATE UNIQUE INDEX IF NOT EXISTS subscribers_link_key_unique ON subscribers (link_key)');
}
