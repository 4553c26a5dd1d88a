/**
 * Renders one variant of an edition (a locale and a theme selection) into a subject, preheader,
 * html and text part, once for all its recipients. The body is built from the partials in
 * `emails/partials/edition/`, filled once per section, item and bundle entry, with every text from
 * `emails/strings/<locale>.json` (section `edition`) and every value escaped by the mail renderer.
 *
 * Per-recipient values stay SendGrid substitution tags (EDITION_SUBSTITUTION_TAGS): the greeting,
 * the preferences and unsubscribe links and the "view in browser" link.
 *
 * Decisions:
 * - An image without alt text gets `alt=""`: the linked title follows right under it, so a screen
 *   reader would otherwise read the title twice; the editor's alt text is used when there is one.
 * - Items, images and bundle entries need absolute http(s) URLs (a relative or `javascript:` link
 *   must never reach a mailbox); anything else is an error that names the item.
 * - Sections without items are left out; "also in this edition" only appears when both the
 *   followed themes and the other sections have items. A variant without any item is an error.
 * - A bundle lists at most BUNDLE_PREVIEW_SIZE of its items; a longer bundle shows one less and
 *   says how many more there are.
 */
import { createHash } from 'node:crypto';
import type { Locale } from '../core/domain/locale';
import type { MailRenderer, PartialFiller, RenderedMail, SlotContents } from './renderer';
import { SUBSTITUTION_TAGS } from './substitutions';
import { EMPTY_PART, fillPiece, joinParts, type Part } from './mail-parts';
import { isResourceKind, type ResourceKind } from '../core/resource-kinds';

export interface EditionItemView {
  kind: 'article' | 'resource';
  resourceKind?: ResourceKind;
  title: string;
  summary: string | null;
  url: string;
  imageUrl?: string | null;
  imageAlt?: string | null;
  /** The image's shown size (at most MAIL_IMAGE_WIDTH wide), for the width and height attributes. */
  imageWidth?: number | null;
  imageHeight?: number | null;
  /** the language this item is written in; differs from the variant locale when it has no translation */
  language: Locale;
  /** for a bundle: its items */
  bundleItems?: Array<{ title: string; url: string; resourceKind: string }>;
}

export interface EditionSection {
  themeSlug: string | null;
  heading: string;
  items: EditionItemView[];
}

export interface EditionVariantModel {
  locale: Locale;
  /** e.g. "Nieuwsbrief november 2026" */
  title: string;
  /** The editors' subject; empty: "<title> – <organisation>" (emails/strings, edition.subject). */
  subject?: string | null;
  /** the editors' intro for this locale: plain text, paragraphs separated by blank lines */
  intro: string | null;
  preheader: string;
  /** sections for the themes the reader follows (empty when they follow none: everything is in `sections`) */
  followed: EditionSection[];
  /** all other sections; under "Ook in deze editie" / "Also in this edition" when `followed` has items */
  sections: EditionSection[];
}

/** What the edition renderer needs from the mail renderer (createMailRenderer gives it). */
export type EditionRendererDeps = Pick<MailRenderer, 'compose'>;

/** The substitution tags an edition contains; the sending code fills them per recipient. */
export const EDITION_SUBSTITUTION_TAGS = {
  greeting: SUBSTITUTION_TAGS.greeting,
  preferencesUrl: SUBSTITUTION_TAGS.preferencesUrl,
  unsubscribeUrl: SUBSTITUTION_TAGS.unsubscribeUrl,
  viewUrl: '%view_url%',
} as const;

/** At most this many entries of a bundle are listed in its card. */
export const BUNDLE_PREVIEW_SIZE = 5;

/** Images are shown this wide: the 600 px mail body less the cards' 32 px padding on each side. */
export const MAIL_IMAGE_WIDTH = 536;

const TEMPLATE = 'edition';
const PARTIALS = 'partials/edition';
const LOCALES: readonly Locale[] = ['nl', 'en'];

export async function renderEditionVariant(renderer: EditionRendererDeps, model: EditionVariantModel): Promise<RenderedMail> {
  const where = `Edition variant (${String(model.locale)})`;
  checkModel(model, where);
  return renderer.compose({
    template: TEMPLATE,
    locale: model.locale,
    data: { editionTitle: oneLine(model.title), editionSubject: oneLine(model.subject ?? ''), editionPreheader: oneLine(model.preheader) },
    cacheKey: modelKey(model),
    slots: (filler) => editionSlots(filler, model),
  });
}

// ---------------------------------------------------------------------------------------------
// The body, one partial per piece

/** A piece of the edition's body: `partials/edition/<name>`. */
function piece(
  filler: PartialFiller,
  name: string,
  values: Record<string, string | number>,
  slots: Record<string, Part> = {},
  mjmlOnly: Record<string, string> = {},
): Promise<Part> {
  return fillPiece(filler, `edition/${name}`, values, slots, mjmlOnly);
}

