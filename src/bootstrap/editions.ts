import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { errors } from '@strapi/utils';
import { ensureSendingTables } from '../sending/schema';
import { EDITABLE_EDITION_STATES, EDITOR_SETTABLE_EDITION_STATES, type EditionState } from '../newsletter/edition-state';

const EDITION = 'api::edition.edition';

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
      const current = (await strapi.db.query(EDITION).findOne({ where: { documentId }, select: ['state'] })) as { state: EditionState } | null;
      if (current && !EDITABLE_EDITION_STATES.includes(current.state)) {
        throw new errors.ValidationError(`This edition is ${current.state} and can no longer be changed. / Deze editie is ${current.state} en kan niet meer worden gewijzigd.`);
      }
    }
    if (data.items !== undefined && data.items !== null) data.items = readItemList(data.items);
    if (data.state !== undefined && !EDITOR_SETTABLE_EDITION_STATES.includes(data.state as EditionState) && context.action === 'update') {
      throw new errors.ValidationError(`Editors can set an edition to draft, scheduled or cancelled; sending is done by the worker. / Redacteuren kunnen een editie op concept, gepland of geannuleerd zetten.`);
    }
    return next();
  });
}

const ITEM_LIST_HELP =
  'Items must be a list of { "type": "article" | "resource", "documentId": "..." } entries (remove an entry to drop it, move it to reorder). / Items moet een lijst zijn van { "type", "documentId" }.';

/**
 * The admin panel's JSON field sends the list back as text; the API and the worker send an array.
 * Both are accepted; what is stored is always the array.
 */
export function readItemList(value: unknown): Array<{ type: 'article' | 'resource'; documentId: string }> {
  // Entries keep every field the assembly wrote (titles, locales, publication time).
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      throw new errors.ValidationError(`Items is not valid JSON. ${ITEM_LIST_HELP}`);
    }
  }
  if (!Array.isArray(list) || !list.every(isItemRef)) throw new errors.ValidationError(ITEM_LIST_HELP);
  return list;
}

function isItemRef(item: unknown): item is { type: 'article' | 'resource'; documentId: string } {
  if (typeof item !== 'object' || item === null) return false;
  const { type, documentId } = item as { type?: unknown; documentId?: unknown };
  return (type === 'article' || type === 'resource') && typeof documentId === 'string' && documentId.length > 0;
}

export async function ensureEditionStorage(strapi: Core.Strapi): Promise<void> {
  const db = strapi.db.connection as unknown as Knex;
  await ensureSendingTables(db);
  await db.raw('CREATE UNIQUE INDEX IF NOT EXISTS editions_period_key_unique ON editions (period_key)');
}
