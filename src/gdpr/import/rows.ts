/**
 * One row of an import file -> what it asks for: a reader to add (with their state and, when the
 * row carries evidence, a consent record) or the plain-words reason it cannot be imported. Pure:
 * no Strapi, no Redis; unit-tested. The IP is hashed by the caller's function (the sign-up's).
 */
import { isIP } from 'node:net';
import { checkEmail } from '../../core/domain/subscription-request';
import { DEFAULT_LOCALE, type Locale } from '../../core/domain/locale';
import type { ColumnMapping, FileKind, ImportField } from './columns';
import { parseImportTime, type TimeZoneRule } from './times';

/** The consent record's fields (component `subscription.consent-record`). */
export interface ImportedConsent {
  givenAt: Date;
  source: string;
  textVersion: string;
  ipHash: string | null;
}

/** The state a row asks for: evidence of consent -> active; none -> pending; marked in the file -> suppressed. */
export type RowIntent = 'active' | 'pending' | 'unsubscribed' | 'bounced';

export interface ImportCandidate {
  email: string;
  name: string | null;
  locale: Locale;
  themes: string[];
  intent: RowIntent;
  consent: ImportedConsent | null;
  /** unsubscribed: when; bounced: when it was cleaned. */
  suppressedAt: Date | null;
}

/** Why a row was not imported as asked, in the words of the command line (`en`) and of a Dutch editor (`nl`). */
export interface Reason {
  en: string;
  nl: string;
}

export type RowDecision = { ok: true; candidate: ImportCandidate } | { ok: false; email: string; reason: Reason };

export interface RowContext {
  kind: FileKind;
  mapping: ColumnMapping;
  /** How many columns the header names; a row with more is cut wrongly (a separator in an unquoted value). */
  columns: number;
  knownThemes: ReadonlySet<string>;
  /** The file's name (no directory): the consent record's source is `import:<file name>`. */
  fileName: string;
  hashIp(ip: string): string;
  now: Date;
}

const MAX_NAME_LENGTH = 120;
const MAX_SOURCE_LENGTH = 500;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Laposta's states (ASSUMED from its interface and API: `active`, `unsubscribed`, `cleaned`), in Dutch and English. */
const STATE_WORDS: Record<string, 'consent' | 'pending' | 'unsubscribed' | 'bounced'> = {
  actief: 'consent',
  active: 'consent',
  subscribed: 'consent',
  ingeschreven: 'consent',
  afgemeld: 'unsubscribed',
  uitgeschreven: 'unsubscribed',
  unsubscribed: 'unsubscribed',
  ongeldig: 'bounced',
  cleaned: 'bounced',
  bounced: 'bounced',
  onbevestigd: 'pending',
  'niet bevestigd': 'pending',
  'wacht op bevestiging': 'pending',
  pending: 'pending',
  unconfirmed: 'pending',
};

const LANGUAGE_WORDS: Record<string, Locale> = { nl: 'nl', nederlands: 'nl', dutch: 'nl', en: 'en', engels: 'en', english: 'en' };

