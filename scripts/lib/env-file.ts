import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { loadEnvFile, readEnvFile } from '../../src/settings/env-file';
import path from 'node:path';
import { generateWebhookKeys, webhookPublicKeyOf } from '../mail-sink/webhook-keys';

const random = (bytes = 32) => randomBytes(bytes).toString('base64');

type Env = Record<string, string | undefined>;

/** The stand-in's port when nothing sets MAIL_SINK_PORT (also scripts/mail-sink/cli.ts's default). */
export const DEFAULT_MAIL_SINK_PORT = 3025;

/** Where development mail goes: the stand-in's port and URL, and the SENDGRID_API_URL the CMS and worker get. */
export interface DevMailRoute {
  sinkPort: number;
  /** http://127.0.0.1:<sinkPort>: the stand-in's API base and its viewer. */
  standInUrl: string;
  sendgridApiUrl: string;
  /** Things the developer should know (a .env that disagrees with this run). */
  notes: string[];
}

/**
 * One value decides where development mail goes: MAIL_SINK_PORT (the shell's, else the one in
 * `.env`, else 3025). The stand-in listens there and SENDGRID_API_URL points there, unless the shell
 * sets SENDGRID_API_URL itself (to send elsewhere on purpose). A SENDGRID_API_URL in `.env` does not
 * override it: an older `.env` written for another port would silently lose the mail.
 */
export function devMailRoute(shell: Env, file: Env = {}): DevMailRoute {
  const raw = shell.MAIL_SINK_PORT?.trim() || file.MAIL_SINK_PORT?.trim() || String(DEFAULT_MAIL_SINK_PORT);
  const sinkPort = Number(raw);
  // 0 ("any free port") cannot work here: the CMS and the worker must know the port before it starts.
  if (!/^\d+$/.test(raw) || sinkPort < 1 || sinkPort > 65_535) throw new Error(`MAIL_SINK_PORT must be a port number 1-65535 for npm run dev, got "${raw}"`);
  const standInUrl = `http://127.0.0.1:${sinkPort}`;
  const explicit = shell.SENDGRID_API_URL?.trim().replace(/\/+$/, '');
  const sendgridApiUrl = explicit || standInUrl;
  const notes: string[] = [];
  const fromFile = file.SENDGRID_API_URL?.trim().replace(/\/+$/, '');
  if (!explicit && fromFile && fromFile !== standInUrl) {
    notes.push(
      `.env sets SENDGRID_API_URL=${fromFile}, but the stand-in listens at ${standInUrl}: this run sends there. Commands started outside npm run dev read .env, so change SENDGRID_API_URL (or MAIL_SINK_PORT) there too.`,
    );
  }
  if (explicit && explicit !== standInUrl) notes.push(`SENDGRID_API_URL=${explicit} from the shell: mail goes there, not to the stand-in at ${standInUrl}.`);
  return { sinkPort, standInUrl, sendgridApiUrl, notes };
}

/** What a fresh development `.env` holds: random secrets, local services, nothing that phones home. */
export function developmentEnv(mail: Pick<DevMailRoute, 'sinkPort' | 'sendgridApiUrl'> = devMailRoute({})): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PORT: '1337',
    PUBLIC_URL: 'http://127.0.0.1:1337',
    DATABASE_CLIENT: 'sqlite',
    DATABASE_FILENAME: '.tmp/data.db',
    APP_KEYS: [random(16), random(16), random(16), random(16)].join(','),
    API_TOKEN_SALT: random(),
    ADMIN_JWT_SECRET: random(),
    TRANSFER_TOKEN_SALT: random(),
    JWT_SECRET: random(),
    ENCRYPTION_KEY: random(),
    TOKEN_SECRET: random(),
    REDIS_URL: 'redis://127.0.0.1:6379',
    MAIL_SINK_PORT: String(mail.sinkPort),
    SENDGRID_API_URL: mail.sendgridApiUrl,
    SENDGRID_API_KEY: 'SG.development-key',
    MAIL_FROM: 'Zorgnetwerk Rotterdam <nieuwsbrief@example.org>',
    ...webhookKeysEnv(),
    ...demoAccountsEnv(),
    STRAPI_TELEMETRY_DISABLED: 'true',
  };
}

