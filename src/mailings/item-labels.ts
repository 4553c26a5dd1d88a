import type { Core } from '@strapi/strapi';
import { CONTENT_TYPES, MAILING_ITEM_LISTS } from '../core/content-types';

/**
 * A collapsed entry of an edition's items or a campaign's featured items shows its component's
 * main field, and a relation cannot be one: editors would drag blank rows. So each entry carries a
 * `label` (read-only in the form, the entry's main field) that is the picked item's title and kind,
 * kept right after every write of the mailing (the admin panel sends relation changes, not titles,
 * so it can only be known once stored). A picked item that is not published is marked as a draft:
 * the send refuses it, and the editor sees why before trying.
 */
const LISTS: Record<string, { field: string; component: string }> = {
  [CONTENT_TYPES.edition]: MAILING_ITEM_LISTS.edition,
  [CONTENT_TYPES.campaign]: MAILING_ITEM_LISTS.campaign,
};

interface Picked {
  documentId: string;
  title: string;
  locale: string;
  kind?: string;
}

interface Entry {
  id: number;
  label: string | null;
  article?: Picked | null;
  resource?: Picked | null;
}

const KIND_LABELS: Record<string, string> = {
  article: 'nieuws / news',
  book: 'boek / book',
  tool: 'tool',
  video: 'video',
  report: 'rapport / report',
  bundle: 'bundel / bundle',
};

export function registerItemLabels(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    const result = await next();
    const list = LISTS[context.uid];
    if (!list || !['create', 'update'].includes(context.action)) return result;
    const documentId = (result as { documentId?: string } | null)?.documentId ?? (context.params as { documentId?: string }).documentId;
    if (documentId) await labelEntries(strapi, context.uid, documentId);
    return result;
  });
}

export async function labelEntries(strapi: Core.Strapi, uid: string, documentId: string): Promise<void> {
  const list = LISTS[uid];
  const fields = ['documentId', 'title', 'locale'];
  const mailing = (await strapi.db.query(uid as never).findOne({
    where: { documentId },
    select: ['id'],
    populate: { [list.field]: { select: ['id', 'label'], populate: { article: { select: fields }, resource: { select: [...fields, 'kind'] } } } },
  })) as Record<string, Entry[] | undefined> | null;
  for (const entry of mailing?.[list.field] ?? []) {
    const label = await labelOf(strapi, entry);
    if (label !== entry.label) await strapi.db.query(list.component as never).update({ where: { id: entry.id }, data: { label } });
  }
}

async function labelOf(strapi: Core.Strapi, entry: Entry): Promise<string | null> {
  const picked = entry.article ?? entry.resource;
  if (!picked) return null;
  const uid = entry.article ? CONTENT_TYPES.article : CONTENT_TYPES.resource;
  const published = await strapi.db.query(uid as never).count({ where: { documentId: picked.documentId, publishedAt: { $notNull: true } } });
  const kind = KIND_LABELS[entry.article ? 'article' : (picked.kind ?? '')] ?? picked.kind ?? '';
  return `${picked.title}${kind ? ` · ${kind}` : ''}${published > 0 ? '' : ' · concept, niet gepubliceerd / draft, not published'}`.slice(0, 300);
}

/** The entry's label is its main field in the form, and not editable there. */
export async function ensureItemLayouts(strapi: Core.Strapi): Promise<void> {
  const service = strapi.plugin('content-manager').service('components');
  for (const { component: uid } of Object.values(LISTS)) {
    const component = service.findComponent(uid);
    if (!component) continue;
    const configuration = (await service.findConfiguration(component)) as {
      settings: Record<string, unknown>;
      metadatas: Record<string, { edit: Record<string, unknown>; list: Record<string, unknown> }>;
      layouts: Record<string, unknown>;
    };
    if (configuration.settings.mainField === 'label' && configuration.metadatas.label?.edit.editable === false) continue;
    const metadatas = {
      ...configuration.metadatas,
      label: { ...configuration.metadatas.label, edit: { ...configuration.metadatas.label?.edit, editable: false } },
    };
    await service.updateConfiguration(component, { settings: { ...configuration.settings, mainField: 'label' }, metadatas, layouts: configuration.layouts });
  }
}
