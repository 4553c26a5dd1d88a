/**
 * Renders one variant (one language) of a campaign into a subject, preheader, html and text part,
 * once for all its recipients: `templates/campaign.*` with the lead from `partials/campaign/` and
 * the other featured items as the edition's own cards (src/mail/edition-renderer.ts `itemCard`), so
 * an item looks the same in a campaign as in an edition. Every value is escaped by the renderer.
 *
 * Per-recipient values stay SendGrid substitution tags, the same ones as in an edition
 * (CAMPAIGN_SUBSTITUTION_TAGS: greeting, preferences, unsubscribe, view in browser), so the engine
 * fills them the same way for both.
 *
 * The lead bundle lists up to LEAD_BUNDLE_LIMIT of its contents (a launch is about what is in the
 * bundle; a bundle shown as a card keeps the edition's shorter preview).
 */
import { createHash } from 'node:crypto';
import { EDITION_SUBSTITUTION_TAGS, bundleContents, checkItem, imagePart, isWebUrl, itemCard, oneLine, paragraphs } from '../../mail/edition-renderer';
import { EMPTY_PART, fillPiece, joinParts, type Part } from '../../mail/mail-parts';
import type { MailRenderer, PartialFiller, RenderedMail, SlotContents } from '../../mail/renderer';
import { CAMPAIGN_LOCALES } from './audience';
import type { CampaignVariantModel } from './model';
import { isResourceKind } from '../../core/resource-kinds';

export const CAMPAIGN_SUBSTITUTION_TAGS = EDITION_SUBSTITUTION_TAGS;

/** At most this many entries of the lead bundle are listed. */
export const LEAD_BUNDLE_LIMIT = 12;

/** What the campaign renderer needs from the mail renderer (createMailRenderer gives it). */
export type CampaignRendererDeps = Pick<MailRenderer, 'compose'>;

const TEMPLATE = 'campaign';

export async function renderCampaignVariant(renderer: CampaignRendererDeps, model: CampaignVariantModel): Promise<RenderedMail> {
  const where = `Campaign variant (${String(model.locale)})`;
  checkModel(model, where);
  return renderer.compose({
    template: TEMPLATE,
    locale: model.locale,
    data: { campaignSubject: oneLine(model.subject), campaignPreheader: oneLine(model.preheader) },
    cacheKey: createHash('sha256').update(JSON.stringify(model)).digest('base64url'),
    slots: (filler) => campaignSlots(filler, model),
  });
}

async function campaignSlots(filler: PartialFiller, model: CampaignVariantModel): Promise<{ mjml: SlotContents; text: SlotContents }> {
  const [intro, lead, others, hero] = await Promise.all([
    Promise.all(paragraphs(model.intro).map((paragraph) => fillPiece(filler, 'edition/intro-paragraph', { paragraph }))),
    leadPart(filler, model),
    othersPart(filler, model),
    model.hero ? imagePart(filler, model.hero) : '',
  ]);
  const introParagraphs = joinParts(intro);
  return {
    // The text part has no images.
    mjml: { introParagraphs: introParagraphs.mjml, lead: lead.mjml, others: others.mjml, hero },
    text: { introParagraphs: introParagraphs.text, lead: lead.text, others: others.text },
  };
}

async function leadPart(filler: PartialFiller, model: CampaignVariantModel): Promise<Part> {
  const item = model.lead;
  const kind = item.kind === 'article' ? 'article' : isResourceKind(item.resourceKind) ? item.resourceKind : 'other';
  const summary = oneLine(item.summary ?? '');
  const [summaryPart, languageNote, contents, image] = await Promise.all([
    summary ? fillPiece(filler, 'edition/summary', { summary, itemLanguage: item.language }) : EMPTY_PART,
    item.language !== model.locale ? fillPiece(filler, 'edition/language-note', { note: filler.text(`mail.languageNote-${item.language}`) }) : EMPTY_PART,
    kind === 'bundle' ? bundleContents(filler, item, LEAD_BUNDLE_LIMIT) : EMPTY_PART,
    imagePart(filler, item),
  ]);
  const values = {
    title: oneLine(item.title),
    url: item.url.trim(),
    itemLanguage: item.language,
    kindLabel: filler.text(`mail.kind-${kind}`),
    ctaLabel: filler.text(kind === 'bundle' ? 'mail.ctaBundle' : `mail.open-${kind}`),
  };
  return fillPiece(filler, 'campaign/lead', values, { summary: summaryPart, languageNote, contents }, { image });
}

async function othersPart(filler: PartialFiller, model: CampaignVariantModel): Promise<Part> {
  if (model.others.length === 0) return EMPTY_PART;
  const cards = await Promise.all(model.others.map((item) => itemCard(filler, model.locale, item)));
  return fillPiece(
    filler,
    'edition/section',
    { heading: filler.text('mail.alsoFeatured'), headingTag: 'h2', headingSize: '21px' },
    { items: joinParts(cards) },
  );
}

function checkModel(model: CampaignVariantModel, where: string): void {
  if (!CAMPAIGN_LOCALES.includes(model.locale)) throw new Error(`${where}: unknown locale "${String(model.locale)}"`);
  if (!oneLine(model.subject ?? '')) throw new Error(`${where}: the campaign has no subject`);
  if (!oneLine(model.preheader ?? '')) throw new Error(`${where}: the campaign has no preheader`);
  if (!model.lead) throw new Error(`${where}: the campaign has no featured items`);
  for (const item of [model.lead, ...model.others]) checkItem(item, `${where}, item "${oneLine(item.title ?? '')}"`);
  if (model.hero?.imageUrl && !isWebUrl(model.hero.imageUrl))
    throw new Error(`${where}: the image must be an absolute http(s) URL, not "${model.hero.imageUrl}"`);
}
