import type { Core } from '@strapi/strapi';
import { settleDatabase } from '../../src/core/infra/settle-database';
import { ensureDemoAccounts, type DemoAccounts } from './demo-accounts';
import { DEMO_CONSENT_TEXT_VERSION, articles, campaigns, resources, subscribers, themes, welcomeMail, type LocalizedText } from './demo-content';

const LOCALES = ['nl', 'en'] as const;
type Locale = (typeof LOCALES)[number];

export interface SeedOptions {
  /** Where progress lines go. */
  log?: (line: string) => void;
  /** Demo accounts of the admin panel (development only); each skipped when undefined. */
  accounts?: DemoAccounts;
}

export interface SeedReport {
  created: { themes: number; articles: number; resources: number; campaigns: number; subscribers: number; localizations: number; accounts: number };
}

/**
 * Loads the demo content. Idempotent: every record is looked up by its stable key (slug, email) and
 * only what is missing is created, so a second run changes nothing and an interrupted run resumes.
 */
export async function seedDemoContent(strapi: Core.Strapi, options: SeedOptions = {}): Promise<SeedReport> {
  const log = options.log ?? (() => {});
  const report: SeedReport = { created: { themes: 0, articles: 0, resources: 0, campaigns: 0, subscribers: 0, localizations: 0, accounts: 0 } };

  const themeIds = new Map<string, string>();
  for (const theme of themes) {
    const documentId = await ensureLocalizedDocument(
      strapi,
      'api::theme.theme',
      { slug: theme.slug },
      (locale) => ({
        slug: theme.slug,
        name: theme.name[locale],
        description: theme.description[locale],
      }),
      true,
      report,
      'themes',
    );
    themeIds.set(theme.slug, documentId);
  }
  log(`themes: ${themeIds.size}`);

  const articleIds = new Map<string, string>();
  for (const article of articles) {
    const documentId = await ensureLocalizedDocument(
      strapi,
      'api::article.article',
      { slug: article.slug.nl },
      (locale) => ({
        title: article.title[locale],
        slug: article.slug[locale],
        summary: article.summary[locale],
        body: article.body[locale],
        coverAlt: article.coverAlt[locale],
        publicationDate: article.publicationDate,
        themes: article.themes.map((slug) => required(themeIds, slug)),
      }),
      article.published,
      report,
      'articles',
    );
    articleIds.set(article.slug.nl, documentId);
  }
  log(`articles: ${articles.length} (${articles.filter((a) => !a.published).length} left as draft)`);

  const resourceIds = new Map<string, string>();
  // Bundles last: they refer to the resources they group.
  const ordered = [...resources].sort((a, b) => Number(a.kind === 'bundle') - Number(b.kind === 'bundle'));
  for (const resource of ordered) {
    const documentId = await ensureLocalizedDocument(
      strapi,
      'api::resource.resource',
      { slug: resource.slug },
      (locale) => ({
        slug: resource.slug,
        kind: resource.kind,
        title: resource.title[locale],
        description: resource.description[locale],
        url: resource.url ?? null,
        publicationDate: resource.publicationDate,
        themes: resource.themes.map((slug) => required(themeIds, slug)),
        items: (resource.items ?? []).map((slug) => required(resourceIds, slug)),
      }),
      true,
      report,
      'resources',
    );
    resourceIds.set(resource.slug, documentId);
  }
  log(`resources: ${resourceIds.size} (bundles: ${resources.filter((r) => r.kind === 'bundle').length})`);

  for (const campaign of campaigns) {
    // Found by title: editors may change everything else, and a second run must not undo that.
    const existing = await strapi.documents('api::campaign.campaign').findFirst({ filters: { title: campaign.title } } as never);
    if (existing) continue;
    await strapi.documents('api::campaign.campaign').create({
      data: {
        title: campaign.title,
        state: 'draft',
        subjectNl: campaign.subject.nl,
        subjectEn: campaign.subject.en,
        preheaderNl: campaign.preheader.nl,
        preheaderEn: campaign.preheader.en,
        introNl: campaign.intro.nl,
        introEn: campaign.intro.en,
        featuredItems: campaign.featured.map((entry) =>
          'resource' in entry ? { resource: required(resourceIds, entry.resource) } : { article: required(articleIds, entry.article) },
        ),
        audienceThemes: [],
        audienceLocale: null,
      },
    } as never);
    report.created.campaigns += 1;
  }
  log(`campaigns: ${campaigns.length} (draft, audience everyone)`);

  // Written once: an editor's own welcome mail (or one they emptied to switch it off) is kept.
  if (!(await strapi.documents('api::welcome-mail.welcome-mail').findFirst({} as never))) {
    await strapi.documents('api::welcome-mail.welcome-mail').create({
      data: { subjectNl: welcomeMail.subject.nl, subjectEn: welcomeMail.subject.en, textNl: welcomeMail.text.nl, textEn: welcomeMail.text.en },
    } as never);
  }
  log('welcome mail: in both languages');

  for (const subscriber of subscribers) {
    const existing = await strapi.documents('api::subscriber.subscriber').findFirst({ filters: { email: subscriber.email } });
    if (existing) continue;
    const at = new Date('2024-05-01T09:00:00.000Z').toISOString();
    await strapi.documents('api::subscriber.subscriber').create({
      data: {
        email: subscriber.email,
        name: subscriber.name ?? null,
        preferredLocale: subscriber.preferredLocale,
        themes: subscriber.themes,
        state: subscriber.state,
        consent: { givenAt: at, source: 'demo seed', textVersion: DEMO_CONSENT_TEXT_VERSION, ipHash: null },
        confirmedAt: subscriber.state === 'pending' ? null : at,
        unsubscribedAt: subscriber.state === 'unsubscribed' ? at : null,
      } as never,
    });
    report.created.subscribers += 1;
  }
  log(`subscribers: ${subscribers.length} (example.org)`);

  if (options.accounts) report.created.accounts = await ensureDemoAccounts(strapi, options.accounts, log);
  // Strapi's entry events for what was just written run after commit: let them finish, so the caller may destroy Strapi.
  await settleDatabase(strapi);
  return report;
}

/**
 * Makes sure one document exists in both locales (Dutch first: it is the default locale), created
 * published or as a draft. A document is found by its Dutch version's key.
 */
async function ensureLocalizedDocument(
  strapi: Core.Strapi,
  uid: 'api::theme.theme' | 'api::article.article' | 'api::resource.resource',
  key: Record<string, string>,
  dataFor: (locale: Locale) => Record<string, unknown>,
  published: boolean,
  report: SeedReport,
  counter: 'themes' | 'articles' | 'resources',
): Promise<string> {
  const documents = strapi.documents(uid);
  const status = published ? 'published' : 'draft';
  let documentId: string | undefined;
  for (const locale of LOCALES) {
    if (!documentId) {
      const found = await documents.findFirst({ locale, filters: key, status: 'draft' } as never);
      if (found) {
        documentId = found.documentId;
        continue;
      }
      const created = await documents.create({ locale, data: dataFor(locale), status } as never);
      documentId = created.documentId;
      report.created[counter] += 1;
      continue;
    }
    const translation = await documents.findOne({ documentId, locale, status: 'draft' } as never);
    if (translation) continue;
    await documents.update({ documentId, locale, data: dataFor(locale), status } as never);
    report.created.localizations += 1;
  }
  return documentId as string;
}

function required(ids: Map<string, string>, slug: string): string {
  const id = ids.get(slug);
  if (!id) throw new Error(`Seed data refers to unknown slug "${slug}".`);
  return id;
}

export type { LocalizedText };
