/**
 * The welcome mail: what a reader gets once, in their language, right after confirming. Editors
 * write its subject and text in the single type "Welkomstmail" (one pair per language); a language
 * whose text is empty sends none. Under their text it points to what a new reader would otherwise
 * wait weeks for: the latest edition's web version and the newest bundle, each left out when there
 * is none yet. Rendered by the renderer's `compose` (`emails/templates/welcome.*`), like a campaign.
 */
import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Locale } from '../../core/domain/locale';
import { CONTENT_TYPES } from '../../core/content-types';
import { absoluteUrl, type LinkSettings } from '../../core/links';
import { imagePart, oneLine, paragraphs } from '../../mail/edition-renderer';
import { EMPTY_PART, fillPiece, joinParts, type Part } from '../../mail/mail-parts';
import type { MailRenderer, PartialFiller, RenderedMail, SlotContents } from '../../mail/renderer';
import { resourceView, type ItemView, type PublishedResource } from '../../mailings/content';
import { readArchive } from '../archive';

/** The editors' text in one language and what the mail links to, as the renderer needs it. */
export interface WelcomeMailModel {
  locale: Locale;
  /** The editors' subject; empty: the default ("Welkom bij de nieuwsbrief van <netwerk>"). */
  subject: string;
  /** The editors' text: paragraphs separated by blank lines. Never empty (empty means no mail). */
  text: string;
  latestEdition: { title: string; url: string } | null;
  newestBundle: Pick<ItemView, 'title' | 'summary' | 'url' | 'imageUrl' | 'imageAlt' | 'imageWidth' | 'imageHeight'> | null;
}

/** The welcome mail's fields as stored (src/api/welcome-mail). */
export interface WelcomeMailTexts {
  subjectNl?: string | null;
  subjectEn?: string | null;
  textNl?: string | null;
  textEn?: string | null;
}

/** The preheader is the start of the editors' first paragraph, cut on a word. */
const PREHEADER_MAX = 140;

export function welcomeText(texts: WelcomeMailTexts | null, locale: Locale): { subject: string; text: string } | null {
  const text = (locale === 'nl' ? texts?.textNl : texts?.textEn)?.trim() ?? '';
  if (paragraphs(text).length === 0) return null;
  return { subject: oneLine((locale === 'nl' ? texts?.subjectNl : texts?.subjectEn) ?? ''), text };
}

export function welcomePreheader(text: string): string {
  const first = paragraphs(text)[0] ?? '';
  if (first.length <= PREHEADER_MAX) return first;
  const cut = first.slice(0, PREHEADER_MAX + 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > 40 ? cut.slice(0, lastSpace) : cut.slice(0, PREHEADER_MAX)).replace(/[\s,;:–-]+$/, '')}…`;
}

export async function renderWelcomeMail(renderer: Pick<MailRenderer, 'compose'>, model: WelcomeMailModel): Promise<RenderedMail> {
  return renderer.compose({
    template: 'welcome',
    locale: model.locale,
    data: { welcomeSubject: model.subject, welcomePreheader: welcomePreheader(model.text) },
    cacheKey: createHash('sha256').update(JSON.stringify(model)).digest('base64url'),
    slots: (filler) => welcomeSlots(filler, model),
  });
}

async function welcomeSlots(filler: PartialFiller, model: WelcomeMailModel): Promise<{ mjml: SlotContents; text: SlotContents }> {
  const [text, latestEdition, newestBundle] = await Promise.all([
    Promise.all(paragraphs(model.text).map((paragraph) => fillPiece(filler, 'edition/intro-paragraph', { paragraph }))),
    model.latestEdition ? fillPiece(filler, 'welcome/latest-edition', { title: oneLine(model.latestEdition.title), url: model.latestEdition.url }) : EMPTY_PART,
    bundlePart(filler, model),
  ]);
  const body = joinParts(text);
  return {
    mjml: { paragraphs: body.mjml, latestEdition: latestEdition.mjml, newestBundle: newestBundle.mjml },
    text: { paragraphs: body.text, latestEdition: latestEdition.text, newestBundle: newestBundle.text },
  };
}

async function bundlePart(filler: PartialFiller, model: WelcomeMailModel): Promise<Part> {
  const bundle = model.newestBundle;
  if (!bundle) return EMPTY_PART;
  const summary = oneLine(bundle.summary ?? '');
  const [summaryPart, image] = await Promise.all([
    summary ? fillPiece(filler, 'edition/summary', { summary, itemLanguage: model.locale }) : EMPTY_PART,
    imagePart(filler, bundle),
  ]);
  return fillPiece(
    filler,
    'welcome/newest-bundle',
    { title: oneLine(bundle.title), url: bundle.url, itemLanguage: model.locale },
    { summary: summaryPart },
    { image },
  );
}

/**
 * The welcome mail in `locale` as it would go out now, or null: no text in that language (off).
 * Reads the editors' texts, the archive (the latest edition sent in that language) and the newest
 * published bundle in that language.
 */
export async function loadWelcomeMail(strapi: Core.Strapi, locale: Locale, links: LinkSettings): Promise<WelcomeMailModel | null> {
  const texts = (await strapi.documents(CONTENT_TYPES.welcomeMail).findFirst({} as never)) as WelcomeMailTexts | null;
  const own = welcomeText(texts, locale);
  if (!own) return null;
  const [archive, bundles] = await Promise.all([
    readArchive(strapi, locale),
    strapi.documents(CONTENT_TYPES.resource).findMany({
      locale,
      status: 'published',
      filters: { kind: 'bundle' },
      sort: 'publishedAt:desc',
      limit: 1,
      populate: { image: true },
    } as never) as unknown as Promise<PublishedResource[]>,
  ]);
  const edition = archive.find((entry) => entry.kind === 'edition');
  const bundle = bundles[0] ? resourceView(bundles[0], locale, links) : null;
  return {
    locale,
    ...own,
    latestEdition: edition ? { title: edition.title, url: absoluteUrl(links.publicUrl, edition.path) } : null,
    newestBundle: bundle,
  };
}
