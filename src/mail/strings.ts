/**
 * The mail surface's one string catalogue, `emails/strings/<locale>.json`: a `common` section and
 * one section per template, each string plain text or a plural (`{ count, one, other }`, chosen by
 * the locale's plural rules). Strings may use placeholders for `locale`, `org.*` and the caller's
 * data, never other strings; they become the `common.*` and `mail.*` values of a mail.
 */
import type { Locale } from '../core/domain/locale';
import type { Templates } from './templates';
import type { Values } from './values';

/** A string that depends on a number: `one` or `other` by the locale's plural rules. */
export interface PluralString {
  /** the value (data key) holding the number */
  count: string;
  one: string;
  other: string;
}
type StringEntry = string | PluralString;
type StringSection = Record<string, StringEntry>;
type StringTable = Record<string, StringSection>;

/** The strings of one mail, resolved; plurals whose number comes per partial are left for later. */
export interface MailStrings {
  values: Map<string, string>;
  /** `mail.<key>` plurals whose count is not among the shared values, by their value name. */
  deferred: ReadonlyMap<string, PluralString>;
}

function isPluralString(entry: unknown): entry is PluralString {
  if (typeof entry !== 'object' || entry === null) return false;
  const { count, one, other } = entry as Record<string, unknown>;
  return typeof count === 'string' && typeof one === 'string' && typeof other === 'string';
}

function parseStringTable(json: string, file: string): StringTable {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`${file}: expected an object of sections`);
  for (const [section, entries] of Object.entries(parsed)) {
    if (typeof entries !== 'object' || entries === null) throw new Error(`${file}: section "${section}" is not an object`);
    for (const [key, entry] of Object.entries(entries)) {
      if (typeof entry !== 'string' && !isPluralString(entry)) {
        throw new Error(`${file}: "${section}.${key}" must be a string or { count, one, other }`);
      }
    }
  }
  return parsed as StringTable;
}

/** Building plural rules costs more than a whole partial's fill, so one per locale. */
const pluralRules = new Map<Locale, Intl.PluralRules>();

function pickPlural(entry: PluralString, values: Values, locale: Locale, where: string): string {
  const count = Number(values.get(entry.count));
  if (!values.has(entry.count) || !Number.isFinite(count)) {
    throw new Error(`${where}: data.${entry.count} must be a number`);
  }
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules.select(count) === 'one' ? entry.one : entry.other;
}

/** One string's text for these values: its plural form chosen, its placeholders filled. */
function resolve(templates: Templates, entry: StringEntry, values: Values, locale: Locale, where: string): string {
  const text = typeof entry === 'string' ? entry : pickPlural(entry, values, locale, where);
  return templates.text(text, values, where);
}

/**
 * `base` plus the `common` section as `common.*` and the template's section as `mail.*`, resolved
 * with `base`. With `deferPlurals`, a `mail.*` plural whose count is not in `base` is left out and
 * returned in `deferred`, for `resolveDeferred` once a partial brings the number.
 */
export async function loadMailStrings(
  templates: Templates,
  template: string,
  locale: Locale,
  base: Values,
  where: string,
  deferPlurals: boolean,
): Promise<MailStrings> {
  const file = `strings/${locale}.json`;
  const table = parseStringTable(await templates.read(file), file);
  if (!Object.hasOwn(table, 'common') || !Object.hasOwn(table, template)) {
    throw new Error(`${file}: needs the sections "common" and "${template}"`);
  }
  const values = new Map(base);
  const deferred = new Map<string, PluralString>();
  const add = (section: StringSection, prefix: 'common' | 'mail') => {
    for (const [key, entry] of Object.entries(section)) {
      const name = `${prefix}.${key}`;
      if (deferPlurals && prefix === 'mail' && isPluralString(entry) && !base.has(entry.count)) deferred.set(name, entry);
      else values.set(name, resolve(templates, entry, base, locale, `${where}, string ${name}`));
    }
  };
  add(table.common, 'common');
  add(table[template], 'mail');
  return { values, deferred };
}

/** The deferred plurals whose count one partial's `own` values bring, resolved into `own`. */
export function resolveDeferred(
  templates: Templates,
  shared: Values,
  own: Map<string, string>,
  deferred: ReadonlyMap<string, PluralString>,
  locale: Locale,
  where: string,
): void {
  let all: Values | undefined;
  for (const [name, entry] of deferred) {
    if (!own.has(entry.count)) continue;
    all ??= new Map([...shared, ...own]);
    own.set(name, resolve(templates, entry, all, locale, `${where}, string ${name}`));
  }
}