/** The demo accounts of the admin panel (development only; created by the seed). */
export function demoAccountsEnv(): Record<string, string> {
  const password = () => `Demo-${randomBytes(9).toString('base64url')}1`;
  return {
    DEMO_EDITOR_EMAIL: 'redactie@example.org',
    DEMO_EDITOR_PASSWORD: password(),
    DEMO_AUTHOR_EMAIL: 'auteur@example.org',
    DEMO_AUTHOR_PASSWORD: password(),
    DEMO_ADMIN_EMAIL: 'beheer@example.org',
    DEMO_ADMIN_PASSWORD: password(),
  };
}

/**
 * The Event Webhook's signing pair: the CMS verifies with the public key, the local SendGrid
 * stand-in signs with the private one (notes/events-contract.md).
 */
export function webhookKeysEnv(): { SENDGRID_WEBHOOK_PUBLIC_KEY: string; MAIL_SINK_WEBHOOK_PRIVATE_KEY: string } {
  const keys = generateWebhookKeys();
  return { SENDGRID_WEBHOOK_PUBLIC_KEY: keys.publicKey, MAIL_SINK_WEBHOOK_PRIVATE_KEY: keys.privateKey };
}

/**
 * What a `.env` lacks of the webhook pair, given what it and the shell set. Only a pair is ever
 * added: a lone new half would not match the half that is there (and a developer's key is never
 * replaced), so with one half set the notes say what to do instead.
 */
export function missingWebhookKeys(file: Env, shell: Env): { add: Record<string, string>; notes: string[] } {
  const value = (key: string) => shell[key]?.trim() || file[key]?.trim() || '';
  const publicKey = value('SENDGRID_WEBHOOK_PUBLIC_KEY');
  const privateKey = value('MAIL_SINK_WEBHOOK_PRIVATE_KEY');
  if (publicKey === '' && privateKey === '') return { add: webhookKeysEnv(), notes: [] };
  if (publicKey === '' || privateKey === '') {
    const [set, unset] =
      publicKey === '' ? ['MAIL_SINK_WEBHOOK_PRIVATE_KEY', 'SENDGRID_WEBHOOK_PUBLIC_KEY'] : ['SENDGRID_WEBHOOK_PUBLIC_KEY', 'MAIL_SINK_WEBHOOK_PRIVATE_KEY'];
    return {
      add: {},
      notes: [`${set} is set but ${unset} is not: the CMS will refuse the stand-in's events. Set both, or remove ${set} from .env to get a new pair.`],
    };
  }
  let derived: string | null = null;
  try {
    derived = webhookPublicKeyOf(privateKey);
  } catch (error) {
    return { add: {}, notes: [`MAIL_SINK_WEBHOOK_PRIVATE_KEY: ${error instanceof Error ? error.message : String(error)} (the stand-in will not start)`] };
  }
  if (derived !== publicKey.replace(/\s+/g, '')) {
    return {
      add: {},
      notes: ["SENDGRID_WEBHOOK_PUBLIC_KEY is not the public key of MAIL_SINK_WEBHOOK_PRIVATE_KEY: the CMS will refuse the stand-in's events."],
    };
  }
  return { add: {}, notes: [] };
}

/**
 * Where the CMS listens and what it calls itself in development. The port: the shell's PORT, else
 * `.env`'s, else 1337. PUBLIC_URL: the shell's when it sets one; else `.env`'s, unless that one is
 * just `.env`'s own host and port (as npm run dev writes it): then it follows the port, so that
 * `PORT=1400 npm run dev` gives links, the webhook and the start-up check at 1400 as well. A
 * PUBLIC_URL of another shape (a tunnel, a proxy) is kept, with a note when its port differs.
 */
