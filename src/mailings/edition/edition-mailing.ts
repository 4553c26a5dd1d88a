import { EVERYONE, type EditorialProducer } from '../engine/mailing';
import type { MailingDeps } from '../engine/mailing-deps';
import type { EditionRow } from './edition-row';
import { loadEditionSource, readerLocale } from './edition-source';
import { mailingHeaders } from '../../mail/personalization';
import { parseVariantKey } from './variants';
import { countedLinks } from '../content';
import { editionPreviewVariants, editionTestMail } from './preview';

/**
 * The edition as a producer for the sending engine: its audience is every active subscriber, a
 * reader's variant is their locale and the followed themes that occur in the edition, a variant
 * renders through the edition template; each recipient gets a greeting, two signed links
 * (unsubscribe, preferences), the web version's link and RFC 8058 one-click headers.
 */
export function createEditionProducer(deps: Pick<MailingDeps, 'strapi' | 'db' | 'render' | 'settings' | 'tokenSecret'>): EditorialProducer {
  const edition = async (id: number) => (await deps.db('editions').where({ id }).first()) as EditionRow;
  return {
    kind: 'edition',
    previewVariants: async (ref) => editionPreviewVariants(deps, await edition(ref.id)),
    testMail: async (ref, locale) => editionTestMail(deps, await edition(ref.id), locale),
    async prepare(mailing) {
      // The send's own links (stored with its variants, so the web version shows them too) are
      // counted; previews and test sends link directly, so editors' own clicks count nowhere.
      const links = deps.settings.itemCounts
        ? { ...deps.settings, ...countedLinks(deps.settings, { kind: 'edition', id: mailing.ref.id }, deps.tokenSecret) }
        : deps.settings;
      const source = await loadEditionSource(deps.strapi, await edition(mailing.ref.id), links);
      if (source.items.length === 0)
        return { nothing: { state: 'skipped', note: 'Geen gepubliceerde items meer in deze editie. / No published items left in this edition.' } };
      return {
        audience: EVERYONE,
        variantFor: (subscriber) => source.variantKeyFor(readerLocale(subscriber.preferredLocale), subscriber.themes),
        render: (key) => deps.render(source.model(key)),
      };
    },
    envelope(mailing, variantKey) {
      const { publicUrl } = deps.settings;
      const locale = parseVariantKey(variantKey).locale;
      return {
        categories: ['edition'],
        customArgs: { edition_id: mailing.documentId },
        headers: mailingHeaders(deps.settings.listId),
        personalization: {
          publicUrl,
          viewUrl: `${publicUrl}/newsletter/editions/${mailing.documentId}?variant=${encodeURIComponent(variantKey)}`,
          locale,
          unsubscribeMailbox: deps.settings.unsubscribeMailbox,
        },
      };
    },
  };
}
