import type { Core } from '@strapi/strapi';
import { eraseSubscriber } from '../../../../../gdpr/erase';
import { exportSubscriberData } from '../../../../../gdpr/export';
import { SUBSCRIBER_UID } from '../../../../../gdpr/subscribers';

/** Strapi document ids are 24 lower-case letters and digits; we accept a little more, nothing odd. */
const DOCUMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

interface AdminContext {
  params: { documentId?: unknown };
  state: { userAbility?: unknown; user?: { id?: number | string } };
  set(field: string, value: string): void;
  type: string;
  body: unknown;
  badRequest(message: string, details?: unknown): void;
  notFound(message: string, details?: unknown): void;
  forbidden(message?: string, details?: unknown): void;
  unauthorized(message?: string, details?: unknown): void;
}

interface PermissionChecker {
  can: { delete(entity?: unknown): boolean };
  cannot: { delete(entity?: unknown): boolean };
}

/**
 * Admin-only GDPR actions on one subscriber (routes: ../routes.ts; the route already required `plugin::desk.gdpr`). Bad input answers 400,
 * an unknown subscriber 404, an admin without delete permission on that subscriber 403.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  /** The document id from the URL, or null after answering the request (400/401/403/404). */
  async function authorisedDocumentId(ctx: AdminContext): Promise<string | null> {
    const documentId = ctx.params.documentId;
    if (typeof documentId !== 'string' || !DOCUMENT_ID.test(documentId)) {
      ctx.badRequest('documentId must be a subscriber document id (letters, digits, - or _, at most 64 characters)');
      return null;
    }
    const { userAbility } = ctx.state;
    if (!userAbility) {
      ctx.unauthorized('An admin session is required');
      return null;
    }
    const checker: PermissionChecker = strapi.plugin('content-manager').service('permission-checker').create({ userAbility, model: SUBSCRIBER_UID });
    if (checker.cannot.delete()) {
      ctx.forbidden('You may not delete subscribers, so you may not export or erase them either');
      return null;
    }
    // The entry with its creator, for role conditions such as "is creator".
    const entry = await strapi.db.query(SUBSCRIBER_UID as never).findOne({ where: { documentId }, populate: ['createdBy'] });
    if (!entry) {
      ctx.notFound(`No subscriber with document id "${documentId}"`, { documentId });
      return null;
    }
    if (checker.cannot.delete(entry)) {
      ctx.forbidden('You may not delete this subscriber, so you may not export or erase it either');
      return null;
    }
    return documentId;
  }

  return {
    async exportSubscriber(ctx: AdminContext) {
      const documentId = await authorisedDocumentId(ctx);
      if (!documentId) return;
      const data = await exportSubscriberData(strapi, { documentId });
      if (!data) return ctx.notFound(`No subscriber with document id "${documentId}"`, { documentId });
      strapi.log.info(`[gdpr] subscriber ${documentId} exported by admin user ${String(ctx.state.user?.id ?? 'unknown')}`);
      ctx.set('Content-Disposition', `attachment; filename="subscriber-${documentId}.json"`);
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'application/json';
      ctx.body = JSON.stringify(data, null, 2);
    },

    async eraseSubscriber(ctx: AdminContext) {
      const documentId = await authorisedDocumentId(ctx);
      if (!documentId) return;
      const result = await eraseSubscriber(strapi, { documentId });
      if (!result.erased) return ctx.notFound(`No subscriber with document id "${documentId}"`, { documentId });
      strapi.log.info(`[gdpr] subscriber ${documentId} erased by admin user ${String(ctx.state.user?.id ?? 'unknown')}: ${JSON.stringify(result.removed)}`);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { data: { documentId, ...result } };
    },
  };
};
