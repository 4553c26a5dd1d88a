import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { paginate, parsePageNumber } from '../../../site/archive/listing';
import { readArchive } from '../../../site/archive/store';
import { readMailingConfig } from '../../../settings/mailings';
import { isLocale } from '../../../core/domain/subscription-request';
import { archiveFeed, articlesFeed, readFeedArticles, type FeedSettings } from '../../../site/archive/feeds';
import { RSS_CONTENT_TYPE, renderRss, type Feed } from '../../../site/archive/rss';
import { renderArchivePage } from '../../../site/archive/archive-pages';
import { pageContext, pageLocale } from '../../../site/subscription/page-response';
import { sendPage } from '../../../site/page-response';
import { cmsServices } from '../../../app/cms';
import type { Locale } from '../../../core/domain/locale';

/** The public archive of sent mailings and the RSS feeds: no personal data, the same for everyone. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const feedSettings = (): FeedSettings => {
    const { publicUrl, organisation } = cmsServices(strapi).settings;
    return { publicUrl, siteUrl: readMailingConfig().siteUrl, networkName: organisation.name };
  };
  // A feed reader asking without (or with a wrong) ?lang= gets the default language, not an error.
  const feedLocale = (ctx: Context): Locale => (isLocale(ctx.query.lang) ? ctx.query.lang : 'nl');
  const sendFeed = (ctx: Context, feed: Feed) => {
    ctx.status = 200;
    ctx.body = renderRss(feed);
    ctx.set('Content-Type', RSS_CONTENT_TYPE);
    ctx.set('Cache-Control', 'public, max-age=300');
  };

  return {
    /** GET /newsletter/archive?lang=nl|en&page=N */
    async archivePage(ctx: Context) {
      const locale = pageLocale(ctx);
      const page = parsePageNumber(ctx.query.page);
      const { publicUrl } = cmsServices(strapi).settings;
      const input = { publicUrl, timeZone: readMailingConfig().timeZone };
      if (page === null)
        return sendPage(ctx, 400, renderArchivePage(pageContext(cmsServices(strapi).settings, locale), { ...input, result: { kind: 'bad-page' } }));
      const result = paginate(await readArchive(strapi, locale), page);
      sendPage(ctx, result.kind === 'page' ? 200 : 404, renderArchivePage(pageContext(cmsServices(strapi).settings, locale), { ...input, result }));
      // The archive changes only when a mailing finishes: a short public cache is safe (sendPage says no-store for token pages).
      if (result.kind === 'page') ctx.set('Cache-Control', 'public, max-age=300');
    },

    /** GET /feeds/articles.xml?lang=nl|en: the newest published articles. */
    async articlesFeed(ctx: Context) {
      const locale = feedLocale(ctx);
      sendFeed(ctx, articlesFeed(await readFeedArticles(strapi, locale), locale, feedSettings()));
    },

    /** GET /feeds/archive.xml?lang=nl|en: the archive's newest mailings. */
    async archiveFeed(ctx: Context) {
      const locale = feedLocale(ctx);
      sendFeed(ctx, archiveFeed(await readArchive(strapi, locale), locale, feedSettings()));
    },
  };
};
