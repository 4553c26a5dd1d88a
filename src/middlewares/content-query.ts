import type { Core } from '@strapi/strapi';
import { checkContentQuery, QueryShapeError, type AttributeShape } from '../edge/content-query';
import { isQueryInputError } from '../edge/query-errors';
import { requestPath } from '../core/web/request-path';

/**
 * Content-API reads (GET/HEAD /api/<type>[/<id>]) never answer 500 for a malformed query. The
 * query's shape is checked against the content type before Strapi runs it (400 naming the
 * parameter); as a net, an error that Strapi's query layer raises for such a read is answered
 * with 400 too, and logged, while every other error stays a 500.
 */
interface QueryContext {
  method: string;
  path: string;
  state: Record<string, unknown>;
  query: Record<string, unknown>;
  status: number;
  body: unknown;
}

const READS = new Set(['GET', 'HEAD']);

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  let byRoute: Map<string, string> | undefined;
  // Built on first use: content types are all registered by then.
  const typeOf = (segment: string): string | undefined => {
    if (!byRoute) {
      byRoute = new Map();
      for (const [uid, type] of Object.entries(strapi.contentTypes)) {
        if (!uid.startsWith('api::')) continue;
        const { pluralName, singularName } = type.info as { pluralName: string; singularName: string };
        byRoute.set((type.kind === 'singleType' ? singularName : pluralName).toLowerCase(), uid);
      }
    }
    return byRoute.get(segment);
  };
  type Schemas = Record<string, { attributes: Record<string, AttributeShape> } | undefined>;
  const lookup = (uid: string) => ((strapi.contentTypes as unknown as Schemas)[uid] ?? (strapi.components as unknown as Schemas)[uid])?.attributes;

  const badRequest = (ctx: QueryContext, message: string) => {
    ctx.status = 400;
    ctx.body = { data: null, error: { status: 400, name: 'ValidationError', message, details: {} } };
  };

  return async (ctx: QueryContext, next: () => Promise<void>) => {
    if (!READS.has(ctx.method)) return next();
    const segments = requestPath(ctx).split('/').filter(Boolean);
    if (segments[0] !== 'api') return next();
    const uid = segments.length <= 3 && segments[1] ? typeOf(segments[1]) : undefined;
    if (uid) {
      try {
        checkContentQuery(ctx.query, uid, lookup);
      } catch (error) {
        if (!(error instanceof QueryShapeError)) throw error;
        return badRequest(ctx, `Invalid query: ${error.message}.`);
      }
    }
    try {
      await next();
    } catch (error) {
      if (!isQueryInputError(error)) throw error;
      strapi.log.warn(`content-API query refused after the query layer failed on ${ctx.path}: ${(error as Error).message}`);
      badRequest(ctx, 'Invalid query: the filters, sort, populate, fields or pagination could not be applied.');
    }
  };
};
