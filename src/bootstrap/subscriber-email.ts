import type { Core } from '@strapi/strapi';
import { normaliseEmail } from '../domain/email';

const SUBSCRIBER = 'api::subscriber.subscriber';

/**
 * Subscriber addresses are stored normalised (trimmed, lower-case), whichever way they arrive (admin
 * panel, seed, subscription endpoint), so uniqueness holds regardless of case.
 */
export function registerSubscriberEmailNormalisation(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    if (context.uid === SUBSCRIBER && (context.action === 'create' || context.action === 'update')) {
      const params = context.params as { data?: { email?: unknown } };
      if (typeof params.data?.email === 'string') params.data.email = normaliseEmail(params.data.email);
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
}
