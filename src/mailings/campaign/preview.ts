import type { MailRenderer, RenderedMail } from '../../mail/renderer';
import type { Core } from '@strapi/strapi';
import type { LinkSettings } from '../../core/links';
import type { MailingRef, VariantPreview } from '../engine/mailing';
import { MailingRefusal } from '../engine/refusal';
import { audienceLocales } from './audience';
import { loadCampaign } from './content';
import { buildCampaignVariantModel } from './model';
import { isCampaignRefused } from './refusals';
import { renderCampaignVariant } from './render';
import type { Locale } from '../../core/domain/locale';

interface PreviewDeps {
  strapi: Core.Strapi;
  settings: LinkSettings;
  renderer: Pick<MailRenderer, 'compose'>;
}

/**
 * A campaign before it is sent, on the same render path as the send: one variant per language of
 * its audience, and the variant a test send in one language shows.
 */
export async function campaignTestMail(deps: PreviewDeps, ref: MailingRef, locale: Locale): Promise<RenderedMail> {
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
export async function campaignPreviewVariants(deps: PreviewDeps, ref: MailingRef): Promise<VariantPreview[]> {
  const content = await loadCampaign(deps.strapi, { id: ref.id }, deps.settings);
  if (!content) throw new MailingRefusal('missing', `no campaign ${ref.id}`);
  const variants: VariantPreview[] = [];
  for (const locale of audienceLocales(content.audience)) {
    variants.push({ key: locale, locale, themes: [], fileName: `campaign-${ref.id}-${locale}`, rendered: await campaignTestMail(deps, ref, locale) });
  }
  return variants;
}
