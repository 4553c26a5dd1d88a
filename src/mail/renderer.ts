/**
 * Renders the mail templates in `emails/` (MJML + plain text + per-locale strings) into a subject,
 * preheader, html and text part. Per-recipient values are left as SendGrid substitution tags
 * (see SUBSTITUTION_TAGS); the sending code fills them per recipient. See emails/README.md.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Locale } from '../core/domain/locale';
import { escapeHtml } from '../core/web/html';

/** The one Locale type (src/core/domain/locale.ts), under the name the mail code uses. */

export interface Organisation {
  name: string;
  postalAddress: string;
  websiteUrl: string;
  privacyUrl: string;
}

export interface RenderedMail {
  subject: string;
  preheader: string;
  html: string;
  text: string;
}

export type TemplateName = 'confirmation' | 'already-subscribed';

export type MailData = Record<string, string | number | null | undefined>;

export interface MailRenderer {
  render(template: TemplateName, locale: Locale, data: MailData): Promise<RenderedMail>;
  /** A mail with lists (an edition), see ComposedMailRequest; counted and cached like `render`. */
  compose(request: ComposedMailRequest): Promise<RenderedMail>;
  /** how many times MJML actually compiled (for tests that count renders) */
  readonly mjmlRenders: number;
}

export interface MailRendererOptions {
  /** The `emails/` folder: layouts/, partials/, templates/, strings/. */
  templatesDir: string;
  organisation: Organisation;
  /** Cache file contents and rendered mails (default true). Off: every render re-reads and recompiles. */
  cache?: boolean;
}

/** Trusted, already filled markup (html part) or text (text part) for `{{@name}}` slots. */
export type SlotContents = Readonly<Record<string, string>>;

/**
 * A mail with lists (an edition: sections of item cards). The caller fills small partials once per
 * list entry and hands the results in as the contents of the template's `{{@slot}}` slots; the
 * whole document is still interpolated in one pass, compiled once and cached like `render`.
 */
export interface ComposedMailRequest {
  /** `templates/<template>.{mjml,txt}` and the strings section `<template>` (`mail.*`). */
  template: string;
  locale: Locale;
  /** Shared values, as for `render` (also usable by the strings: subject, preheader, …). */
  data: MailData;
  /** Fills the template's `{{@slot}}` slots of each part, usually with `filler.fill` per list entry. */
  slots(filler: PartialFiller): Promise<{ mjml: SlotContents; text: SlotContents }>;
  /**
   * Identifies everything `slots` depends on: the same template, locale, data and cacheKey give the
   * same mail, which is then compiled only once. Without it the request is never cached.
   */
  cacheKey?: string;
}

export interface PartialFiller {
  /**
   * One partial (`partials/x.mjml` or `.txt`, relative to the emails folder) with its `{{key}}`
   * placeholders filled from `values` plus everything the template has (`locale`, `org.*`,
   * `common.*`, `mail.*`, data), and its `{{@slot}}` slots from `slots`. Values are HTML-escaped in
   * `.mjml` partials; slot contents are inserted as they are. A plural string of the template
   * whose `count` names a key of `values` is resolved per call.
   */
  fill(partial: string, values?: MailData, slots?: SlotContents): Promise<string>;
  /** A resolved string (`mail.readMore`, `common.website`, …), for labels chosen per entry. */
  text(key: string): string;
}

export const SUBSTITUTION_TAGS = {
  confirmUrl: '%confirm_url%',
  preferencesUrl: '%preferences_url%',
  unsubscribeUrl: '%unsubscribe_url%',
  greeting: '%greeting%',
} as const;

const TEMPLATES: readonly TemplateName[] = ['confirmation', 'already-subscribed'];
const LOCALES: readonly Locale[] = ['nl', 'en'];

