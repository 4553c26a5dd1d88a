import type { Core } from '@strapi/strapi';
import { checkLocale, checkMailingKind } from '../../../../../mailings/desk/input';
import { pickedEntries, searchPublishedItems } from '../../../../../mailings/desk/item-picker';
import { answer, answerError, type AdminContext } from './http';

/** A search is a few words of a title: longer is a mistake, not a title. */
const MAX_QUERY = 200;
/** No list holds more entries than this. */
const MAX_IDS = 200;

type QueryContext = AdminContext & { query: Record<string, unknown> };

/**
 * The item picker's routes (../routes.ts): published articles and resources by title, and the
 * entries a mailing's list holds. Input checked here (400 with a message), the rest is
 * src/mailings/desk/item-picker.ts.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async search(ctx: QueryContext) {
    const query = typeof ctx.query.q === 'string' ? ctx.query.q.trim() : '';
    if (ctx.query.q !== undefined && typeof ctx.query.q !== 'string') return answerError(ctx, 400, 'q must be one text / q moet één tekst zijn');
    if (query.length > MAX_QUERY) return answerError(ctx, 400, `q is at most ${MAX_QUERY} characters / q is hoogstens ${MAX_QUERY} tekens`);
    const locale = checkLocale(ctx.query.locale ?? 'nl');
    if (!locale.ok) return answerError(ctx, 400, locale.message);
    await answer(ctx, async () => ({ items: await searchPublishedItems(strapi, query, locale.value) }));
  },

  async picked(ctx: QueryContext) {
    const kind = checkMailingKind(ctx.query.kind);
    if (!kind.ok) return answerError(ctx, 400, kind.message);
    const locale = checkLocale(ctx.query.locale ?? 'nl');
    if (!locale.ok) return answerError(ctx, 400, locale.message);
    const raw = typeof ctx.query.ids === 'string' ? ctx.query.ids : '';
    if (!/^(\d{1,12}(,\d{1,12})*)?$/.test(raw))
      return answerError(ctx, 400, 'ids must be entry ids separated by commas / ids moeten nummers zijn, gescheiden door komma’s');
    const ids = raw ? [...new Set(raw.split(',').map(Number))] : [];
    if (ids.length > MAX_IDS) return answerError(ctx, 400, `at most ${MAX_IDS} ids / hoogstens ${MAX_IDS} nummers`);
    await answer(ctx, async () => ({ entries: await pickedEntries(strapi, kind.value, ids, locale.value) }));
  },
});