export function devCmsUrl(shell: Env, file: Env = {}): { port: string; publicUrl: string; notes: string[] } {
  const host = shell.HOST?.trim() || file.HOST?.trim() || '127.0.0.1';
  const port = shell.PORT?.trim() || file.PORT?.trim() || '1337';
  const listening = `http://${host}:${port}`;
  const explicit = shell.PUBLIC_URL?.trim();
  if (explicit) return { port, publicUrl: explicit.replace(/\/+$/, ''), notes: [] };
  const fromFile = file.PUBLIC_URL?.trim().replace(/\/+$/, '');
  const fileDefault = `http://${file.HOST?.trim() || '127.0.0.1'}:${file.PORT?.trim() || '1337'}`;
  if (!fromFile || fromFile === fileDefault) return { port, publicUrl: listening, notes: [] };
  let url: URL;
  try {
    url = new URL(fromFile);
  } catch {
    return { port, publicUrl: fromFile, notes: [`.env sets PUBLIC_URL=${fromFile}, which is not a URL: links in mail will not work.`] };
  }
  const filePort = url.port || (url.protocol === 'https:' ? '443' : '80');
  const local = /^(localhost|127\.0\.0\.1|\[::1\])$/.test(url.hostname);
  const notes =
    local && filePort !== port
      ? [
          `.env sets PUBLIC_URL=${fromFile}, but the CMS listens at ${listening}: links in mail point at the former. Change PUBLIC_URL in .env (or unset it there).`,
        ]
      : [];
  return { port, publicUrl: fromFile, notes };
}

/** Where the stand-in posts events in development: the CMS's endpoint, unless the shell says otherwise. */
export function devWebhookUrl(base: string, shell: Env): string {
  return shell.MAIL_SINK_WEBHOOK_URL?.trim() || `${base.replace(/\/+$/, '')}/webhooks/sendgrid`;
}

/**
 * Writes `.env` with fresh random secrets when it does not exist (it is git-ignored), then loads it
 * into process.env without overriding what the shell already set. Returns whether it was created,
 * and notes for the developer.
 */
export function ensureDevelopmentEnvFile(
  appRoot: string,
  mail?: Pick<DevMailRoute, 'sinkPort' | 'sendgridApiUrl'>,
): { path: string; created: boolean; notes: string[] } {
  const file = path.join(appRoot, '.env');
  let created = false;
  let notes: string[] = [];
  if (!fs.existsSync(file)) {
    const values = developmentEnv(mail);
    // A key the shell sets wins over the file's: writing a new pair then would leave a mismatched one.
    const webhook = missingWebhookKeys({}, process.env);
    if (Object.keys(webhook.add).length === 0) {
      delete values.SENDGRID_WEBHOOK_PUBLIC_KEY;
      delete values.MAIL_SINK_WEBHOOK_PRIVATE_KEY;
      notes = webhook.notes;
    }
    // Values with spaces or <> are quoted, so that a shell can source the file too.
    const lines = Object.entries(values).map(([key, value]) => `${key}=${/[\s<>]/.test(value) ? JSON.stringify(value) : value}`);
    fs.writeFileSync(file, `# Generated by npm run dev for local development. Never commit this file.\n${lines.join('\n')}\n`, { mode: 0o600 });
    created = true;
  } else {
    // A .env from before a demo account or the webhook keys existed gets those lines added (never changed).
    const present = readEnvFile(file);
    const webhook = missingWebhookKeys(present, process.env);
    notes = webhook.notes;
    const missing = [...Object.entries(webhook.add), ...Object.entries(demoAccountsEnv()).filter(([key]) => present[key] === undefined)];
    const separator = fs.readFileSync(file, 'utf8').endsWith('\n') ? '' : '\n';
    if (missing.length > 0) fs.appendFileSync(file, `${separator}${missing.map(([key, value]) => `${key}=${value}`).join('\n')}\n`);
    if (Object.keys(webhook.add).length > 0)
      notes.push(
        `added an Event Webhook key pair to ${path.basename(file)} (SENDGRID_WEBHOOK_PUBLIC_KEY for the CMS, MAIL_SINK_WEBHOOK_PRIVATE_KEY for the stand-in)`,
      );
  }
  loadEnvFile(file);
  return { path: file, created, notes };
}

/** Nothing phones home: Strapi's telemetry is off for every process this project starts. */
export function disableTelemetry(): void {
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
}

export { loadEnvFile, readEnvFile };
