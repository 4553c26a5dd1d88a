import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { readMailSettings } from '../../settings/mail';
import type { Locale } from '../../core/domain/locale';
import { sendPage } from '../page-response';
import { renderArticlePage, renderResourcePage } from './item-pages';
import { renderHomePage, renderNotFoundPage, renderThemePage } from './listing-pages';
import { loadArticle, loadHome, loadResource, loadSitemap, loadTheme, type Found, type PageVersion } from './load';
import { PREVIEW_PATH, answerPreview, sendPreviewPage } from './preview';
import type { ReadingContext } from './model';
import { SECTION_PATHS, localeOfPath, readSlug, type ItemKind } from '../../core/links';
import { renderRobots } from './robots';
import { renderSitemap } from './sitemap';
import type { ItemCounter } from '../counts/counter';
import { ITEM_LINK_PATH } from '../../core/domain/item-link';

/**
 * The reading pages: the website of a network without one (SITE_URL unset), so that every content
 * link in a mail and the mails' "Website" link land on a page. Registered on the server's root
 * router during register(), before `strapi::public` adds its own `GET /` (a redirect to the admin
 * login): the first matching route answers, so `/` is the home page and `/admin` is untouched.
 */
export function registerReadingPages(strapi: Core.Strapi, tokenSecret: () => string, itemCounter: () => ItemCounter): void {
  const page = (path: string, handler: (ctx: Context) => Promise<void>) => ({ method: 'GET' as const, path, handler, config: { auth: false as const } });
  // Looked up per request: the CMS's services are rebuilt after they close (the tests close them between files).
  const counter: ItemCounter = {
    redirectEarly: (...args) => itemCounter().redirectEarly(...args),
    redirect: (...args) => itemCounter().redirect(...args),
    pageViewed: (...args) => itemCounter().pageViewed(...args),
    close: () => itemCounter().close(),
  };
  const routes = [
    // A mail's counted item link (src/site/counts/): to the item's page, or a 404 page for a link that is not ours.
    page(`${ITEM_LINK_PATH}/:token`, (ctx) =>
      counter.redirect(ctx, (locale) => sendPage(ctx, 404, renderNotFoundPage(readingContext(locale), 'linkBroken'), 'not-framed')),
    ),
    page('/', (ctx) => home(strapi, ctx, 'nl')),
    page('/en', (ctx) => home(strapi, ctx, 'en')),
    page('/sitemap.xml', (ctx) => sitemap(strapi, ctx)),
    page('/robots.txt', async (ctx) => send(ctx, 200, renderRobots(readingContext('nl').publicUrl), 'text/plain; charset=utf-8')),
    page(`${PREVIEW_PATH}/:token`, (ctx) =>
      answerPreview(strapi, ctx, tokenSecret(), {
        notFound: (context, locale, reason, status) => sendPreviewPage(context, status, renderNotFoundPage(readingContext(locale), reason)),
        show: async (context, kind, locale, slug, version) => {
          const found = (await LOADERS[kind](strapi, locale, slug, version)) as Found<never>;
          if (!found || 'redirect' in found) return false;
          sendPreviewPage(context, 200, renderItem(kind, readingContext(locale), found.page));
          return true;
        },
      }),
    ),
  ];
  for (const kind of Object.keys(SECTION_PATHS) as ItemKind[]) {
    for (const locale of ['nl', 'en'] as const) {
      const section = SECTION_PATHS[kind][locale];
      // There is no listing per section (the home page lists): the bare section is a 404 page.
      routes.push(page(section, async (ctx) => notFound(ctx)));
      routes.push(page(`${section}/:slug(.*)`, (ctx) => item(strapi, ctx, kind, locale, counter)));
    }
  }
  strapi.server.routes(routes as never);
}

/** Read per request: tests (and `npm run dev`) learn PUBLIC_URL only once the server listens. */
function readingContext(locale: Locale): ReadingContext {
  const settings = readMailSettings();
  // The hosted privacy statement speaks the language it is asked for; another one is left as it is.
  const privacyUrl =
    settings.organisation.privacyUrl === `${settings.publicUrl}/newsletter/privacy`
      ? `${settings.organisation.privacyUrl}?lang=${locale}`
      : settings.organisation.privacyUrl;
  return { locale, networkName: settings.organisation.name, privacyUrl, publicUrl: settings.publicUrl };
}

/** Public, the same for everyone: a short cache, so a correction shows within a minute. */
const send = (ctx: Context, status: number, body: string, type?: string) => sendPage(ctx, status, body, 'not-framed', { type, publicCacheSeconds: 60 });

function notFound(ctx: Context): void {
  send(ctx, 404, renderNotFoundPage(readingContext(localeOfPath(ctx.path))));
}

async function home(strapi: Core.Strapi, ctx: Context, locale: Locale): Promise<void> {
  const context = readingContext(locale);
  send(ctx, 200, renderHomePage(context, await loadHome(strapi, locale)));
}

const LOADERS: Record<ItemKind, (strapi: Core.Strapi, locale: Locale, slug: string, version?: PageVersion) => Promise<Found<unknown>>> = {
  article: loadArticle,
  resource: loadResource,
  theme: loadTheme,
};

async function item(strapi: Core.Strapi, ctx: Context, kind: ItemKind, locale: Locale, counter: ItemCounter): Promise<void> {
  const slug = readSlug(ctx.params?.slug);
  if (!slug) return notFound(ctx);
  const found = (await LOADERS[kind](strapi, locale, slug)) as Found<never>;
  if (!found) return notFound(ctx);
  if ('redirect' in found) {
    // The slug of the other language version: its own slug in this locale is the page's address.
    ctx.status = 301;
    ctx.redirect(found.redirect);
    return;
  }
  send(ctx, 200, renderItem(kind, readingContext(locale), found.page));
  // Articles and resources (bundles too) are items; a theme's page lists them and is not counted.
  if (kind !== 'theme') counter.pageViewed(ctx, { kind, documentId: (found.page as { documentId: string }).documentId });
}

function renderItem(kind: ItemKind, context: ReadingContext, page: never): string {
  return kind === 'article' ? renderArticlePage(context, page) : kind === 'resource' ? renderResourcePage(context, page) : renderThemePage(context, page);
}

async function sitemap(strapi: Core.Strapi, ctx: Context): Promise<void> {
  const { publicUrl } = readingContext('nl');
  send(ctx, 200, renderSitemap(await loadSitemap(strapi, publicUrl)), 'application/xml; charset=utf-8');
}
