import fs from 'node:fs';
import path from 'node:path';
import type { MailRenderer, RenderedMail } from '../../mail/renderer';
import type { NewsletterDeps } from '../edition/deps';
import type { MailingRef } from '../engine/mailing';
import { MailingRefusal } from '../engine/refusal';
import { sendTestMail } from '../engine/test-send';
import { audienceLocales, type CampaignLocale } from './audience';
import { loadCampaign } from './content';
import { buildCampaignVariantModel } from './model';
import { isCampaignRefused } from './refusals';
import { renderCampaignVariant } from './render';

type PreviewDeps = Pick<NewsletterDeps, 'strapi' | 'settings' | 'engine'> & { renderer: Pick<MailRenderer, 'compose'> };

/**
 * A campaign before it is sent, on the same render path as the send: one file per language of its
 * audience, and a test send of one language to one address (`[TEST]` in the subject, general links).
 */
async function renderIn(deps: PreviewDeps, ref: MailingRef, locale: CampaignLocale) {
  const content = await loadCampaign(deps.strapi, { id: ref.id }, deps.settings);
  if (!content) throw new MailingRefusal('missing', `no campaign ${ref.id}`);
  try {
    return await renderCampaignVariant(deps.renderer, buildCampaignVariantModel(content, locale));
  } catch (error) {
    if (isCampaignRefused(error)) throw new MailingRefusal('invalid', error.message);
    throw error;
  }
}

/** One rendered variant per language of the campaign's audience (the CLI writes them to files, the admin panel shows them). */
export async function campaignPreviewVariants(deps: PreviewDeps, ref: MailingRef): Promise<Array<{ key: string; locale: CampaignLocale; rendered: RenderedMail }>> {
  const content = await loadCampaign(deps.strapi, { id: ref.id }, deps.settings);
  if (!content) throw new MailingRefusal('missing', `no campaign ${ref.id}`);
  const variants: Array<{ key: string; locale: CampaignLocale; rendered: RenderedMail }> = [];
  for (const locale of audienceLocales(content.audience)) variants.push({ key: locale, locale, rendered: await renderIn(deps, ref, locale) });
  return variants;
}

export async function previewCampaign(deps: PreviewDeps, ref: MailingRef, dir: string): Promise<string[]> {
  const variants = await campaignPreviewVariants(deps, ref);
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const { locale, rendered } of variants) {
    const base = path.join(dir, `campaign-${ref.id}-${locale}`);
    fs.writeFileSync(`${base}.html`, rendered.html);
    fs.writeFileSync(`${base}.txt`, rendered.text);
    files.push(`${base}.html`);
  }
  return files;
}

export async function sendTestCampaign(deps: PreviewDeps, ref: MailingRef, to: string | readonly string[], locale: CampaignLocale): Promise<void> {
  await sendTestMail(deps, await renderIn(deps, ref, locale), to, locale, 'campaign');
}
