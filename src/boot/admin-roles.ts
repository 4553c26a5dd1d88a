import type { Core } from '@strapi/strapi';
import { CONTENT_TYPES } from '../core/content-types';
import { DESK_ACTIONS } from '../mailings/desk/permissions';

/**
 * What Strapi's two built-in editorial roles may do in this product, set through the admin's own
 * role and permission services (the same path as Settings > Roles). Applied at every start: the
 * role definitions are code, so a new attribute, a new content type or the desk plugin's actions
 * reach the roles without anyone clicking. Changes made to these two roles in Settings are reset at
 * the next start; other roles (made in Settings) are left alone.
 *
 * - Editor (`strapi-editor`): everything on our content types (subscribers included), publishing,
 *   every `plugin::desk.*` action.
 * - Author (`strapi-author`): prepares: creates, reads and updates articles, resources, themes,
 *   editions and campaigns, never publishes or deletes, never sets a mailing's state or send time
 *   (that is sending), may preview and test-send; no subscriber access at all. The welcome mail
 *   they read, preview and test, but do not change: it has no draft, so a change goes out at once
 *   to every reader who confirms.
 */
export const EDITOR_ROLE_CODE = 'strapi-editor';
export const AUTHOR_ROLE_CODE = 'strapi-author';

const CONTENT = [CONTENT_TYPES.article, CONTENT_TYPES.resource, CONTENT_TYPES.theme] as const;
const MAILINGS = [CONTENT_TYPES.edition, CONTENT_TYPES.campaign] as const;
const SUBSCRIBER = CONTENT_TYPES.subscriber;
const WELCOME_MAIL = CONTENT_TYPES.welcomeMail;

const CM = 'plugin::content-manager.explorer';
const CREATE = `${CM}.create`;
const READ = `${CM}.read`;
const UPDATE = `${CM}.update`;
const DELETE = `${CM}.delete`;
const PUBLISH = `${CM}.publish`;

/** The desk plugin's actions each role holds (src/mailings/desk/permissions.ts): an Author prepares, an Editor does everything. */
const ROLE_DESK_ACTIONS = {
  editor: Object.values(DESK_ACTIONS),
  author: [DESK_ACTIONS.preview, DESK_ACTIONS.sendTest],
};

/** Fields of a mailing whose change is scheduling, sending or cancelling: Editors only. */
const SENDING_FIELDS: Record<string, string[]> = {
  [CONTENT_TYPES.edition]: ['state', 'scheduledAt'],
  [CONTENT_TYPES.campaign]: ['state', 'sendAt'],
};

/**
 * A subscriber's consent record (when, where, which text, hashed IP) is evidence of what the reader
 * did, written when they confirm: readable, never changed by hand. Left out of every role's update,
 * so the content manager shows it read-only and drops it from any save.
 */
const CONSENT_FIELDS = ['consent'];

export interface PermissionSpec {
  action: string;
  subject?: string;
  /** Leave these fields out of the permission (field-level permissions, enforced by the content manager). */
  withoutFields?: string[];
  conditions?: string[];
}

export function editorPermissions(): PermissionSpec[] {
  return [
    ...CONTENT.flatMap((subject) => [CREATE, READ, UPDATE, DELETE, PUBLISH].map((action) => ({ action, subject }))),
    ...MAILINGS.flatMap((subject) => [CREATE, READ, UPDATE, DELETE].map((action) => ({ action, subject }))),
    { action: CREATE, subject: SUBSCRIBER },
    { action: READ, subject: SUBSCRIBER },
    { action: UPDATE, subject: SUBSCRIBER, withoutFields: CONSENT_FIELDS },
    { action: DELETE, subject: SUBSCRIBER },
    ...[CREATE, READ, UPDATE].map((action) => ({ action, subject: WELCOME_MAIL })),
    ...uploadPermissions(false),
    ...ROLE_DESK_ACTIONS.editor.map((action) => ({ action })),
  ];
}

