/**
 * `npm run dev`: everything for local work. Creates `.env` with random secrets when missing, seeds an
 * empty database with the demo content, then starts the CMS with its admin panel (Strapi develop).
 */
import path from 'node:path';
import { APP_ROOT } from '../src/config/app-root';
import { disableTelemetry, ensureDevelopmentEnvFile } from './lib/env-file';
import { ProcessGroup } from './lib/processes';

async function main(): Promise<void> {
  disableTelemetry();
  const env = ensureDevelopmentEnvFile(APP_ROOT);
  console.log(env.created ? `[dev] created ${path.relative(APP_ROOT, env.path)} with fresh random secrets` : `[dev] using ${path.relative(APP_ROOT, env.path)}`);

  const group = new ProcessGroup();
  group.stopOnSignals();
  const tsx = path.join(APP_ROOT, 'node_modules', '.bin', 'tsx');
  const strapi = path.join(APP_ROOT, 'node_modules', '.bin', 'strapi');

  console.log('[dev] seeding the demo content when the database is empty');
  await group.run('seed', tsx, [path.join(APP_ROOT, 'scripts', 'seed.ts'), '--if-empty'], { cwd: APP_ROOT });

  const base = process.env.PUBLIC_URL || `http://${process.env.HOST || '127.0.0.1'}:${process.env.PORT || '1337'}`;
  printWelcome(base);
  group.start('cms', strapi, ['develop', '--no-watch-admin'], { cwd: APP_ROOT, env: { ...process.env, ADMIN_AUTO_OPEN: 'false' } });
}

function printWelcome(base: string): void {
  const lines = [
    '',
    'netwerkpost is starting (the admin panel takes a minute to build the first time):',
    `  Admin panel     ${base}/admin`,
    `  Log in as       ${process.env.DEMO_EDITOR_EMAIL || 'redactie@example.org'} / ${process.env.DEMO_EDITOR_PASSWORD ?? '(set DEMO_EDITOR_PASSWORD in .env)'}`,
    `  Public API      ${base}/api/articles?locale=en&populate=themes`,
    `  Health          ${base}/_health`,
    'Stop with Ctrl+C.',
    '',
  ];
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(`[dev] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
