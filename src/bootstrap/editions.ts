import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { errors } from '@strapi/utils';
import { ensureNewsletterTables } from '../newsletter/store';

const EDITION = 'api::edition.edition';
const EDITABLE = ['draft', 'scheduled'];
/** What editors may set the status to by hand; everything else is the worker's. */
const EDITOR_STATUSES = ['draft', 'scheduled', 'cancelled'];

/**
 * Editors adjust an edition while it is a draft or scheduled (intro, items, send time), and may
 * cancel it; once it is being sent, it is history. The worker writes through the query layer and
 * is not subject to this.
 */
export function registerEditionRules(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    if (context.uid !== EDITION || (context.action !== 'update' && context.action !== 'create')) return next();
    const data = (context.params as { data?: Record<string, unknown> }).data ?? {};
    if (context.action === 'update') {
      const documentId = (context.params as { documentId?: string }).documentId;
      const current = await strapi.db.query(EDITION).findOne({ where: { documentId }, select: ['status'] });
      if (current && !EDITABLE.includes(current.status)) {
        throw new errors.ValidationError(`This edition is ${current.status} and can no longer be changed. / Deze editie is ${current.status} en kan niet meer worden gewijzigd.`);
      }
    }
    if (data.items !== undefined && !isItemList(data.items)) {
      throw new errors.ValidationError('Items must be a list of { "type": "article" | "resource", "documentId": "..." } entries (remove an entry to drop it, move it to reorder). / Items moet een lijst zijn van { "type", "documentId" }.');
    }
    if (data.status !== undefined && !EDITOR_STATUSES.includes(String(data.status)) && context.action === 'update') {
      throw new errors.ValidationError(`Editors can set an edition to draft, scheduled or cancelled; sending is done by the worker. / Redacteuren kunnen een editie op concept, gepland of geannuleerd zetten.`);
    }
    return next();
  });
}

function isItemList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every((item) => typeof item === 'object' && item !== null && ['article', 'resource'].includes((item as { type?: unknown }).type as string) && typeof (item as { documentId?: unknown }).documentId === 'string')
  );
}

export async function ensureEditionStorage(strapi: Core.Strapi): Promise<void> {
  const db = strapi.db.connection as unknown as Knex;
  await ensureNewsletterTables(db);
  await db.raw('CREATE UNIQUE INDEX IF NOT EXISTS editions_period_key_unique ON editions (period_key)');
}
