/**
 * `npm run mail:sink` (tsx scripts/mail-sink/cli.ts): runs the SendGrid stand-in.
 *
 * Env: MAIL_SINK_PORT (default 3025), MAIL_SINK_HOST (default 127.0.0.1),
 *      MAIL_SINK_API_KEY (optional), MAIL_SINK_MODE (keep | count, default keep),
 *      MAIL_SINK_WEBHOOK_URL (optional: post Event Webhook events there),
 *      MAIL_SINK_WEBHOOK_PRIVATE_KEY (base64 DER PKCS#8 P-256; generated when the URL is set without it).
 */
import { generateWebhookKeys, parseWebhookPrivateKey, webhookPublicKeyOf } from './events';
import { startMailSink, type MailSink, type SinkMode, type WebhookOptions } from './server';

function fail(message: string): never {
  process.stderr.write(`mail-sink: ${message}\n`);
  process.exit(2);
}

function readPort(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 3025;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`MAIL_SINK_PORT must be an integer 0-65535, got "${raw}"`);
  return port;
}

function readMode(raw: string | undefined): SinkMode {
  const mode = (raw ?? '').trim().toLowerCase();
  if (mode === '') return 'keep';
  if (mode === 'keep' || mode === 'count') return mode;
  return fail(`MAIL_SINK_MODE must be "keep" or "count", got "${raw ?? ''}"`);
}

interface WebhookSetup {
  options: WebhookOptions;
  publicKey: string;
  /** The key pair was made up for this run: the CMS must be told the public key. */
  generated: boolean;
}

function readWebhook(rawUrl: string | undefined, rawKey: string | undefined): WebhookSetup | undefined {
  const url = rawUrl?.trim() ?? '';
  const key = rawKey?.trim() ?? '';
  if (url === '') {
    if (key !== '') process.stderr.write('mail-sink: MAIL_SINK_WEBHOOK_PRIVATE_KEY is set but MAIL_SINK_WEBHOOK_URL is not: no events are posted\n');
    return undefined;
  }
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (parsed === null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    fail(`MAIL_SINK_WEBHOOK_URL must be an http(s) URL such as http://127.0.0.1:1337/webhooks/sendgrid, got "${url}"`);
  }
  if (key === '') {
    const keys = generateWebhookKeys();
    return { options: { url, privateKey: keys.privateKey }, publicKey: keys.publicKey, generated: true };
  }
  try {
    parseWebhookPrivateKey(key);
  } catch (err) {
    fail(`MAIL_SINK_WEBHOOK_PRIVATE_KEY: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { options: { url, privateKey: key }, publicKey: webhookPublicKeyOf(key), generated: false };
}

async function main(): Promise<void> {
  const env = process.env;
  const apiKey = env.MAIL_SINK_API_KEY?.trim() || undefined;
  const webhook = readWebhook(env.MAIL_SINK_WEBHOOK_URL, env.MAIL_SINK_WEBHOOK_PRIVATE_KEY);
  let sink: MailSink;
  try {
    sink = await startMailSink({
      port: readPort(env.MAIL_SINK_PORT),
      host: env.MAIL_SINK_HOST?.trim() || '127.0.0.1',
      apiKey,
      mode: readMode(env.MAIL_SINK_MODE),
      webhook: webhook?.options,
    });
  } catch (err) {
    fail(`could not start: ${err instanceof Error ? err.message : String(err)}`);
  }

  process.stdout.write(
    [
      `mail-sink listening on ${sink.url} (mode: ${sink.mode}, api key: ${apiKey ? 'required' : 'any bearer token'})`,
      `  send:   POST ${sink.url}/v3/mail/send   (@sendgrid/mail: client.setDefaultRequest('baseUrl', '${sink.url}'))`,
      `  viewer: ${sink.url}/`,
      `  api:    ${sink.url}/__sink/messages | /__sink/recipients | /__sink/counts | /__sink/faults | /__sink/webhook`,
      ...webhookLines(webhook),
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`mail-sink: ${signal}, stopping\n`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    sink.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function webhookLines(webhook: WebhookSetup | undefined): string[] {
  if (!webhook) return ['  events: off (set MAIL_SINK_WEBHOOK_URL to post Event Webhook events)'];
  const lines = [`  events: POST ${webhook.options.url}  (signed; public key ${webhook.publicKey})`];
  if (webhook.generated) {
    lines.push(
      '  MAIL_SINK_WEBHOOK_PRIVATE_KEY is not set, so this run signs with a new key pair. Give the CMS its public key:',
      `    SENDGRID_WEBHOOK_PUBLIC_KEY=${webhook.publicKey}`,
      '  (set MAIL_SINK_WEBHOOK_PRIVATE_KEY to keep one key pair across restarts; npm run dev writes both to .env)',
    );
  }
  return lines;
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