export function decideRow(fields: readonly string[], context: RowContext): RowDecision {
  const value = (field: ImportField): string => {
    const index = context.mapping[field];
    return index === undefined ? '' : (fields[index] ?? '').trim();
  };
  const rawEmail = value('email');
  const refuse = (en: string, nl: string): RowDecision => ({ ok: false, email: rawEmail, reason: { en, nl } });

  if (fields.length > context.columns)
    return refuse(
      `the row has ${fields.length} values but the header names ${context.columns} columns (a separator inside a value without quotes?)`,
      `de rij heeft ${fields.length} waarden, maar de kopregel noemt ${context.columns} kolommen (een scheidingsteken in een waarde zonder aanhalingstekens?)`,
    );
  if (fields.some((field) => field.includes('\uFFFD')))
    return refuse(
      'the row holds characters that are not UTF-8 (save the file as "CSV UTF-8")',
      'de rij bevat tekens die geen UTF-8 zijn (sla het bestand op als "CSV UTF-8")',
    );

  const email = checkEmail(rawEmail);
  if (!email.ok) {
    if (email.code === 'email_required') return refuse('no email address', 'geen e-mailadres');
    if (email.code === 'email_too_long') return refuse('the email address is longer than 254 characters', 'het e-mailadres is langer dan 254 tekens');
    return refuse(`"${shorten(rawEmail)}" is not a valid email address`, `"${shorten(rawEmail)}" is geen geldig e-mailadres`);
  }

  const name = readName(value('name'), value('firstName'), value('lastName'));
  if (name === false)
    return refuse(
      `the name is longer than ${MAX_NAME_LENGTH} characters or has line breaks`,
      `de naam is langer dan ${MAX_NAME_LENGTH} tekens of bevat regeleinden`,
    );

  const languageText = value('language');
  const locale = languageText === '' ? DEFAULT_LOCALE : LANGUAGE_WORDS[languageText.toLowerCase().split(/[-_]/)[0]];
  if (!locale)
    return refuse(`unknown language "${shorten(languageText)}" (nl or en; empty means nl)`, `onbekende taal "${shorten(languageText)}" (nl of en; leeg is nl)`);

  const themes = [
    ...new Set(
      value('themes')
        .split(/[|;,]/)
        .map((slug) => slug.trim())
        .filter(Boolean),
    ),
  ].sort();
  const unknownThemes = themes.filter((slug) => !context.knownThemes.has(slug));
  if (unknownThemes.length > 0) {
    const named = unknownThemes.map((slug) => `"${shorten(slug)}"`).join(', ');
    const known = [...context.knownThemes].sort().join(', ');
    return refuse(
      `unknown theme${unknownThemes.length > 1 ? 's' : ''} ${named} (${context.knownThemes.size > 0 ? `known: ${known}` : 'no theme is published yet'})`,
      `onbekend${unknownThemes.length > 1 ? 'e' : ''} thema${unknownThemes.length > 1 ? "'s" : ''} ${named} (${context.knownThemes.size > 0 ? `bekend: ${known}` : 'er is nog geen thema gepubliceerd'})`,
    );
  }

  // Mailchimp exports times in UTC; Laposta (ASSUMED) in Dutch local time.
  const zone: TimeZoneRule = context.kind === 'laposta' ? 'Europe/Amsterdam' : 'UTC';
  const times: Partial<Record<'optinTime' | 'confirmTime' | 'unsubTime' | 'cleanTime', Date | null>> = {};
  for (const field of ['optinTime', 'confirmTime', 'unsubTime', 'cleanTime'] as const) {
    const text = value(field);
    if (text === '') continue;
    const parsed = parseImportTime(text, zone);
    if (!parsed)
      return refuse(
        `${TIME_LABEL[field].en} "${shorten(text)}" is not a date and time (e.g. 2024-03-01 14:05:00)`,
        `${TIME_LABEL[field].nl} "${shorten(text)}" is geen datum en tijd (bijvoorbeeld 2024-03-01 14:05:00)`,
      );
    if (parsed.getTime() > context.now.getTime() + 60_000)
      return refuse(`${TIME_LABEL[field].en} ${text} lies in the future`, `${TIME_LABEL[field].nl} ${text} ligt in de toekomst`);
    times[field] = parsed;
  }
  for (const field of ['optinIp', 'confirmIp'] as const) {
    const text = value(field);
    if (text !== '' && isIP(text) === 0)
      return refuse(
        `${field === 'optinIp' ? 'opt-in' : 'confirmation'} IP "${shorten(text)}" is not an IP address`,
        `IP bij ${field === 'optinIp' ? 'aanmelden' : 'bevestigen'} "${shorten(text)}" is geen IP-adres`,
      );
  }

  const stateText = value('state').toLowerCase();
  const stateWord = stateText === '' ? undefined : STATE_WORDS[stateText];
  if (stateText !== '' && !stateWord)
    return refuse(
      `unknown state "${shorten(stateText)}" (e.g. actief, afgemeld, ongeldig)`,
      `onbekende status "${shorten(stateText)}" (bijvoorbeeld actief, afgemeld, ongeldig)`,
    );

  const base = { email: email.email, name, locale, themes, consent: null, suppressedAt: null };
  // A reader who left or whose address failed is imported as such, never mailed.
  if (times.cleanTime || stateWord === 'bounced') return { ok: true, candidate: { ...base, intent: 'bounced', suppressedAt: times.cleanTime ?? context.now } };
  if (times.unsubTime || stateWord === 'unsubscribed')
    return { ok: true, candidate: { ...base, name: null, themes: [], intent: 'unsubscribed', suppressedAt: times.unsubTime ?? context.now } };

  const consent = stateWord === 'pending' ? null : consentRecord(value, times, context);
  return { ok: true, candidate: { ...base, intent: consent ? 'active' : 'pending', consent } };
}

const TIME_LABEL = {
  optinTime: { en: 'opt-in time', nl: 'aanmeldmoment' },
  confirmTime: { en: 'confirmation time', nl: 'bevestigingsmoment' },
  unsubTime: { en: 'unsubscribe time', nl: 'afmeldmoment' },
  cleanTime: { en: 'clean time', nl: 'onbestelbaar-moment' },
} as const;

/**
 * The evidence a row carries, as a consent record: given at the confirmation (double opt-in done)
 * or else the opt-in; the IP of that same step (or the other one's when only it is given), hashed;
 * the original times in the source, since the record has one date and the file had two.
 */
function consentRecord(
  value: (field: ImportField) => string,
  times: Partial<Record<'optinTime' | 'confirmTime', Date | null>>,
  context: RowContext,
): ImportedConsent | null {
  const givenAt = times.confirmTime ?? times.optinTime;
  if (!givenAt) return null;
  const ip = (times.confirmTime ? value('confirmIp') || value('optinIp') : value('optinIp') || value('confirmIp')) || null;
  const original = [value('optinTime') ? `opt-in ${value('optinTime')}` : '', value('confirmTime') ? `confirmed ${value('confirmTime')}` : ''].filter(Boolean);
  const source = `import:${context.fileName}; ${original.join(', ')} (${context.kind === 'laposta' ? 'Amsterdam time' : 'UTC'})`;
  return {
    givenAt,
    source: source.length > MAX_SOURCE_LENGTH ? source.slice(0, MAX_SOURCE_LENGTH) : source,
    // The consent text the reader saw is not in the file: say so rather than name ours.
    textVersion: context.kind === 'mailchimp' || context.kind === 'laposta' ? `import (${context.kind})` : 'import',
    ipHash: ip ? context.hashIp(ip) : null,
  };
}

/** The name as one value (Naam, or Voornaam + Achternaam); false when it cannot be stored. */
function readName(full: string, first: string, last: string): string | null | false {
  const name = full || [first, last].filter(Boolean).join(' ');
  if (name === '') return null;
  if (name.length > MAX_NAME_LENGTH || CONTROL.test(name)) return false;
  return name;
}

function shorten(text: string): string {
  const flat = text.replace(CONTROL, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
