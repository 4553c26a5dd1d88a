import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { AsyncLocalStorage } from 'node:async_hooks';
import { errors } from '@strapi/utils';
import { archiveSwitchOnly } from '../archive/keep-out';
import { ensureSendingTables } from '../sending/schema';
import { EDITABLE_EDITION_STATES, EDITOR_SETTABLE_EDITION_STATES, type EditionState } from '../newsletter/edition-state';

const EDITION = 'api::edition.edition';

const internalWrite = new AsyncLocalStorage<true>();

/**
 * Runs a write that is not an editor's (converting stored data at start) past the editors' rules,
 * for example on an edition that was sent long ago.
 */
export function asInternalWrite<T>(write: () => Promise<T>): Promise<T> {
  return internalWrite.run(true, write);
}

/**
 * Editors adjust an edition while it is a draft or scheduled (intro, items, send time), and may
 * cancel it; once it is being sent, it is history. The worker writes through the query layer and
 * is not subject to this.
 */
export function registerEditionRules(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    if (context.uid !== EDITION || (context.action !== 'update' && context.action !== 'create')) return next();
    if (internalWrite.getStore()) return next();
    const data = (context.params as { data?: Record<string, unknown> }).data ?? {};
    if (context.action === 'update') {
      const documentId = (context.params as { documentId?: string }).documentId;
      const current = (await strapi.db.query(EDITION).findOne({ where: { documentId } })) as ({ state: EditionState } & Record<string, unknown>) | null;
      const switchOnly = current && !EDITABLE_EDITION_STATES.includes(current.state) ? archiveSwitchOnly(data, current) : null;
      if (switchOnly) {
        (context.params as { data?: Record<string, unknown> }).data = switchOnly;
        return next();
      }
      if (current && !EDITABLE_EDITION_STATES.includes(current.state)) {
        throw new errors.ValidationError(`This edition is ${current.state} and can no longer be changed. / Deze editie is ${current.state} en kan niet meer worden gewijzigd.`);
      }
    }
    if (data.state !== undefined && !EDITOR_SETTABLE_EDITION_STATES.includes(data.state as EditionState) && context.action === 'update') {
      throw new errors.ValidationError(`Editors can set an edition to draft, scheduled or cancelled; sending is done by the worker. / Redacteuren kunnen een editie op concept, gepland of geannuleerd zetten.`);
    }
    return next();
  });
}

export async function ensureEditionStorage(strapi: Core.Strapi): Promise<void> {
  const db = strapi.db.connection as unknown as Knex;
  await ensureSendingTables(db);
  await db.raw('CREATE UNIQUE INDEX IF NOT EXISTS editions_period_key_unique ON editions (period_key)');
}
