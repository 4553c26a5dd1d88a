import type { Core } from '@strapi/strapi';

/**
 * What editors see first in the admin panel's lists, and which fields only the worker writes.
 * Strapi's default list shows the first few attributes, which for editions, campaigns and
 * subscribers left out the one thing an editor scans a list for: the state. Applied once (when the list lacks `state`),
 * so an editor's own list configuration is kept afterwards; the read-only fields are enforced at
 * every start because editing a count would only make it wrong.
 */
const LISTS: Record<string, string[]> = {
  'api::edition.edition': ['title', 'state', 'scheduledAt', 'recipientsCount', 'submittedCount'],
  'api::campaign.campaign': ['title', 'state', 'sendAt', 'recipientsCount', 'submittedCount'],
  'api::subscriber.subscriber': ['email', 'state', 'preferredLocale', 'confirmedAt'],
};

const READ_ONLY: Record<string, string[]> = {
  'api::edition.edition': ['periodStart', 'cutoff', 'recipientsCount', 'queuedCount', 'submittedCount', 'failedCount', 'suppressedCount', 'unknownCount', 'cancelledCount', 'variantsCount', 'plannedAt', 'sentAt', 'notes'],
  'api::campaign.campaign': ['recipientsCount', 'queuedCount', 'submittedCount', 'failedCount', 'suppressedCount', 'unknownCount', 'cancelledCount', 'variantsCount', 'plannedAt', 'sentAt', 'notes'],
  'api::subscriber.subscriber': ['confirmedAt'],
};

interface Configuration {
  settings: Record<string, unknown>;
  metadatas: Record<string, { edit: Record<string, unknown>; list: Record<string, unknown> }>;
  layouts: { list: string[]; edit: unknown[] };
}

export async function ensureAdminLayouts(strapi: Core.Strapi): Promise<void> {
  const service = strapi.plugin('content-manager').service('content-types');
  for (const uid of Object.keys(LISTS)) {
    const contentType = service.findContentType(uid);
    const configuration = (await service.findConfiguration(contentType)) as Configuration & { uid?: string };
    const list = configuration.layouts.list.includes('state') ? configuration.layouts.list : LISTS[uid];
    const readOnly = READ_ONLY[uid] ?? [];
    const metadatas = Object.fromEntries(
      Object.entries(configuration.metadatas).map(([field, meta]) => [field, readOnly.includes(field) ? { ...meta, edit: { ...meta.edit, editable: false } } : meta]),
    );
    const changed = list !== configuration.layouts.list || readOnly.some((field) => configuration.metadatas[field]?.edit.editable !== false);
    if (!changed) continue;
    await service.updateConfiguration(contentType, { settings: configuration.settings, metadatas, layouts: { ...configuration.layouts, list } });
  }
}
