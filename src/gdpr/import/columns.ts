/**
 * Which column of an import file holds what: the file's kind recognised by its headers (a
 * Mailchimp audience export, a Laposta export, or a plain `email,name,language,themes` file), the
 * guessed column mapping, and an editor's corrections to it (`--map email=Email Address`). Pure:
 * no Strapi, no Redis, no files; unit-tested.
 */

/** What the import reads from a row; each names at most one column of the file. */
export const IMPORT_FIELDS = [
  'email',
  'name',
  'firstName',
  'lastName',
  'language',
  'themes',
  'optinTime',
  'optinIp',
  'confirmTime',
  'confirmIp',
  'unsubTime',
  'cleanTime',
  'state',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Field -> the column's position in the row. */
export type ColumnMapping = Partial<Record<ImportField, number>>;

export type FileKind = 'mailchimp' | 'laposta' | 'plain' | 'other';

export interface RecognisedColumns {
  kind: FileKind;
  mapping: ColumnMapping;
}

/** Headers compared without case, spaces, `_`, `-` or quotes: `OPTIN_TIME`, `Optin time` and `optin-time` are one. */
export function headerKey(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/['"`’]/g, '')
    .replace(/[\s_-]+/g, '')
    .trim();
}

/**
 * The headers each field is known by, most specific first. Mailchimp's are from its audience
 * export (merge tags FNAME/LNAME appear when an audience was exported with tags). Laposta's are
 * ASSUMED from its Dutch interface and API (`signup_date`, `confirm_date`, `ip`, `state`):
 * `E-mailadres`, `Naam` or `Voornaam`/`Achternaam`, `Aangemeld`/`Ingeschreven` (with or without
 * `op`), `Bevestigd`, `IP-adres`, `Status` with `actief`/`afgemeld`/`ongeldig`. When an export
 * names a column otherwise, `--map` says which it is.
 */
const SYNONYMS: Record<ImportField, string[]> = {
  email: ['Email Address', 'E-mailadres', 'Emailadres', 'email', 'e-mail', 'e-mail address', 'mail'],
  name: ['name', 'naam', 'full name', 'volledige naam'],
  firstName: ['First Name', 'FNAME', 'voornaam'],
  lastName: ['Last Name', 'LNAME', 'achternaam'],
  language: ['language', 'MC_LANGUAGE', 'taal', 'locale', 'preferred locale'],
  themes: ['themes', "thema's", 'themas', 'thema'],
  optinTime: ['OPTIN_TIME', 'aangemeld', 'aangemeld op', 'ingeschreven', 'ingeschreven op', 'aanmelddatum', 'inschrijfdatum', 'signup_date', 'signup date'],
  optinIp: ['OPTIN_IP', 'ip', 'ip-adres', 'ip adres', 'ip address'],
  confirmTime: ['CONFIRM_TIME', 'bevestigd', 'bevestigd op', 'bevestigingsdatum', 'confirm_date', 'confirmed'],
  confirmIp: ['CONFIRM_IP', 'bevestigd ip', 'bevestigings-ip'],
  unsubTime: ['UNSUB_TIME', 'afgemeld op', 'afmelddatum'],
  cleanTime: ['CLEAN_TIME'],
  state: ['status', 'state', 'abonnementsstatus'],
};

const MAILCHIMP_MARKS = ['optintime', 'confirmtime', 'mclanguage', 'memberrating', 'leid', 'euid', 'unsubtime', 'cleantime'];
const LAPOSTA_MARKS = ['emailadres'];

/** The file's kind and the mapping its headers suggest; fields without a matching header stay unmapped. */
export function recogniseColumns(headers: readonly string[]): RecognisedColumns {
  const keys = headers.map(headerKey);
  const mapping: ColumnMapping = {};
  for (const field of IMPORT_FIELDS) {
    for (const synonym of SYNONYMS[field]) {
      const index = keys.indexOf(headerKey(synonym));
      if (index >= 0 && !Object.values(mapping).includes(index)) {
        mapping[field] = index;
        break;
      }
    }
  }
  let kind: FileKind = 'other';
  if (keys.includes('emailaddress') && MAILCHIMP_MARKS.some((mark) => keys.includes(mark))) kind = 'mailchimp';
  else if (LAPOSTA_MARKS.some((mark) => keys.includes(mark))) kind = 'laposta';
  else if (keys.includes('email')) kind = 'plain';
  return { kind, mapping };
}

/** An editor's correction: field -> the header of the column that holds it ('' = ignore that field). */
export type MappingOverride = Partial<Record<ImportField, string>>;

export type OverrideParse = { ok: true; value: MappingOverride } | { ok: false; error: string };

/** `email=Email Address,name=Naam` (several `--map` options are joined with `,` before this). */
export function parseMappingOverride(text: string): OverrideParse {
  const value: MappingOverride = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return { ok: false, error: `--map expects field=Column header, got "${part.trim()}"` };
    const field = fieldByName(part.slice(0, eq));
    if (!field) return { ok: false, error: `--map: unknown field "${part.slice(0, eq).trim()}" (one of ${IMPORT_FIELDS.join(', ')})` };
    if (field in value) return { ok: false, error: `--map names ${field} twice` };
    value[field] = part.slice(eq + 1).trim();
  }
  return { ok: true, value };
}

/** `firstName`, `first-name` and `first_name` all name one field. */
function fieldByName(raw: string): ImportField | undefined {
  const key = raw
    .trim()
    .toLowerCase()
    .replace(/[-_\s]/g, '');
  return IMPORT_FIELDS.find((field) => field.toLowerCase() === key);
}

export type MappingResult = { ok: true; mapping: ColumnMapping } | { ok: false; error: string };

/** The guess with the editor's corrections applied; a correction naming a header the file lacks is refused. */
export function applyOverride(headers: readonly string[], guessed: ColumnMapping, override: MappingOverride): MappingResult {
  const mapping: ColumnMapping = { ...guessed };
  const keys = headers.map(headerKey);
  for (const [field, header] of Object.entries(override) as Array<[ImportField, string]>) {
    if (header === '') {
      delete mapping[field];
      continue;
    }
    let index = headers.indexOf(header);
    if (index < 0) index = keys.indexOf(headerKey(header));
    if (index < 0) return { ok: false, error: `--map ${field}=${header}: the file has no column "${header}" (its columns: ${headers.join(', ')})` };
    // The column now means this field only.
    for (const other of IMPORT_FIELDS) if (mapping[other] === index) delete mapping[other];
    mapping[field] = index;
  }
  if (mapping.email === undefined)
    return { ok: false, error: `no column with email addresses among ${headers.join(', ')}; name it with --map email=<column header>` };
  return { ok: true, mapping };
}

/** What the mapping reads, for the editor to check (`email <- Email Address, ...`). */
export function describeMapping(headers: readonly string[], mapping: ColumnMapping): string {
  return IMPORT_FIELDS.filter((field) => mapping[field] !== undefined)
    .map((field) => `${field} <- ${headers[mapping[field]!]}`)
    .join(', ');
}

/** What the mapping reads as field -> header, the shape an editor corrects it in. */
export function mappedHeaders(headers: readonly string[], mapping: ColumnMapping): MappingOverride {
  return Object.fromEntries(IMPORT_FIELDS.filter((field) => mapping[field] !== undefined).map((field) => [field, headers[mapping[field]!]]));
}

/**
 * The separator of the file, from its header line: the most frequent of `,`, `;` and tab outside
 * quotes (a header names columns, so it holds no separator of its own). Excel in Dutch settings
 * writes `;`. Reading the data rows instead could be fooled by `;` between themes.
 */
export function detectSeparator(firstLine: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of firstLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char in counts) counts[char as keyof typeof counts] += 1;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}
