/**
 * `npm run mail:sink` (tsx scripts/mail-sink/cli.ts): runs the SendGrid stand-in.
 *
 * Env: MAIL_SINK_PORT (default 3025), MAIL_SINK_HOST (default 127.0.0.1),
 *      MAIL_SINK_API_KEY (optional), MAIL_SINK_MODE (keep | count, default keep).
 */
import { startMailSink, type MailSink, type SinkMode } from './server';

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

async function main(): Promise<void> {
  const env = process.env;
  const apiKey = env.MAIL_SINK_API_KEY?.trim() || undefined;
  let sink: MailSink;
  try {
    sink = await startMailSink({
      port: readPort(env.MAIL_SINK_PORT),
      host: env.MAIL_SINK_HOST?.trim() || '127.0.0.1',
      apiKey,
      mode: readMode(env.MAIL_SINK_MODE),
    });
  } catch (err) {
    fail(`could not start: ${err instanceof Error ? err.message : String(err)}`);
  }

  process.stdout.write(
    [
      `mail-sink listening on ${sink.url} (mode: ${sink.mode}, api key: ${apiKey ? 'required' : 'any bearer token'})`,
      `  send:   POST ${sink.url}/v3/mail/send   (@sendgrid/mail: client.setDefaultRequest('baseUrl', '${sink.url}'))`,
      `  viewer: ${sink.url}/`,
      `  api:    ${sink.url}/__sink/messages | /__sink/recipients | /__sink/counts | /__sink/faults`,
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

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
