import fs from 'node:fs';
import path from 'node:path';
import { EVERYONE } from '../engine/mailing';
import { PAGE_SIZE } from '../engine/plan';
import { createKnexSendingStore } from '../engine/knex-store';
import { sendTestMail } from '../engine/test-send';
import type { EditionRow, NewsletterDeps } from './deps';
import { loadEditionSource, readerLocale } from './edition-source';
import { parseVariantKey } from './variants';
import type { Locale } from '../../core/domain/subscription-request';
import type { RenderedMail } from '../../mail/renderer';

/*
 * An edition before it is sent, on the same render path as the send: every variant that occurs
 * among the current active subscribers (as files for the CLI, as data for the admin panel), and a
 * test send of one variant to one or more addresses.
 */

export interface EditionPreviewVariant {
  /** The variant key: `locale|theme,theme` (no themes: the reader follows all, or none of the edition's). */
  key: string;
  locale: Locale;
  themes: string[];
  rendered: RenderedMail;
}

/** Every variant that occurs among the active subscribers, rendered (the CLI writes them to files, the admin panel shows them). */
export async function editionPreviewVariants(deps: NewsletterDeps, edition: EditionRow): Promise<EditionPreviewVariant[]> {
  const source = await loadEditionSource(deps.strapi, edition, deps.settings);
  const store = createKnexSendingStore(deps.db);
  const keys = new Set<string>();
  for (let lastId = 0; ; ) {
    const page = await store.subscribers(EVERYONE, lastId, PAGE_SIZE);
    if (page.length === 0) break;
    for (const subscriber of page) keys.add(source.variantKeyFor(readerLocale(subscriber.preferredLocale), subscriber.themes));
    lastId = page[page.length - 1].id;
  }
  if (keys.size === 0) keys.add(source.variantKeyFor('nl', []));
  const variants: EditionPreviewVariant[] = [];
  for (const key of [...keys].sort()) {
    const { locale, themes } = parseVariantKey(key);
    variants.push({ key, locale, themes, rendered: await deps.render(source.model(key)) });
  }
  return variants;
}

export async function previewEdition(deps: NewsletterDeps, edition: EditionRow, dir: string): Promise<string[]> {
  const variants = await editionPreviewVariants(deps, edition);
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const { key, rendered } of variants) {
    const [locale, selection] = key.split('|');
    const base = path.join(dir, `${locale}-${selection ? selection.replace(/,/g, '+') : 'all'}`);
    fs.writeFileSync(`${base}.html`, rendered.html);
    fs.writeFileSync(`${base}.txt`, rendered.text);
    files.push(`${base}.html`);
  }
  return files;
}

/** Sends the variant of a reader without themes to one or more addresses, `[TEST]` in the subject; links go to the signup page. */
export async function sendTestEdition(deps: NewsletterDeps, edition: EditionRow, to: string | readonly string[], locale: Locale): Promise<void> {
  const source = await loadEditionSource(deps.strapi, edition, deps.settings);
  await sendTestMail(deps, await deps.render(source.model(source.variantKeyFor(locale, []))), to, locale, 'edition');
}