export function authorPermissions(): PermissionSpec[] {
  return [
    ...CONTENT.flatMap((subject) => [CREATE, READ, UPDATE].map((action) => ({ action, subject }))),
    ...MAILINGS.flatMap((subject) => [
      { action: READ, subject },
      { action: CREATE, subject, withoutFields: SENDING_FIELDS[subject] },
      { action: UPDATE, subject, withoutFields: SENDING_FIELDS[subject] },
    ]),
    { action: READ, subject: WELCOME_MAIL },
    ...uploadPermissions(true),
    ...ROLE_DESK_ACTIONS.author.map((action) => ({ action })),
  ];
}

/** Strapi's own defaults for the media library (an Author changes only the files they uploaded). */
function uploadPermissions(author: boolean): PermissionSpec[] {
  const own = author ? ['admin::is-creator'] : [];
  return [
    { action: 'plugin::upload.read', conditions: own },
    { action: 'plugin::upload.configure-view' },
    { action: 'plugin::upload.assets.create' },
    { action: 'plugin::upload.assets.update', conditions: own },
    { action: 'plugin::upload.assets.download' },
    { action: 'plugin::upload.assets.copy-link' },
  ];
}

interface AdminAction {
  actionId: string;
  subjects?: string[];
  options?: { applyToProperties?: string[] };
}

type FieldsOf = (subject: string) => string[];

/**
 * Turns specs into the permissions Strapi stores: content-type actions carry every field of the
 * type (nested component fields too) except the left-out ones, and, for localized types, every
 * locale. Specs whose action is not registered (the desk plugin before it is merged) are skipped.
 */
export function buildPermissions(
  specs: PermissionSpec[],
  registered: (actionId: string) => AdminAction | undefined,
  fieldsOf: FieldsOf,
  localesOf: (subject: string) => string[] | undefined,
  skipped: (actionId: string) => void,
): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const spec of specs) {
    const action = registered(spec.action);
    if (!action || (spec.subject && action.subjects && !action.subjects.includes(spec.subject))) {
      skipped(spec.subject ? `${spec.action} on ${spec.subject}` : spec.action);
      continue;
    }
    const properties: Record<string, unknown> = {};
    const applies = action.options?.applyToProperties ?? [];
    if (spec.subject && applies.includes('fields')) {
      const left = new Set(spec.withoutFields ?? []);
      properties.fields = fieldsOf(spec.subject).filter((field) => !left.has(field.split('.')[0]));
    }
    const locales = spec.subject && applies.includes('locales') ? localesOf(spec.subject) : undefined;
    if (locales) properties.locales = locales;
    out.push({ action: spec.action, subject: spec.subject ?? null, properties, conditions: spec.conditions ?? [] });
  }
  return out;
}

export async function ensureEditorialRoles(strapi: Core.Strapi): Promise<void> {
  const roles = strapi.service('admin::role');
  const permissionService = strapi.service('admin::permission');
  const contentTypeService = strapi.service('admin::content-type');
  const allLocales = ((await strapi.plugin('i18n').service('locales').find()) as Array<{ code: string }>).map((locale) => locale.code);
  const actionProvider = permissionService.actionProvider as { get(id: string): AdminAction | undefined };

  const fieldsOf: FieldsOf = (subject) => {
    const [permission] = contentTypeService.getPermissionsWithNestedFields([
      { actionId: READ, subjects: [subject], options: { applyToProperties: ['fields'] } },
    ]);
    return (permission?.properties?.fields as string[] | undefined) ?? [];
  };
  const localesOf = (subject: string) =>
    (strapi.contentTypes[subject as keyof typeof strapi.contentTypes]?.pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n?.localized
      ? allLocales
      : undefined;

  for (const [code, specs] of [
    [EDITOR_ROLE_CODE, editorPermissions()],
    [AUTHOR_ROLE_CODE, authorPermissions()],
  ] as const) {
    const role = await roles.findOne({ code });
    if (!role) {
      strapi.log.warn(`[roles] the built-in role ${code} is missing; its permissions were not set.`);
      continue;
    }
    const permissions = buildPermissions(
      specs,
      (id) => actionProvider.get(id),
      fieldsOf,
      localesOf,
      (what) => strapi.log.debug(`[roles] ${code}: ${what} is not registered (yet); skipped`),
    );
    await roles.assignPermissions(role.id, permissions);
  }
}
