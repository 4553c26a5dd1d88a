import type { Core } from '@strapi/strapi';

const PASSWORD = 'Test-admin-Passw0rd-2026';

/** A CMS a test talks to over HTTP (the harness's `useCms` or a TestApp). */
interface CmsUnderTest {
  strapi: Core.Strapi;
  url: string;
}

/**
 * An admin user with `roleId`, logged in through the admin's own login route: the session token the
 * admin panel would send, for tests of the admin API (the desk's routes, the content manager's).
 */
export async function adminSessionToken(app: CmsUnderTest, email: string, roleId: number | string): Promise<string> {
  await app.strapi.service('admin::user').create({ email, firstname: 'Test', lastname: 'Admin', password: PASSWORD, isActive: true, roles: [roleId] });
  const response = await fetch(`${app.url}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`admin login of ${email} answered ${response.status}`);
  return ((await response.json()) as { data: { token: string } }).data.token;
}

/** The same for a built-in role by its code (`strapi-editor`, `strapi-author`, `strapi-super-admin`). */
export async function adminSessionTokenFor(app: CmsUnderTest, email: string, roleCode: string): Promise<string> {
  const role = (await app.strapi.service('admin::role').findOne({ code: roleCode })) as { id: number };
  return adminSessionToken(app, email, role.id);
}
