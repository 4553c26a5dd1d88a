import type { Core } from '@strapi/strapi';
import { AsyncLocalStorage } from 'node:async_hooks';
import { errors } from '@strapi/utils';
import { DESK_ACTIONS } from './permissions';
import type { MailingKind } from '../engine/mailing';
import { judgeMailingChange, PRODUCT_CODE, type ActingRole } from '../engine/mailing-rules';

const MAILINGS: Record<string, MailingKind> = { 'api::edition.edition': 'edition', 'api::campaign.campaign': 'campaign' };

/**
 * One marker per process, shared through the global symbol registry: Strapi runs this module from
 * its compiled dist/ while the worker and the tests may load a second copy from source, and a
 * marker set by one copy must be seen by the rule registered by the other.
 */
const MARKER = Symbol.for('netwerkpost.internal-mailing-write');
const shared = globalThis as { [MARKER]?: AsyncLocalStorage<true> };
const internalWrite = (shared[MARKER] ??= new AsyncLocalStorage<true>());

/**
 * Runs a write that is not an editor's (converting stored data at start) past the editors' rules,
 * for example on an edition that was sent long ago.
 */
export function asInternalWrite<T>(write: () => Promise<T>): Promise<T> {
  return internalWrite.run(true, write);
}

interface Ability {
  can(action: string): boolean;
}

/**
 * The role of whoever writes: an admin request carries the admin's (or admin token's) abilities,
 * whose desk permissions decide (src/mailings/desk/permissions.ts); any other request has
 * no role at all; code outside a request (CLI, the edition assembly, tests) is the product's own.
 */
function actingRole(strapi: Core.Strapi): ActingRole {
  const ctx = strapi.requestContext.get() as { state?: { userAbility?: Ability } } | undefined;
  if (!ctx) return PRODUCT_CODE;
  const ability = ctx.state?.userAbility;
  if (!ability || typeof ability.can !== 'function') return { admin: true, send: false, cancel: false };
  return { admin: true, send: ability.can(DESK_ACTIONS.send), cancel: ability.can(DESK_ACTIONS.cancel) };
}

/**
 * The mailing rules (src/mailings/engine/mailing-rules.ts) on every create, update and clone of an edition or a
 * campaign through the document service: the Content Manager and the REST API go through it. A
 * refusal answers 400 with its message (details.refusal: `refused` in this state, `forbidden` for
 * this role). The
 * sending engine writes through the database and the desk's actions through the engine: neither
 * passes here.
 */
export function registerMailingRules(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    const kind = MAILINGS[context.uid];
    const action = context.action;
    if (!kind || (action !== 'update' && action !== 'create' && action !== 'clone') || internalWrite.getStore()) return next();
    const params = context.params as { documentId?: string; data?: Record<string, unknown> };
    let stored: Record<string, unknown> | null = null;
    if (action === 'update') {
      stored = (await strapi.db.query(context.uid).findOne({ where: { documentId: params.documentId } })) as Record<string, unknown> | null;
      if (!stored) return next();
    }
    const verdict = judgeMailingChange({ kind, action, stored, data: params.data ?? {}, role: actingRole(strapi), now: Date.now() });
    // A ValidationError for both kinds of refusal: the Content Manager answers a ForbiddenError
    // thrown here as a bare 403 "Forbidden", without the message editors need.
    if (!verdict.allowed) throw new errors.ValidationError(verdict.message, { refusal: verdict.reason });
    params.data = verdict.data;
    return next();
  });
}
