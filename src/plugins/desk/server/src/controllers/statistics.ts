import type { Knex } from 'knex';
import { addDays, networkDay, parseDays, type GrowthSnapshot } from '../../../../../growth/counting';
import { describeItems, mostRead } from '../../../../../site/counts/store';
import { readItemCountSettings } from '../../../../../settings/item-counts';

/** The most read list shows this many items: a top, not a catalogue. */
const MOST_READ_LIMIT = 20;
import { growthCsv } from '../../../../../growth/csv';
import { recentGrowth } from '../../../../../growth/store';
import { readMailingConfig } from '../../../../../settings/mailings';
import { answerError, type AdminContext } from './http';

interface StatisticsContext extends AdminContext {
  query: Record<string, unknown>;
}

/** The growth snapshots asked for, or null after answering 400 for a `days` a person got wrong. */
async function snapshots(ctx: StatisticsContext): Promise<{ rows: GrowthSnapshot[]; days: number } | null> {
  const parsed = parseDays(ctx.query.days);
  if ('error' in parsed) {
    answerError(ctx, 400, parsed.error, { days: ctx.query.days ?? null });
    return null;
  }
  const rows = await recentGrowth(strapi.db.connection as Knex, parsed.days, readMailingConfig().timeZone);
  return { rows, days: parsed.days };
}

function answerCsv(ctx: StatisticsContext, rows: GrowthSnapshot[], days: number): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Content-Disposition', `attachment; filename="groei-${days}-dagen.csv"`);
  ctx.type = 'text/csv; charset=utf-8';
  ctx.body = growthCsv(rows);
}

/**
 * Audience growth, counts only (src/growth/): one entry per network day of the last `days`
 * (default 90), oldest first, today computed live. An admin holding `plugin::desk.statistics`
 * (Strapi's policies checked it).
 */
export default {
  async growth(ctx: StatisticsContext) {
    const format = ctx.query.format;
    if (format !== undefined && format !== 'json' && format !== 'csv')
      return answerError(ctx, 400, 'The format must be json or csv. / Het formaat moet json of csv zijn.', { format });
    const answer = await snapshots(ctx);
    if (!answer) return;
    if (format === 'csv') return answerCsv(ctx, answer.rows, answer.days);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: answer.rows };
  },

  /**
   * "Meest gelezen / Most read": the items opened most over the last `days` (default 90), from
   * mails (clicks through counted links) and on their reading pages (views), counted per item and
   * day, never per person (src/site/counts/).
   */
  async mostRead(ctx: StatisticsContext) {
    const parsed = parseDays(ctx.query.days);
    if ('error' in parsed) return answerError(ctx, 400, parsed.error, { days: ctx.query.days ?? null });
    const config = readMailingConfig();
    const db = strapi.db.connection as Knex;
    const since = addDays(networkDay(new Date(), config.timeZone), -(parsed.days - 1));
    const items = await describeItems(db, await mostRead(db, since, MOST_READ_LIMIT), config.siteUrl);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: items, meta: { since, counting: readItemCountSettings().enabled } };
  },

  async growthCsv(ctx: StatisticsContext) {
    const answer = await snapshots(ctx);
    if (answer) answerCsv(ctx, answer.rows, answer.days);
  },
};