async function editionSlots(filler: PartialFiller, model: EditionVariantModel): Promise<{ mjml: SlotContents; text: SlotContents }> {
  const followed = model.followed.filter(hasItems);
  const others = model.sections.filter(hasItems);
  // A reader who follows themes gets two parts, each with its own heading: their themes, then the
  // rest under "also in this edition"; the theme headings sit one level below those.
  const parted = followed.length > 0;
  const level = parted ? 3 : 2;
  const [intro, ownPart, followedParts, otherParts, alsoHeading] = await Promise.all([
    Promise.all(paragraphs(model.intro).map((paragraph) => piece(filler, 'intro-paragraph', { paragraph }))),
    parted ? ownHeading(filler, followed) : EMPTY_PART,
    Promise.all(followed.map((section) => sectionPart(filler, model, section, level))),
    Promise.all(others.map((section) => sectionPart(filler, model, section, level))),
    parted && others.length > 0 ? piece(filler, 'also-heading', {}) : EMPTY_PART,
  ]);
  const introParagraphs = joinParts(intro);
  const sections = joinParts([ownPart, ...followedParts, alsoHeading, ...otherParts]);
  return {
    mjml: { introParagraphs: introParagraphs.mjml, sections: sections.mjml },
    text: { introParagraphs: introParagraphs.text, sections: sections.text },
  };
}

/** "Your themes", naming them when there are two or more (one is named by its own heading right below). */
async function ownHeading(filler: PartialFiller, followed: EditionSection[]): Promise<Part> {
  const names =
    followed.length > 1 ? await piece(filler, 'own-heading-names', { themeNames: followed.map((section) => oneLine(section.heading)).join(', ') }) : EMPTY_PART;
  return piece(filler, 'own-heading', {}, { themeNames: names });
}

async function sectionPart(filler: PartialFiller, model: EditionVariantModel, section: EditionSection, level: 2 | 3): Promise<Part> {
  const items = await Promise.all(section.items.map((item) => itemCard(filler, model.locale, item, level === 2 ? 3 : 4)));
  // Sizes step down with the level, so an item's title never outgrows the theme heading above it.
  const heading = { heading: oneLine(section.heading), headingTag: `h${level}`, headingSize: level === 2 ? '21px' : '20px' };
  return piece(filler, 'section', heading, { items: joinParts(items) });
}

/**
 * One item's card (article, resource or bundle) from `partials/edition/`. Shared with the campaign
 * (src/mailings/campaign/render.ts), so a card looks the same in every mailing; the filler's template must
 * have the card texts (`readMore`, `kind-*`, `open-*`, `languageNote-*`, `bundleContains`, `bundleMore`).
 */
export async function itemCard(filler: PartialFiller, locale: Locale, item: EditionItemView, headingLevel: 3 | 4 = 3): Promise<Part> {
  const title = oneLine(item.title);
  const summary = oneLine(item.summary ?? '');
  // One level below the heading the card sits under (a theme's h2, or its h3 inside a part).
  const values = {
    title,
    url: item.url.trim(),
    itemLanguage: item.language,
    cardHeadingTag: `h${headingLevel}`,
    cardTitleSize: headingLevel === 3 ? '19px' : '18px',
  };
  const [summaryPart, languageNote, image] = await Promise.all([
    summary ? piece(filler, 'summary', { summary, itemLanguage: item.language }) : EMPTY_PART,
    item.language !== locale ? piece(filler, 'language-note', { note: filler.text(`mail.languageNote-${item.language}`) }) : EMPTY_PART,
    imagePart(filler, item),
  ]);
  const common = { summary: summaryPart, languageNote };
  if (item.kind === 'article') return piece(filler, 'item-card', values, common, { image });

  const kind = isResourceKind(item.resourceKind) ? item.resourceKind : 'other';
  const resourceValues = { ...values, kindLabel: filler.text(`mail.kind-${kind}`), linkText: filler.text(`mail.open-${kind}`) };
  if (kind !== 'bundle') return piece(filler, 'resource-card', resourceValues, common, { image });
  return piece(filler, 'bundle-card', resourceValues, { ...common, contents: await bundleContents(filler, item) }, { image });
}

