import { describe, expect, it } from 'vitest';
import { authorPermissions, buildPermissions, editorPermissions } from '../../src/boot/admin-roles';

/** What the two editorial roles are given, before and after the desk plugin registers its actions. */
const CM = ['create', 'read', 'update', 'delete', 'publish'].map((a) => `plugin::content-manager.explorer.${a}`);
const SUBJECTS = [
  'api::article.article',
  'api::resource.resource',
  'api::theme.theme',
  'api::edition.edition',
  'api::campaign.campaign',
  'api::subscriber.subscriber',
  'api::welcome-mail.welcome-mail',
];
const DRAFT_AND_PUBLISH = ['api::article.article', 'api::resource.resource', 'api::theme.theme'];

function provider(withDesk: boolean) {
  const actions = new Map<string, { actionId: string; subjects?: string[]; options?: { applyToProperties?: string[] } }>();
  for (const id of CM) {
    const publish = id.endsWith('.publish');
    actions.set(id, {
      actionId: id,
      subjects: publish ? DRAFT_AND_PUBLISH : SUBJECTS,
      options: { applyToProperties: id.endsWith('.delete') || publish ? ['locales'] : ['fields', 'locales'] },
    });
  }
  for (const id of [
    'plugin::upload.read',
    'plugin::upload.configure-view',
    'plugin::upload.assets.create',
    'plugin::upload.assets.update',
    'plugin::upload.assets.download',
    'plugin::upload.assets.copy-link',
  ])
    actions.set(id, { actionId: id });
  if (withDesk)
    for (const name of ['preview', 'send-test', 'send', 'cancel', 'gdpr', 'queues', 'assemble', 'duplicate', 'statistics', 'subscribers'])
      actions.set(`plugin::desk.${name}`, { actionId: `plugin::desk.${name}` });
  return (id: string) => actions.get(id);
}

const FIELDS: Record<string, string[]> = {
  'api::campaign.campaign': ['title', 'state', 'sendAt', 'featuredItems.article', 'featuredItems.resource'],
  'api::subscriber.subscriber': ['email', 'state', 'themes', 'consent.givenAt', 'consent.source', 'consent.textVersion', 'consent.ipHash'],
};
const fieldsOf = (subject: string) => FIELDS[subject] ?? ['title', 'slug'];
const localesOf = (subject: string) => (DRAFT_AND_PUBLISH.includes(subject) ? ['nl', 'en'] : undefined);

function build(specs: ReturnType<typeof editorPermissions>, withDesk: boolean) {
  const skipped: string[] = [];
  const permissions = buildPermissions(specs, provider(withDesk), fieldsOf, localesOf, (what) => skipped.push(what));
  return { permissions, skipped };
}

const actionsOn = (permissions: Array<Record<string, unknown>>, subject: string | null) =>
  permissions.filter((p) => p.subject === subject).map((p) => String(p.action).split('.').pop());

describe('editorial roles', () => {
  it('before the desk plugin: its actions are skipped, everything else is assigned', () => {
    const { permissions, skipped } = build(editorPermissions(), false);
    expect(skipped).toEqual([
      'plugin::desk.preview',
      'plugin::desk.send-test',
      'plugin::desk.send',
      'plugin::desk.cancel',
      'plugin::desk.gdpr',
      'plugin::desk.queues',
      'plugin::desk.assemble',
      'plugin::desk.duplicate',
      'plugin::desk.statistics',
      'plugin::desk.subscribers',
    ]);
    expect(actionsOn(permissions, 'api::subscriber.subscriber')).toEqual(['create', 'read', 'update', 'delete']);
    // The consent record is evidence: readable, never updated by hand.
    const update = permissions.find((p) => p.subject === 'api::subscriber.subscriber' && String(p.action).endsWith('.update'))!;
    const fields = (update.properties as { fields: string[] }).fields;
    expect(fields).toEqual(['email', 'state', 'themes']);
    const read = permissions.find((p) => p.subject === 'api::subscriber.subscriber' && String(p.action).endsWith('.read'))!;
    expect((read.properties as { fields: string[] }).fields).toContain('consent.givenAt');
    expect(actionsOn(permissions, 'api::article.article')).toEqual(['create', 'read', 'update', 'delete', 'publish']);
    expect(actionsOn(permissions, 'api::welcome-mail.welcome-mail')).toEqual(['create', 'read', 'update']);
  });

  it('after it: the Editor gets every desk action (growth statistics and the list import and export too), the Author preview and test send only', () => {
    expect(
      build(editorPermissions(), true)
        .permissions.filter((p) => String(p.action).startsWith('plugin::desk.'))
        .map((p) => p.action),
    ).toHaveLength(10);
    const author = build(authorPermissions(), true);
    expect(author.skipped).toEqual([]);
    expect(author.permissions.filter((p) => String(p.action).startsWith('plugin::desk.')).map((p) => p.action)).toEqual([
      'plugin::desk.preview',
      'plugin::desk.send-test',
    ]);
  });

  it('the Author: no subscribers, no publish, no delete; a mailing without its state and send time', () => {
    const { permissions } = build(authorPermissions(), true);
    expect(actionsOn(permissions, 'api::subscriber.subscriber')).toEqual([]);
    expect(actionsOn(permissions, 'api::article.article')).toEqual(['create', 'read', 'update']);
    // The welcome mail has no draft: a change would reach every new reader at once.
    expect(actionsOn(permissions, 'api::welcome-mail.welcome-mail')).toEqual(['read']);
    const campaignUpdate = permissions.find((p) => p.subject === 'api::campaign.campaign' && String(p.action).endsWith('.update'))!;
    expect((campaignUpdate.properties as { fields: string[] }).fields).toEqual(['title', 'featuredItems.article', 'featuredItems.resource']);
    const campaignRead = permissions.find((p) => p.subject === 'api::campaign.campaign' && String(p.action).endsWith('.read'))!;
    expect((campaignRead.properties as { fields: string[] }).fields).toContain('state');
  });

  it('localized types carry every locale (a permission without locales reaches none)', () => {
    const { permissions } = build(editorPermissions(), false);
    const articleRead = permissions.find((p) => p.subject === 'api::article.article' && String(p.action).endsWith('.read'))!;
    expect(articleRead.properties).toEqual({ fields: ['title', 'slug'], locales: ['nl', 'en'] });
    const editionRead = permissions.find((p) => p.subject === 'api::edition.edition' && String(p.action).endsWith('.read'))!;
    expect(editionRead.properties).not.toHaveProperty('locales');
  });
});