const CONTENT_SLOT = '{{@content}}';
/** Templates for `compose` are named by the caller: a plain file name, never a path. */
const COMPOSED_TEMPLATE_NAME = /^[a-z][a-z0-9-]*$/;
const INCLUDE_PATTERN = /\{\{>\s*([^\s}]+)\s*\}\}/g;
const PLACEHOLDER_PATTERN = /\{\{\s*([A-Za-z][\w.-]*)\s*\}\}/g;
const MAX_INCLUDE_DEPTH = 5;
/** Keys vary only with shared data (expiry days, …), so this is a safety cap, not a tuning knob. */
const MAX_CACHED_MAILS = 200;

// ---------------------------------------------------------------------------------------------
// Per-recipient helpers (used by the sending code and the mail sink stand-in)

const GREETINGS: Record<Locale, { named: (name: string) => string; anonymous: string }> = {
  nl: { named: (name) => `Hallo ${name},`, anonymous: 'Hallo,' },
  en: { named: (name) => `Hi ${name},`, anonymous: 'Hello,' },
};

/** The full greeting line for the `%greeting%` tag: "Hallo Anna," or "Hallo,". */
export function greetingFor(locale: Locale, name?: string | null): string {
  const cleaned = cleanName(name);
  const greeting = GREETINGS[locale] ?? GREETINGS.nl;
  return cleaned ? greeting.named(cleaned) : greeting.anonymous;
}

/**
 * SendGrid inserts a substitution value unescaped into both the html and the text part, so the
 * name must not be able to form markup (`<`, `>`) or another substitution tag (`%`).
 */
