import type { Core } from '@strapi/strapi';
import { FIELD_HINTS, HIDDEN_FIELDS } from './admin-hints';
import { CONTENT_TYPES } from '../core/content-types';
import { ENGINE_FIELDS } from '../mailings/engine/mailing-rules';

/**
 * What editors see first in the admin panel's lists, and which fields only the worker writes.
 * Strapi's default list shows the first four attributes: for subscribers that left out the one
 * thing an editor scans a list for, the state, and for editions and campaigns the counts. Our list
 * replaces a list no editor chose (Strapi's default, or the list this code set at an earlier start,
 * recorded in Strapi's store), so an editor's own list configuration is kept; the read-only fields
 * are enforced at every start because editing a count would only make it wrong.
 */
const LISTS: Record<string, string[]> = {
  [CONTENT_TYPES.edition]: ['title', 'state', 'scheduledAt', 'recipientsCount', 'submittedCount', 'deliveredCount', 'bouncedCount'],
  [CONTENT_TYPES.campaign]: ['title', 'state', 'sendAt', 'recipientsCount', 'submittedCount', 'deliveredCount', 'bouncedCount'],
  [CONTENT_TYPES.subscriber]: ['email', 'state', 'preferredLocale', 'confirmedAt'],
};

/** Fields the form shows but editors cannot change: the engine's (most are also hidden, src/boot/admin-hints.ts) and a subscriber's record of confirmation and suppression. */
const READ_ONLY: Record<string, readonly string[]> = {
  [CONTENT_TYPES.edition]: ENGINE_FIELDS.edition,
  [CONTENT_TYPES.campaign]: ENGINE_FIELDS.campaign,
  [CONTENT_TYPES.subscriber]: ['confirmedAt', 'suppressionReason', 'suppressedAt'],
};

/**
 * The field that names a record in its edit view's title and in relation pickers: a subscriber is
 * their address (Strapi's own pick, the name, left nameless readers "Naamloos").
 */
const MAIN_FIELDS: Record<string, string> = {
  [CONTENT_TYPES.subscriber]: 'email',
};

/** Where the lists this code set are recorded: a list still equal to its record was not changed by an editor. */
const APPLIED_LISTS = { type: 'plugin', name: 'netwerkpost', key: 'admin-list-layouts' } as const;
/** Attribute types Strapi never lists (content-manager's NON_LISTABLES). */
const NEVER_LISTED = new Set(['json', 'password', 'richtext', 'dynamiczone', 'blocks']);

/**
 * The list Strapi makes for a content type without one (content-manager's createDefaultListLayout:
 * the first four listable attributes, `id` first, never `documentId`), to tell it from an editor's.
 */
export function strapiDefaultList(attributes: Record<string, { type?: string }>): string[] {
  return Object.keys(attributes)
    .filter((name) => name !== 'documentId' && !NEVER_LISTED.has(attributes[name]?.type ?? ''))
    .slice(0, 4);
}

const sameList = (a: readonly string[], b: readonly string[] | undefined) => b !== undefined && a.length === b.length && a.every((name, i) => name === b[i]);

/** Our list, unless the current one is an editor's choice (neither Strapi's default nor what we set before). */
export function chooseList(current: string[], wanted: string[] | undefined, strapiDefault: string[], appliedBefore: string[] | undefined): string[] {
  if (!wanted || sameList(current, wanted)) return current;
  return sameList(current, strapiDefault) || sameList(current, appliedBefore) ? wanted : current;
}

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
  const store = strapi.store(APPLIED_LISTS);
  const recorded = ((await store.get({})) as Record<string, string[]> | null) ?? {};
  const appliedLists = { ...recorded };
  const uids = new Set([
    ...Object.keys(LISTS),
    ...Object.keys(READ_ONLY),
    ...Object.keys(FIELD_HINTS),
    ...Object.keys(HIDDEN_FIELDS),
    ...Object.keys(MAIN_FIELDS),
  ]);
  for (const uid of uids) {
    const contentType = service.findContentType(uid);
    const configuration = (await service.findConfiguration(contentType)) as Configuration;
    const list = chooseList(configuration.layouts.list, LISTS[uid], strapiDefaultList(contentType.attributes), appliedLists[uid]);
    if (LISTS[uid] && sameList(list, LISTS[uid])) appliedLists[uid] = LISTS[uid];
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
    const settings = MAIN_FIELDS[uid] ? { ...configuration.settings, mainField: MAIN_FIELDS[uid] } : configuration.settings;
    const changed =
      settings.mainField !== configuration.settings.mainField ||
      list !== configuration.layouts.list ||
      JSON.stringify(metadatas) !== JSON.stringify(configuration.metadatas) ||
      JSON.stringify(edit) !== JSON.stringify(configuration.layouts.edit);
    if (!changed) continue;
    await service.updateConfiguration(contentType, { settings, metadatas, layouts: { ...configuration.layouts, list, edit } });
  }
  if (JSON.stringify(appliedLists) !== JSON.stringify(recorded)) await store.set({ value: appliedLists });
}
