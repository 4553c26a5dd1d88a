import type { Core } from '@strapi/strapi';
import { AUTHOR_ROLE_CODE, EDITOR_ROLE_CODE } from '../../src/boot/admin-roles';

export interface DemoAccount {
  email: string;
  password: string;
}

/** The admin panel's demo accounts (development only), each with one of Strapi's built-in roles. */
export interface DemoAccounts {
  /** The network's editor: role Editor (publishes, sends). */
  editor?: DemoAccount;
  /** A colleague who prepares: role Author (drafts, previews, test sends; no sending, no subscribers). */
  author?: DemoAccount;
  /** Super Admin, for Settings (roles, locales); not needed by any of the product's code. */
  admin?: DemoAccount;
}

// The super admin first: Strapi refuses to take the role from the last super admin (an old editor account).
const ACCOUNTS = [
  { key: 'admin', role: 'strapi-super-admin', firstname: 'Demo', lastname: 'Beheerder' },
  { key: 'editor', role: EDITOR_ROLE_CODE, firstname: 'Demo', lastname: 'Redacteur' },
  { key: 'author', role: AUTHOR_ROLE_CODE, firstname: 'Demo', lastname: 'Auteur' },
] as const;

/**
 * Creates the missing demo accounts and makes each hold exactly its role. Idempotent; a password
 * changed in the admin panel is kept. An editor account from before (then a Super Admin) becomes an
 * Editor, so what the demo editor can do is what an editor can do.
 */
export async function ensureDemoAccounts(strapi: Core.Strapi, accounts: DemoAccounts, log: (line: string) => void): Promise<number> {
  const users = strapi.service('admin::user');
  const roles = strapi.service('admin::role');
  let created = 0;
  for (const { key, role: code, firstname, lastname } of ACCOUNTS) {
    const account = accounts[key];
    if (!account) continue;
    const role = await roles.findOne({ code });
    if (!role) throw new Error(`The admin role ${code} is missing (Strapi creates it at first start).`);
    const email = account.email.toLowerCase();
    const existing = await strapi.db.query('admin::user').findOne({ where: { email }, populate: ['roles'] });
    if (!existing) {
      await users.create({ email, firstname, lastname, password: account.password, isActive: true, registrationToken: null, roles: [role.id] });
      created += 1;
    } else if (existing.roles.length !== 1 || existing.roles[0].id !== role.id) {
      try {
        await users.updateById(existing.id, { roles: [role.id] });
      } catch (error) {
        // The last super admin keeps the role: set DEMO_ADMIN_PASSWORD to get a separate one.
        log(`demo ${key}: ${email} keeps its roles (${error instanceof Error ? error.message : String(error)})`);
        continue;
      }
    }
    log(`demo ${key}: ${email} (${role.name})`);
  }
  return created;
}

const DEFAULT_EMAILS = { editor: 'redactie@example.org', author: 'auteur@example.org', admin: 'beheer@example.org' } as const;

/** `DEMO_EDITOR_*`, `DEMO_AUTHOR_*`, `DEMO_ADMIN_*`: an account only where its password is set, never in production. */
export function demoAccountsFromEnv(env: NodeJS.ProcessEnv): DemoAccounts {
  if (env.NODE_ENV === 'production') return {};
  const accounts: DemoAccounts = {};
  for (const key of ['editor', 'author', 'admin'] as const) {
    const password = env[`DEMO_${key.toUpperCase()}_PASSWORD`];
    if (password) accounts[key] = { email: env[`DEMO_${key.toUpperCase()}_EMAIL`] || DEFAULT_EMAILS[key], password };
  }
  return accounts;
}
