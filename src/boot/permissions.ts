import type { Core } from '@strapi/strapi';

/** The only content-API actions anonymous readers may use. */
export const PUBLIC_ACTIONS = ['article', 'theme', 'resource'].flatMap((type) => ['find', 'findOne'].map((action) => `api::${type}.${type}.${action}`));

/**
 * Makes the Public role hold exactly PUBLIC_ACTIONS: grants what is missing, removes anything else
 * (such as users-permissions' default sign-up and login actions, which this product does not use).
 * Idempotent, so it runs at every start.
 */
export async function ensurePublicPermissions(strapi: Core.Strapi): Promise<void> {
  const publicRole = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
  if (!publicRole) throw new Error('The users-permissions Public role is missing; it is created by the plugin at first start.');

  const permissions = strapi.db.query('plugin::users-permissions.permission');
  const granted: Array<{ id: number; action: string }> = await permissions.findMany({
    where: { role: publicRole.id },
    select: ['id', 'action'],
  });

  const seen = new Set<string>();
  for (const permission of granted) {
    if (PUBLIC_ACTIONS.includes(permission.action) && !seen.has(permission.action)) {
      seen.add(permission.action);
    } else {
      await permissions.delete({ where: { id: permission.id } });
    }
  }
  for (const action of PUBLIC_ACTIONS) {
    if (!seen.has(action)) await permissions.create({ data: { action, role: publicRole.id } });
  }
}
