/** Argument parsing for `npm run gdpr` (scripts/gdpr.ts); pure, so it is unit-tested. */

export type SubscriberRefArg = { email: string } | { documentId: string };

export type GdprCommand =
  | { command: 'help' }
  | { command: 'export'; ref: SubscriberRefArg; out?: string }
  | { command: 'erase'; ref: SubscriberRefArg; yes: boolean }
  | { command: 'purge'; dryRun: boolean };

export type ParseResult = { ok: true; value: GdprCommand } | { ok: false; error: string };

export const GDPR_USAGE = `Usage:
  npm run gdpr -- export --email <address> [--out <file.json>]
  npm run gdpr -- erase --email <address> --yes
  npm run gdpr -- purge [--dry-run]

  --document-id <id> may replace --email to name a subscriber by its document id.
  purge reads SUBSCRIBER_PENDING_MAX_AGE_DAYS and SUBSCRIBER_UNSUBSCRIBED_RETENTION_DAYS (default 30 each).

Exit codes: 0 done, 1 not found or failed, 2 usage error.`;

const VALUE_OPTIONS = new Set(['--email', '--document-id', '--out']);
const FLAG_OPTIONS = new Set(['--yes', '--dry-run', '--help']);
const ALLOWED: Record<string, string[]> = {
  export: ['--email', '--document-id', '--out', '--help'],
  erase: ['--email', '--document-id', '--yes', '--help'],
  purge: ['--dry-run', '--help'],
};

export function parseGdprArgs(argv: readonly string[]): ParseResult {
  const [command, ...rest] = argv;
  if (command === undefined) return { ok: false, error: 'no command given' };
  if (command === 'help' || command === '--help' || command === '-h') return { ok: true, value: { command: 'help' } };
  if (!(command in ALLOWED)) return { ok: false, error: `unknown command "${command}"` };

  const values: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!ALLOWED[command].includes(name)) {
      return { ok: false, error: arg.startsWith('-') ? `unknown option "${name}" for ${command}` : `unexpected argument "${arg}"` };
    }
    if (FLAG_OPTIONS.has(name)) {
      if (name !== arg) return { ok: false, error: `${name} takes no value` };
      flags.add(name);
      continue;
    }
    if (VALUE_OPTIONS.has(name)) {
      let value: string | undefined;
      if (name !== arg) value = arg.slice(eq + 1);
      else {
        value = rest[i + 1];
        i++;
      }
      if (value === undefined || value.trim() === '' || (name === arg && value.startsWith('--'))) return { ok: false, error: `${name} needs a value` };
      if (name in values) return { ok: false, error: `${name} given twice` };
      values[name] = value.trim();
    }
  }
  if (flags.has('--help')) return { ok: true, value: { command: 'help' } };

  if (command === 'purge') return { ok: true, value: { command: 'purge', dryRun: flags.has('--dry-run') } };

  const email = values['--email'];
  const documentId = values['--document-id'];
  if (email !== undefined && documentId !== undefined) return { ok: false, error: 'give either --email or --document-id, not both' };
  if (email === undefined && documentId === undefined) return { ok: false, error: `${command} needs --email <address> (or --document-id <id>)` };
  if (email !== undefined && !email.includes('@')) return { ok: false, error: `"${email}" is not an email address` };
  const ref: SubscriberRefArg = email !== undefined ? { email } : { documentId: documentId! };

  if (command === 'export') return { ok: true, value: { command: 'export', ref, ...(values['--out'] ? { out: values['--out'] } : {}) } };
  return { ok: true, value: { command: 'erase', ref, yes: flags.has('--yes') } };
}
