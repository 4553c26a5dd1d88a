import path from 'node:path';

/**
 * How `npm run dev` runs the CMS: first the admin panel's build, then `strapi develop` without it.
 *
 * `strapi develop --no-watch-admin` builds the admin panel in its primary process (the one that
 * forks the process running the CMS) with a Strapi instance it never loads, and createStrapi gives
 * every instance SIGINT/SIGTERM handlers that destroy it. On Ctrl+C (or the dev command's SIGTERM)
 * the primary destroyed that never-loaded instance, whose admin services were never registered,
 * and died with "Cannot destructure property 'conditionProvider'". Built as a step of its own
 * (`strapi build`, run to completion first), the primary holds no Strapi instance, so a signal only
 * stops the CMS. The build step has the same handlers, so the dev command stops it without a
 * signal it handles (see ProcessGroup.run's `hardStop`).
 */
function strapiCli(appRoot: string): string {
  return path.join(appRoot, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js');
}

export function adminBuildCommand(appRoot: string): { command: string; args: string[] } {
  return { command: process.execPath, args: [strapiCli(appRoot), 'build'] };
}

export function cmsDevelopCommand(appRoot: string): { command: string; args: string[] } {
  return { command: process.execPath, args: [strapiCli(appRoot), 'develop', '--no-watch-admin', '--no-build-admin'] };
}
