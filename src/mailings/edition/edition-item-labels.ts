import type { Core } from '@strapi/strapi';
import { CONTENT_TYPES } from '../../core/content-types';

const EDITION = CONTENT_TYPES.edition;
const ITEM = 'edition.item';

interface Entry {
  id: number;
  label: string | null;
  article?: { title: string; locale: string } | null;
  resource?: { title: string; locale: string } | null;
}

/**
 * A collapsed entry of an edition's items shows its component's main field, and a relation cannot be
 * one: editors would drag blank rows. So each entry carries a `label` (read-only in the form, the
 * entry's main field) that is the picked item's title, kept right after every write of an edition
 * (the admin panel sends relation changes, not titles, so it can only be known once stored).
 */
export function registerEditionItemLabels(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    const result = await next();
    if (context.uid !== EDITION || !['create', 'update'].includes(context.action)) return result;
    const documentId = (result as { documentId?: string } | null)?.documentId ?? (context.params as { documentId?: string }).documentId;
    if (documentId) await labelEntries(strapi, documentId);
    return result;
  });
}

export async function labelEntries(strapi: Core.Strapi, documentId: string): Promise<void> {
  const edition = (await strapi.db.query(EDITION).findOne({
    where: { documentId },
    select: ['id'],
    populate: { items: { select: ['id', 'label'], populate: { article: { select: ['title', 'locale'] }, resource: { select: ['title', 'locale'] } } } },
  })) as { items?: Entry[] } | null;
  for (const entry of edition?.items ?? []) {
    const picked = entry.article ?? entry.resource;
    const label = picked ? `${picked.title}${entry.article ? ' · nieuws / news' : ''}` : null;
    if (label !== entry.label) await strapi.db.query(ITEM).update({ where: { id: entry.id }, data: { label } });
  }
}

/** The entry's label is its main field in the form, and not editable there. */
export async function ensureEditionItemLayout(strapi: Core.Strapi): Promise<void> {
  const service = strapi.plugin('content-manager').service('components');
  const component = service.findComponent(ITEM);
  if (!component) return;
  const configuration = (await service.findConfiguration(component)) as {
    settings: Record<string, unknown>;
    metadatas: Record<string, { edit: Record<string, unknown>; list: Record<string, unknown> }>;
    layouts: Record<string, unknown>;
  };
  if (configuration.settings.mainField === 'label' && configuration.metadatas.label?.edit.editable === false) return;
  const metadatas = {
    ...configuration.metadatas,
    label: { ...configuration.metadatas.label, edit: { ...configuration.metadatas.label?.edit, editable: false } },
  };
  await service.updateConfiguration(component, { settings: { ...configuration.settings, mainField: 'label' }, metadatas, layouts: configuration.layouts });
}
