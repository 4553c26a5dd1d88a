/**
 * `npm run dev`: everything for local work. Creates `.env` with random secrets when missing, makes
 * sure Redis answers (starting a private redis-server when needed), starts the local SendGrid
 * stand-in (posting signed Event Webhook events to the CMS), seeds an empty database with the demo
 * content, then starts the CMS with its admin panel and, once the CMS answers, the worker. Ctrl+C
 * stops them all.
 */
import path from 'node:path';
import { APP_ROOT } from '../src/settings/app-root';
import { devCmsUrl, devMailRoute, devWebhookUrl, disableTelemetry, ensureDevelopmentEnvFile, readEnvFile, type DevMailRoute } from './lib/env-file';
import { adminBuildCommand, cmsDevelopCommand } from './lib/cms-command';
import { ProcessGroup } from './lib/processes';
import { redisAnswers, startPrivateRedis } from './lib/redis-server';
import { workerCommand } from './lib/worker-command';

async function main(): Promise<void> {
  disableTelemetry();
  // What the shell set, before .env adds to it: the shell's MAIL_SINK_PORT and SENDGRID_API_URL win.
  const shell = { ...process.env };
  // Development mail never leaves the machine: the stand-in's port decides where the CMS and the
  // worker send (they inherit this environment) and what a new .env says, unless the shell says otherwise.
  const mail = devMailRoute(shell, readEnvFile(path.join(APP_ROOT, '.env')));
  const env = ensureDevelopmentEnvFile(APP_ROOT, mail);
  console.log(
    env.created ? `[dev] created ${path.relative(APP_ROOT, env.path)} with fresh random secrets` : `[dev] using ${path.relative(APP_ROOT, env.path)}`,
  );
  for (const note of [...mail.notes, ...env.notes]) console.log(`[dev] ${note}`);
  // The CMS, its links, the webhook and the start-up check agree on one address (see devCmsUrl).
  const cms = devCmsUrl(shell, readEnvFile(env.path));
  for (const note of cms.notes) console.log(`[dev] ${note}`);
  process.env.PORT = cms.port;
  process.env.PUBLIC_URL = cms.publicUrl;
  process.env.MAIL_SINK_PORT = String(mail.sinkPort);
  process.env.SENDGRID_API_URL = mail.sendgridApiUrl;
  process.env.SENDGRID_API_KEY ||= 'SG.development-key';

  const group = new ProcessGroup();
  group.stopOnSignals();
  const tsx = path.join(APP_ROOT, 'node_modules', '.bin', 'tsx');

  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (await redisAnswers(redisUrl)) {
    console.log(`[dev] Redis answers at ${redisUrl}`);
  } else {
    const redis = await startPrivateRedis(APP_ROOT, undefined, { persist: true });
    group.adopt('redis', redis.child);
    process.env.REDIS_URL = redis.url;
    console.log(`[dev] started a private redis-server at ${redis.url} (no Redis answered at ${redisUrl})`);
  }

  // The stand-in posts the events of what it accepts to the CMS's webhook (signed with the private
  // key of the pair in .env; the CMS verifies with its public half). Computed before the stand-in starts.
  const base = cms.publicUrl;
  process.env.MAIL_SINK_WEBHOOK_URL = devWebhookUrl(base, shell);
  group.start('mail stand-in', tsx, [path.join(APP_ROOT, 'scripts', 'mail-sink', 'cli.ts')], { cwd: APP_ROOT, env: process.env });

  console.log('[dev] seeding the demo content when the database is empty');
  await group.run('seed', tsx, [path.join(APP_ROOT, 'scripts', 'seed.ts'), '--if-empty'], { cwd: APP_ROOT });

  // The admin panel is built as a step of its own, before the CMS: see cms-command.ts.
  console.log('[dev] building the admin panel');
  const build = adminBuildCommand(APP_ROOT);
  await group.run('admin panel build', build.command, build.args, { cwd: APP_ROOT, hardStop: true });
  const develop = cmsDevelopCommand(APP_ROOT);
  group.start('cms', develop.command, develop.args, { cwd: APP_ROOT, env: { ...process.env, ADMIN_AUTO_OPEN: 'false' } });
  await waitForHealth(base);
  const worker = workerCommand(APP_ROOT);
  group.start('worker', worker.command, worker.args, { cwd: APP_ROOT });
  printWelcome(base, mail);
}

async function waitForHealth(base: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    try {
      if ((await fetch(`${base}/_health`)).status === 204) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the CMS did not answer at ${base}/_health within 5 minutes`);
}

function account(role: 'EDITOR' | 'AUTHOR' | 'ADMIN', email: string): string {
  return `${process.env[`DEMO_${role}_EMAIL`] || email} / ${process.env[`DEMO_${role}_PASSWORD`] ?? `(set DEMO_${role}_PASSWORD in .env)`}`;
}

function printWelcome(base: string, mail: DevMailRoute): void {
  const lines = [
    '',
    'netwerkpost is running:',
    `  Admin panel      ${base}/admin`,
    `  Editor           ${account('EDITOR', 'redactie@example.org')}  (role Editor: publishes, sends)`,
    `  Author           ${account('AUTHOR', 'auteur@example.org')}  (role Author: drafts, previews, test sends)`,
    `  Super admin      ${account('ADMIN', 'beheer@example.org')}  (Settings only)`,
    `  Public API       ${base}/api/articles?locale=en&populate=themes`,
    `  Signup form      ${base}/newsletter?lang=nl  (English: ?lang=en)`,
    mail.sendgridApiUrl === mail.standInUrl
      ? `  Mail stand-in    ${mail.standInUrl}/  (every mail sent in development lands here)`
      : `  Mail stand-in    ${mail.standInUrl}/  (but mail goes to SENDGRID_API_URL=${mail.sendgridApiUrl})`,
    `  Mail events      the stand-in posts them to ${process.env.MAIL_SINK_WEBHOOK_URL}  (counters: ${mail.standInUrl}/__sink/webhook)`,
    'Stop with Ctrl+C.',
    '',
  ];
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(`[dev] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