function cleanName(name: string | null | undefined): string {
  return (name ?? '')
    .replace(/[<>%]/g, '')
    .replace(/[\s\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, 80);
}

/** Plain replacement of every key everywhere, in key order: the same semantics as SendGrid and the mail sink. */
export function applySubstitutions(text: string, substitutions: Record<string, string>): string {
  let out = text;
  for (const [key, value] of Object.entries(substitutions)) {
    if (key.length > 0 && out.includes(key)) out = out.split(key).join(value);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Strings and placeholders

/** A string that depends on a number in `data`: `one` or `other` by the locale's plural rules. */
interface PluralString {
  count: string;
  one: string;
  other: string;
}
type StringEntry = string | PluralString;
type StringTable = Record<string, Record<string, StringEntry>>;
type Values = ReadonlyMap<string, string>;


const asIs = (value: string): string => value;

/** Replaces `{{key}}` in one pass, so inserted values are never scanned for placeholders again. */
function interpolate(source: string, values: Values, encode: (value: string) => string, where: string): string {
  return source.replace(PLACEHOLDER_PATTERN, (_match, key: string) => {
    const value = values.get(key);
    if (value === undefined) throw new Error(`${where}: no value for placeholder {{${key}}}`);
    return encode(value);
  });
}

const TOKEN_PATTERN = /\{\{\s*(@?)([A-Za-z][\w.-]*)\s*\}\}/g;

/**
 * `interpolate` plus `{{@name}}` slots, in the same single pass: neither inserted values nor slot
 * contents are scanned again. A slot without contents, or contents without a slot, is an error.
 */
function interpolateWithSlots(
  source: string,
  values: Values,
  slots: SlotContents,
  encode: (value: string) => string,
  where: string,
): string {
  const unused = new Set(Object.keys(slots));
  const out = source.replace(TOKEN_PATTERN, (_match, at: string, key: string) => {
    if (at) {
      if (!Object.hasOwn(slots, key)) throw new Error(`${where}: no contents for slot {{@${key}}}`);
      unused.delete(key);
      return slots[key];
    }
    const value = values.get(key);
    if (value === undefined) throw new Error(`${where}: no value for placeholder {{${key}}}`);
    return encode(value);
  });
  if (unused.size > 0) throw new Error(`${where}: no slot for ${[...unused].map((key) => `{{@${key}}}`).join(', ')}`);
  return out;
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

function pickPlural(entry: PluralString, values: Values, locale: Locale, where: string): string {
  const count = Number(values.get(entry.count));
  if (!values.has(entry.count) || !Number.isFinite(count)) {
    throw new Error(`${where}: data.${entry.count} must be a number`);
  }
  return new Intl.PluralRules(locale).select(count) === 'one' ? entry.one : entry.other;
}

/**
 * The hosted privacy statement opened from a mail shows the mail's language, not the browser's
 * (`?lang=`); an organisation's own statement (PRIVACY_URL elsewhere) is linked as given.
 */
function inLocale(privacyUrl: string, locale: Locale): string {
  try {
    const url = new URL(privacyUrl);
    if (!url.pathname.replace(/\/+$/, '').endsWith('/newsletter/privacy')) return privacyUrl;
    url.searchParams.set('lang', locale);
    return url.toString();
  } catch {
    return privacyUrl;
  }
}

/** Values every template can use: `locale`, `org.*` and the caller's shared data. */
function baseValues(organisation: Organisation, locale: Locale, data: MailData): Map<string, string> {
  const values = new Map<string, string>([
    ['locale', locale],
    ['org.name', organisation.name],
    ['org.postalAddress', organisation.postalAddress],
    ['org.websiteUrl', organisation.websiteUrl],
    ['org.privacyUrl', inLocale(organisation.privacyUrl, locale)],
  ]);
  for (const [key, value] of Object.entries(data)) {
    if (value === null || value === undefined) continue;
    if (values.has(key) || key.includes('.')) throw new Error(`Mail data key "${key}" is reserved`);
    values.set(key, String(value));
  }
  return values;
}

/** Adds one strings section under a prefix (`common.*`, `mail.*`); strings may use base values. */
function addStrings(
  values: Map<string, string>,
  base: Values,
  section: Record<string, StringEntry>,
  prefix: string,
  locale: Locale,
  where: string,
): void {
  for (const [key, entry] of Object.entries(section)) {
    const text = typeof entry === 'string' ? entry : pickPlural(entry, base, locale, where);
    values.set(`${prefix}.${key}`, interpolate(text, base, asIs, `${where}, string ${prefix}.${key}`));
  }
}

function requireValue(values: Values, key: string, where: string): string {
  const value = values.get(key);
  if (value === undefined) throw new Error(`${where}: the strings have no "${key.replace(/^mail\./, '')}"`);
  return value.replace(/\s+/g, ' ').trim();
}

function tidyText(text: string): string {
  return `${text.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

// ---------------------------------------------------------------------------------------------
// Files

function resolveInside(root: string, relativePath: string): string {
  const resolved = path.resolve(root, relativePath);
  const relative = path.relative(root, resolved);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(`Mail include "${relativePath}" points outside ${root}`);
  }
  return resolved;
}

// ---------------------------------------------------------------------------------------------
// MJML

interface MjmlOutput {
  html: string;
}
type MjmlCompile = (mjml: string, options: Record<string, unknown>) => MjmlOutput | Promise<MjmlOutput>;

let mjmlCompile: MjmlCompile | undefined;

/**
 * Loaded on first compile (mjml is large, ~250 ms to load, and ships no type declarations), or
 * ahead by a process that will render (the worker, at start), so that its first mailing does not pay.
 */
function loadMjml(): MjmlCompile {
  mjmlCompile ??= createRequire(__filename)('mjml') as MjmlCompile;
  return mjmlCompile;
}

export function preloadMjml(): void {
  loadMjml();
}

/** `fonts: {}` stops MJML adding Google Fonts links for font names it knows (e.g. Roboto). */
function mjmlOptions(): Record<string, unknown> {
  return { validationLevel: 'strict', keepComments: false, fonts: {}, minify: false, beautify: false };
}

function describeMjmlError(error: unknown): string {
  const details = (error as { errors?: Array<{ formattedMessage?: string }> } | null)?.errors;
  if (Array.isArray(details) && details.length > 0) return details.map((d) => d.formattedMessage).join('\n  ');
  return error instanceof Error ? error.message : String(error);
}

async function compileMjml(source: string, where: string): Promise<string> {
  try {
    return (await loadMjml()(source, mjmlOptions())).html;
  } catch (error) {
    throw new Error(`${where}: MJML validation failed (line numbers are in the expanded source):\n  ${describeMjmlError(error)}`, {
      cause: error,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Renderer

function cacheKey(template: string, locale: Locale, data: MailData): string {
  const entries = Object.entries(data)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => [key, String(value)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([template, locale, entries]);
}

function assertKnown(template: string, locale: string): void {
  if (!TEMPLATES.includes(template as TemplateName)) throw new Error(`Unknown mail template "${template}"`);
  if (!LOCALES.includes(locale as Locale)) throw new Error(`Unknown mail locale "${locale}"`);
}

export function createMailRenderer(options: MailRendererOptions): MailRenderer {
  const root = path.resolve(options.templatesDir);
  const useCache = options.cache ?? true;
  const files = new Map<string, Promise<string>>();
  const mails = new Map<string, Promise<RenderedMail>>();
  let compilations = 0;

  /** The last step of every mail: MJML compiled (and counted), subject and preheader from the strings. */
  async function finish(values: Values, mjml: string, text: string, where: string): Promise<RenderedMail> {
    compilations += 1;
    return {
      subject: requireValue(values, 'mail.subject', where),
      preheader: requireValue(values, 'mail.preheader', where),
      html: await compileMjml(mjml, where),
      text: tidyText(text),
    };
  }

  function readSource(relativePath: string): Promise<string> {
    const cached = files.get(relativePath);
    if (cached) return cached;
    const reading = readFile(resolveInside(root, relativePath), 'utf8');
    if (useCache) {
      files.set(relativePath, reading);
      reading.catch(() => files.delete(relativePath));
    }
    return reading;
  }

  /** Replaces `{{> path}}` (relative to the emails folder) with that file, recursively. */
  async function expandIncludes(relativePath: string, depth = 0): Promise<string> {
    if (depth > MAX_INCLUDE_DEPTH) throw new Error(`Mail include "${relativePath}": nested too deeply`);
    const source = await readSource(relativePath);
    const includes = [...source.matchAll(INCLUDE_PATTERN)].map((match) => expandIncludes(match[1], depth + 1));
    const expanded = await Promise.all(includes);
    let next = 0;
    return source.replace(INCLUDE_PATTERN, () => expanded[next++]);
  }

  /** The template's body placed in the layout's `{{@content}}` slot. */
  async function composeSource(template: string, extension: 'mjml' | 'txt'): Promise<string> {
    const [layout, body] = await Promise.all([
      expandIncludes(`layouts/base.${extension}`),
      expandIncludes(`templates/${template}.${extension}`),
    ]);
    if (!layout.includes(CONTENT_SLOT)) throw new Error(`layouts/base.${extension} has no ${CONTENT_SLOT} slot`);
    return layout.replace(CONTENT_SLOT, () => body);
  }

  async function loadValues(template: TemplateName, locale: Locale, data: MailData, where: string): Promise<Values> {
    const file = `strings/${locale}.json`;
    const table = parseStringTable(await readSource(file), file);
    if (!table.common || !table[template]) throw new Error(`${file}: needs the sections "common" and "${template}"`);
    const base = baseValues(options.organisation, locale, data);
    const values = new Map(base);
    addStrings(values, base, table.common, 'common', locale, where);
    addStrings(values, base, table[template], 'mail', locale, where);
    return values;
  }

  async function renderUncached(template: TemplateName, locale: Locale, data: MailData): Promise<RenderedMail> {
    const where = `Mail template "${template}" (${locale})`;
    const [values, mjmlSource, textSource] = await Promise.all([
      loadValues(template, locale, data, where),
      composeSource(template, 'mjml'),
      composeSource(template, 'txt'),
    ]);
    return finish(values, interpolate(mjmlSource, values, escapeHtml, where), interpolate(textSource, values, asIs, where), where);
  }

  function remember(key: string, pending: Promise<RenderedMail>): void {
    if (mails.size >= MAX_CACHED_MAILS) mails.delete(mails.keys().next().value as string);
    mails.set(key, pending);
    pending.catch(() => mails.delete(key));
  }

  /** `mail.*` and `common.*` strings; plurals whose count is not in `data` are left for `fill`. */
  async function loadComposedValues(
    template: string,
    locale: Locale,
    data: MailData,
    where: string,
  ): Promise<{ values: Values; deferred: ReadonlyMap<string, PluralString> }> {
    const file = `strings/${locale}.json`;
    const table = parseStringTable(await readSource(file), file);
    if (!Object.hasOwn(table, 'common') || !Object.hasOwn(table, template)) {
      throw new Error(`${file}: needs the sections "common" and "${template}"`);
    }
    const base = baseValues(options.organisation, locale, data);
    const values = new Map(base);
    const immediate: Record<string, StringEntry> = {};
    const deferred = new Map<string, PluralString>();
    for (const [key, entry] of Object.entries(table[template])) {
      if (isPluralString(entry) && !base.has(entry.count)) deferred.set(`mail.${key}`, entry);
      else immediate[key] = entry;
    }
    addStrings(values, base, table.common, 'common', locale, where);
    addStrings(values, base, immediate, 'mail', locale, where);
    return { values, deferred };
  }

  function createFiller(values: Values, deferred: ReadonlyMap<string, PluralString>, locale: Locale, where: string): PartialFiller {
    return {
      async fill(partial, partialValues = {}, slots = {}) {
        const encode = partial.endsWith('.mjml') ? escapeHtml : partial.endsWith('.txt') ? asIs : undefined;
        if (!encode) throw new Error(`${where}: partial "${partial}" must end in .mjml or .txt`);
        const at = `${where}, partial ${partial}`;
        const local = new Map(values);
        for (const [key, value] of Object.entries(partialValues)) {
          if (value === null || value === undefined) continue;
          if (local.has(key) || key.includes('.')) throw new Error(`${at}: value key "${key}" is reserved`);
          local.set(key, String(value));
        }
        for (const [key, entry] of deferred) {
          if (local.has(entry.count)) local.set(key, interpolate(pickPlural(entry, local, locale, at), local, asIs, `${at}, string ${key}`));
        }
        return interpolateWithSlots(await expandIncludes(partial), local, slots, encode, at);
      },
      text(key) {
        const value = values.get(key);
        if (value === undefined) throw new Error(`${where}: the strings have no "${key}"`);
        return value;
      },
    };
  }

  async function composeUncached(request: ComposedMailRequest): Promise<RenderedMail> {
    const { template, locale, data } = request;
    const where = `Mail template "${template}" (${locale})`;
    const { values, deferred } = await loadComposedValues(template, locale, data, where);
    const [mjmlSource, textSource, slots] = await Promise.all([
      composeSource(template, 'mjml'),
      composeSource(template, 'txt'),
      request.slots(createFiller(values, deferred, locale, where)),
    ]);
    return finish(values, interpolateWithSlots(mjmlSource, values, slots.mjml, escapeHtml, where), interpolateWithSlots(textSource, values, slots.text, asIs, where), where);
  }

  return {
    async render(template, locale, data) {
      assertKnown(template, locale);
      if (!useCache) return renderUncached(template, locale, data);
      const key = cacheKey(template, locale, data);
      let pending = mails.get(key);
      if (!pending) {
        pending = renderUncached(template, locale, data);
        remember(key, pending);
      }
      return { ...(await pending) };
    },
    async compose(request) {
      if (!COMPOSED_TEMPLATE_NAME.test(request.template)) throw new Error(`Unknown mail template "${request.template}"`);
      if (!LOCALES.includes(request.locale)) throw new Error(`Unknown mail locale "${request.locale}"`);
      if (!useCache || request.cacheKey === undefined) return composeUncached(request);
      const key = `composed:${cacheKey(request.template, request.locale, request.data)}:${request.cacheKey}`;
      let pending = mails.get(key);
      if (!pending) {
        pending = composeUncached(request);
        remember(key, pending);
      }
      return { ...(await pending) };
    },
    get mjmlRenders() {
      return compilations;
    },
  };
}
