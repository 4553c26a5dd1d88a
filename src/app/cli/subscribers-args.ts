/** Argument parsing for `npm run subscribers` (subscribers.ts); pure, so it is unit-tested. */
import type { Locale } from '../../core/domain/locale';
import type { SubscriberState } from '../../core/domain/subscriber-state';
import { parseMappingOverride, type MappingOverride } from '../../gdpr/import/columns';
import { checkSubscriberFilter } from '../../gdpr/subscriber-filter';

export type SubscribersCommand =
  | { command: 'help' }
  | { command: 'import'; file: string; dryRun: boolean; json: boolean; mapping: MappingOverride; report?: string }
  | { command: 'export'; out: string; json: boolean; state?: SubscriberState; locale?: Locale; theme?: string };

export type ParseResult = { ok: true; value: SubscribersCommand } | { ok: false; error: string };

export const SUBSCRIBERS_USAGE = `Usage:
  npm run subscribers -- import <file.csv> [--dry-run] [--json] [--map field=Column,...] [--report <refused.csv>]
  npm run subscribers -- export --out <file.csv> [--state S] [--locale nl|en] [--theme SLUG] [--json]

import reads a Mailchimp audience export, a Laposta export or a plain email,name,language,themes
file (UTF-8, with or without BOM, separated by , or ;). Readers with an opt-in or confirmation time
become active with that consent record; others become pending and get the confirmation mail.
Readers already in the list are never changed; unsubscribed, bounced or complained ones stay so.
  --dry-run   count only: nothing is written, nobody is mailed
  --map       correct the column guess, e.g. --map email=Email Address,name=Naam (field= to ignore one);
              fields: email, name, firstName, lastName, language, themes, optinTime, optinIp,
              confirmTime, confirmIp, unsubTime, cleanTime, state
  --report    write the rows that were not imported (row, email, reason) to this CSV file
  Row numbers count the header as row 1, as a spreadsheet shows them.

export writes email, name, language, themes, state, confirmedAt, unsubscribedAt and the consent
record (givenAt, source, textVersion) of the readers that match, and logs who exported what.
  --state     pending, active, unsubscribed, bounced or complained
  --theme     readers of that theme, and those who chose none (they follow every theme)

--json prints one JSON object as the last line of stdout.
Exit codes: 0 done, 1 failed, 2 usage error.`;

const VALUE_OPTIONS = new Set(['--map', '--report', '--out', '--state', '--locale', '--theme']);
const FLAG_OPTIONS = new Set(['--dry-run', '--json', '--help']);
const ALLOWED: Record<string, string[]> = {
  import: ['--dry-run', '--json', '--map', '--report', '--help'],
  export: ['--out', '--state', '--locale', '--theme', '--json', '--help'],
};

export function parseSubscribersArgs(argv: readonly string[]): ParseResult {
  const [command, ...rest] = argv;
  if (command === undefined) return { ok: false, error: 'no command given (import or export)' };
  if (command === 'help' || command === '--help' || command === '-h') return { ok: true, value: { command: 'help' } };
  if (!(command in ALLOWED)) return { ok: false, error: `unknown command "${command}" (import or export)` };

  const values: Record<string, string> = {};
  const maps: string[] = [];
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!ALLOWED[command].includes(name)) return { ok: false, error: `unknown option "${name}" for ${command}` };
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
      if (name === '--map') maps.push(value);
      else if (name in values) return { ok: false, error: `${name} given twice` };
      else values[name] = value.trim();
    }
  }
  if (flags.has('--help')) return { ok: true, value: { command: 'help' } };
  const json = flags.has('--json');

  if (command === 'import') {
    if (positional.length === 0) return { ok: false, error: 'import needs the file to read: import <file.csv>' };
    if (positional.length > 1) return { ok: false, error: `import reads one file; unexpected "${positional[1]}"` };
    const mapping = parseMappingOverride(maps.join(','));
    if (!mapping.ok) return { ok: false, error: mapping.error };
    const report = values['--report'];
    return {
      ok: true,
      value: { command: 'import', file: positional[0], dryRun: flags.has('--dry-run'), json, mapping: mapping.value, ...(report ? { report } : {}) },
    };
  }

  if (positional.length > 0) return { ok: false, error: `unexpected argument "${positional[0]}"` };
  const out = values['--out'];
  if (!out) return { ok: false, error: 'export needs --out <file.csv> (the export holds personal data: it is never printed)' };
  const filter = checkSubscriberFilter({ state: values['--state'], locale: values['--locale'], theme: values['--theme'] });
  if (!filter.ok) return { ok: false, error: `--${filter.message.en}` };
  return {
    ok: true,
    value: {
      command: 'export',
      out,
      json,
      ...filter.value,
    },
  };
}
