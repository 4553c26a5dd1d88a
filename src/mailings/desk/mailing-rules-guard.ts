import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DESK_ACTIONS } from './permissions';
import type { MailingKind } from '../engine/mailing';
import { isInternalWrite } from '../engine/internal-write';
import { judgeMailingChange, PRODUCT_CODE, type ActingRole } from '../engine/mailing-rules';
import { CONTENT_TYPES } from '../../core/content-types';

const MAILINGS: Record<string, MailingKind> = { [CONTENT_TYPES.edition]: 'edition', [CONTENT_TYPES.campaign]: 'campaign' };

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
    if (!kind || (action !== 'update' && action !== 'create' && action !== 'clone') || isInternalWrite()) return next();
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
