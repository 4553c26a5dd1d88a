import type { Core } from '@strapi/strapi';
import { FIELD_HINTS, HIDDEN_FIELDS } from './admin-hints';

/**
 * What editors see first in the admin panel's lists, and which fields only the worker writes.
 * Strapi's default list shows the first few attributes, which for editions, campaigns and
 * subscribers left out the one thing an editor scans a list for: the state. Applied once (when the list lacks `state`),
 * so an editor's own list configuration is kept afterwards; the read-only fields are enforced at
 * every start because editing a count would only make it wrong.
 */
const LISTS: Record<string, string[]> = {
  'api::edition.edition': ['title', 'state', 'scheduledAt', 'recipientsCount', 'submittedCount', 'deliveredCount', 'bouncedCount'],
  'api::campaign.campaign': ['title', 'state', 'sendAt', 'recipientsCount', 'submittedCount', 'deliveredCount', 'bouncedCount'],
  'api::subscriber.subscriber': ['email', 'state', 'preferredLocale', 'confirmedAt'],
};

const READ_ONLY: Record<string, string[]> = {
  'api::edition.edition': ['periodStart', 'cutoff', 'recipientsCount', 'queuedCount', 'submittedCount', 'failedCount', 'suppressedCount', 'unknownCount', 'cancelledCount', 'variantsCount', 'deliveredCount', 'deferredCount', 'bouncedCount', 'droppedCount', 'spamReportsCount', 'unsubscribesCount', 'opensCount', 'machineOpensCount', 'clicksCount', 'plannedAt', 'sentAt', 'notes'],
  'api::campaign.campaign': ['recipientsCount', 'queuedCount', 'submittedCount', 'failedCount', 'suppressedCount', 'unknownCount', 'cancelledCount', 'variantsCount', 'deliveredCount', 'deferredCount', 'bouncedCount', 'droppedCount', 'spamReportsCount', 'unsubscribesCount', 'opensCount', 'machineOpensCount', 'clicksCount', 'plannedAt', 'sentAt', 'notes'],
  'api::subscriber.subscriber': ['confirmedAt', 'suppressionReason', 'suppressedAt'],
};

interface Configuration {
  settings: Record<string, unknown>;
  metadatas: Record<string, { edit: Record<string, unknown>; list: Record<string, unknown> }>;
  layouts: { list: string[]; edit: Array<Array<{ name: string; size: number }>> };
}

/**
 * Also at every start: the help under fields (FIELD_HINTS) and the internal fields left out of the
 * edit view (HIDDEN_FIELDS), both code rather than settings an editor would have to find.
 */
export async function ensureAdminLayouts(strapi: Core.Strapi): Promise<void> {
  const service = strapi.plugin('content-manager').service('content-types');
  const uids = new Set([...Object.keys(LISTS), ...Object.keys(READ_ONLY), ...Object.keys(FIELD_HINTS), ...Object.keys(HIDDEN_FIELDS)]);
  for (const uid of uids) {
    const contentType = service.findContentType(uid);
    const configuration = (await service.findConfiguration(contentType)) as Configuration;
    const wantedList = LISTS[uid];
    const list = !wantedList || configuration.layouts.list.includes('state') ? configuration.layouts.list : wantedList;
    const readOnly = READ_ONLY[uid] ?? [];
    const hints = FIELD_HINTS[uid] ?? {};
    const hidden = HIDDEN_FIELDS[uid] ?? [];
    const metadatas = Object.fromEntries(
      Object.entries(configuration.metadatas).map(([field, meta]) => {
        const edit = { ...meta.edit };
        if (readOnly.includes(field)) edit.editable = false;
        if (hints[field] !== undefined) edit.description = hints[field];
        if (hidden.includes(field)) edit.visible = false;
        return [field, { ...meta, edit }];
      }),
    );
    const edit = configuration.layouts.edit.map((row) => row.filter((cell) => !hidden.includes(cell.name))).filter((row) => row.length > 0);
    const changed =
      list !== configuration.layouts.list ||
      JSON.stringify(metadatas) !== JSON.stringify(configuration.metadatas) ||
      JSON.stringify(edit) !== JSON.stringify(configuration.layouts.edit);
    if (!changed) continue;
    await service.updateConfiguration(contentType, { settings: configuration.settings, metadatas, layouts: { ...configuration.layouts, list, edit } });
  }
}