/** An item's or campaign's image at the mail's image width; '' without one (the card is complete without). */
export function imagePart(
  filler: PartialFiller,
  image: { imageUrl?: string | null; imageAlt?: string | null; imageWidth?: number | null; imageHeight?: number | null },
): Promise<string> {
  const imageUrl = image.imageUrl?.trim();
  if (!imageUrl) return Promise.resolve('');
  const width = image.imageWidth && image.imageWidth > 0 ? Math.min(MAIL_IMAGE_WIDTH, Math.round(image.imageWidth)) : MAIL_IMAGE_WIDTH;
  // Unknown size (an upload without dimensions): `auto`, as MJML's own mj-image writes it.
  const height = image.imageHeight && image.imageHeight > 0 && image.imageWidth ? String(Math.round((image.imageHeight * width) / image.imageWidth)) : 'auto';
  return filler.fill(`${PARTIALS}/image.mjml`, { imageUrl, imageAlt: oneLine(image.imageAlt ?? ''), imageWidth: String(width), imageHeight: height });
}

/** A bundle's list of entries: at most `limit`; a longer bundle shows one less and says how many more. */
export async function bundleContents(filler: PartialFiller, item: EditionItemView, limit = BUNDLE_PREVIEW_SIZE): Promise<Part> {
  const entries = item.bundleItems ?? [];
  if (entries.length === 0) return EMPTY_PART;
  const shown = entries.length <= limit ? entries : entries.slice(0, limit - 1);
  const [listed, more] = await Promise.all([
    Promise.all(
      shown.map((entry) =>
        piece(filler, 'bundle-entry', {
          title: oneLine(entry.title),
          url: entry.url.trim(),
          kindLabel: filler.text(`mail.kind-${isResourceKind(entry.resourceKind) ? entry.resourceKind : 'other'}`),
        }),
      ),
    ),
    shown.length < entries.length ? piece(filler, 'bundle-more', { moreCount: entries.length - shown.length }) : EMPTY_PART,
  ]);
  return piece(filler, 'bundle-contents', {}, { entries: joinParts(listed), more });
}

// ---------------------------------------------------------------------------------------------
// Text and checks

function hasItems(section: EditionSection): boolean {
  return section.items.length > 0;
}

/** Editors' text on one line: line breaks and runs of white space become one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Paragraphs are separated by blank lines; line breaks inside one are wrapping, not meaning. */
export function paragraphs(intro: string | null): string[] {
  return (intro ?? '')
    .split(/\n[ \t]*\n/)
    .map(oneLine)
    .filter((paragraph) => paragraph.length > 0);
}

export function isWebUrl(url: string): boolean {
  try {
    const parsed = new URL(url.trim());
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.hostname.length > 0;
  } catch {
    return false;
  }
}

function checkModel(model: EditionVariantModel, where: string): void {
  if (!LOCALES.includes(model.locale)) throw new Error(`${where}: unknown locale "${String(model.locale)}"`);
  if (!oneLine(model.title ?? '')) throw new Error(`${where}: the edition has no title`);
  if (!oneLine(model.preheader ?? '')) throw new Error(`${where}: the edition has no preheader`);
  const sections = [...model.followed, ...model.sections];
  if (!sections.some(hasItems)) throw new Error(`${where}: the variant has no items`);
  for (const section of sections) {
    if (section.items.length > 0 && !oneLine(section.heading ?? '')) throw new Error(`${where}: a section (${String(section.themeSlug)}) has no heading`);
    for (const item of section.items) checkItem(item, `${where}, item "${oneLine(item.title ?? '')}"`);
  }
}

/** An item fit for a mail: known kind and language, a title, absolute http(s) links only. */
export function checkItem(item: EditionItemView, where: string): void {
  if (item.kind !== 'article' && item.kind !== 'resource') throw new Error(`${where}: unknown kind "${String(item.kind)}"`);
  if (!LOCALES.includes(item.language)) throw new Error(`${where}: unknown language "${String(item.language)}"`);
  if (!oneLine(item.title ?? '')) throw new Error(`${where}: no title`);
  if (!isWebUrl(item.url ?? '')) throw new Error(`${where}: the link must be an absolute http(s) URL, not "${item.url}"`);
  if (item.imageUrl?.trim() && !isWebUrl(item.imageUrl)) throw new Error(`${where}: the image must be an absolute http(s) URL, not "${item.imageUrl}"`);
  for (const entry of item.bundleItems ?? []) {
    if (!oneLine(entry.title ?? '')) throw new Error(`${where}: a bundle entry has no title`);
    if (!isWebUrl(entry.url ?? '')) throw new Error(`${where}: bundle entry "${entry.title}" needs an absolute http(s) URL, not "${entry.url}"`);
  }
}

// ---------------------------------------------------------------------------------------------
// Cache key

/** JSON with sorted object keys and without null/undefined members: equal models, equal keys. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((entry) => stableJson(entry ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== null && member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, member]) => `${JSON.stringify(key)}:${stableJson(member)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A short key for the renderer's cache: the model itself can be tens of kilobytes. */
function modelKey(model: EditionVariantModel): string {
  return createHash('sha256').update(stableJson(model)).digest('base64url');
}
