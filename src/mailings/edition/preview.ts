import { EVERYONE, type VariantPreview } from '../engine/mailing';
import { PAGE_SIZE } from '../engine/plan';
import { createKnexSendingStore } from '../engine/knex-store';
import type { MailingDeps } from '../engine/mailing-deps';
import type { EditionRow } from './edition-row';
import { loadEditionSource, readerLocale } from './edition-source';
import { parseVariantKey } from './variants';
import type { RenderedMail } from '../../mail/renderer';
import type { Locale } from '../../core/domain/locale';

/*
 * An edition before it is sent, on the same render path as the send: every variant that occurs
 * among the current active subscribers, and the variant a test send shows.
 */

type PreviewDeps = Pick<MailingDeps, 'strapi' | 'db' | 'render' | 'settings'>;

/** Every variant that occurs among the active subscribers, rendered (the CLI writes them to files, the admin panel shows them). */
export async function editionPreviewVariants(deps: PreviewDeps, edition: EditionRow): Promise<VariantPreview[]> {
  const source = await loadEditionSource(deps.strapi, edition, deps.settings);
  const store = createKnexSendingStore(deps.db);
  const keys = new Set<string>();
  for (let lastId = 0; ;) {
    const page = await store.subscribers(EVERYONE, lastId, PAGE_SIZE);
    if (page.length === 0) break;
    for (const subscriber of page) keys.add(source.variantKeyFor(readerLocale(subscriber.preferredLocale), subscriber.themes));
    lastId = page[page.length - 1].id;
  }
  if (keys.size === 0) keys.add(source.variantKeyFor('nl', []));
  const variants: VariantPreview[] = [];
  for (const key of [...keys].sort()) {
    const { locale, themes } = parseVariantKey(key);
    const selection = key.split('|')[1];
    const fileName = `${locale}-${selection ? selection.replace(/,/g, '+') : 'all'}`;
    variants.push({ key, locale, themes, fileName, rendered: await deps.render(source.model(key)) });
  }
  return variants;
}

/** The variant of a reader without themes: what a test send shows (links go to the manage page). */
export async function editionTestMail(deps: PreviewDeps, edition: EditionRow, locale: Locale): Promise<RenderedMail> {
  const source = await loadEditionSource(deps.strapi, edition, deps.settings);
  return deps.render(source.model(source.variantKeyFor(locale, [])));
}
