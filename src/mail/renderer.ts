/**
 * Renders the mail templates in `emails/` (MJML + plain text + per-locale strings) into a subject,
 * preheader, html and text part, and caches the result: the filling is templates.ts (Handlebars),
 * the strings strings.ts, the html MJML (mjml-compile.ts). Per-recipient values are left as
 * SendGrid substitution tags (substitutions.ts); the sending code fills them per recipient. See
 * emails/README.md.
 */
import type { Locale } from '../core/domain/locale';
import { compileMjml } from './mjml-compile';
import { loadMailStrings, resolveDeferred, type MailStrings } from './strings';
import { createTemplates, type SlotContents } from './templates';
import { baseValues, ownValues, type MailData, type Organisation, type Values } from './values';

export { preloadMjml } from './mjml-compile';
export { SUBSTITUTION_TAGS, applySubstitutions, greetingFor } from './substitutions';
export type { SlotContents } from './templates';
export type { MailData, Organisation } from './values';

export interface RenderedMail {
  subject: string;
  preheader: string;
  html: string;
  text: string;
}

export type TemplateName = 'confirmation' | 'already-subscribed';

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

/**
 * A mail with lists (an edition: sections of item cards). The caller fills small partials once per
 * list entry and hands the results in as the contents of the template's `{{@slot}}` slots; the
 * whole mail is then filled, compiled once and cached like `render`.
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

const TEMPLATES: readonly TemplateName[] = ['confirmation', 'already-subscribed'];
const LOCALES: readonly Locale[] = ['nl', 'en'];
/** Templates for `compose` are named by the caller: a plain file name, never a path. */
const COMPOSED_TEMPLATE_NAME = /^[a-z][a-z0-9-]*$/;
/** Keys vary only with shared data (expiry days, …), so this is a safety cap, not a tuning knob. */
const MAX_CACHED_MAILS = 200;
const NO_VALUES: Values = new Map();

function requireValue(values: Values, key: string, where: string): string {
  const value = values.get(key);
  if (value === undefined) throw new Error(`${where}: the strings have no "${key.replace(/^mail\./, '')}"`);
  return value.replace(/\s+/g, ' ').trim();
}

function tidyText(text: string): string {
  return `${text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

function cacheKey(template: string, locale: Locale, data: MailData): string {
  const entries = Object.entries(data)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => [key, String(value)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([template, locale, entries]);
}

function assertKnownLocale(locale: string): void {
  if (!LOCALES.includes(locale as Locale)) throw new Error(`Unknown mail locale "${locale}"`);
}

export function createMailRenderer(options: MailRendererOptions): MailRenderer {
  const useCache = options.cache ?? true;
  const templates = createTemplates({ root: options.templatesDir, cache: useCache });
  const mails = new Map<string, Promise<RenderedMail>>();
  let compilations = 0;

  /** Both parts of `templates/<template>` filled, MJML compiled (and counted), subject and preheader from the strings. */
  async function fillAndCompile(template: string, values: Values, slots: { mjml: SlotContents; text: SlotContents }, where: string): Promise<RenderedMail> {
    const [mjml, text] = await Promise.all([templates.mail(template, 'mjml'), templates.mail(template, 'txt')]);
    const mjmlSource = mjml.fill(values, NO_VALUES, slots.mjml, where);
    const textSource = text.fill(values, NO_VALUES, slots.text, where);
    compilations += 1;
    return {
      subject: requireValue(values, 'mail.subject', where),
      preheader: requireValue(values, 'mail.preheader', where),
      html: await compileMjml(mjmlSource, where),
      text: tidyText(textSource),
    };
  }

  async function renderUncached(template: TemplateName, locale: Locale, data: MailData): Promise<RenderedMail> {
    const where = `Mail template "${template}" (${locale})`;
    const base = baseValues(options.organisation, locale, data);
    const { values } = await loadMailStrings(templates, template, locale, base, where, false);
    return fillAndCompile(template, values, { mjml: {}, text: {} }, where);
  }

  function createFiller(values: Values, deferred: MailStrings['deferred'], locale: Locale, where: string): PartialFiller {
    return {
      async fill(partial, partialValues = {}, slots = {}) {
        if (!partial.endsWith('.mjml') && !partial.endsWith('.txt')) throw new Error(`${where}: partial "${partial}" must end in .mjml or .txt`);
        const at = `${where}, partial ${partial}`;
        const own = ownValues(values, partialValues, (key) => `${at}: value key "${key}" is reserved`);
        resolveDeferred(templates, values, own, deferred, locale, at);
        return (await templates.partial(partial)).fill(values, own, slots, at);
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
    const base = baseValues(options.organisation, locale, data);
    const { values, deferred } = await loadMailStrings(templates, template, locale, base, where, true);
    const slots = await request.slots(createFiller(values, deferred, locale, where));
    return fillAndCompile(template, values, slots, where);
  }

  /** One render per key at a time and afterwards, a failed one forgotten; the oldest goes first at the cap. */
  async function cached(key: string, render: () => Promise<RenderedMail>): Promise<RenderedMail> {
    let pending = mails.get(key);
    if (!pending) {
      if (mails.size >= MAX_CACHED_MAILS) mails.delete(mails.keys().next().value as string);
      pending = render();
      mails.set(key, pending);
      pending.catch(() => mails.delete(key));
    }
    return { ...(await pending) };
  }

  return {
    async render(template, locale, data) {
      if (!TEMPLATES.includes(template)) throw new Error(`Unknown mail template "${template}"`);
      assertKnownLocale(locale);
      if (!useCache) return renderUncached(template, locale, data);
      return cached(cacheKey(template, locale, data), () => renderUncached(template, locale, data));
    },
    async compose(request) {
      if (!COMPOSED_TEMPLATE_NAME.test(request.template)) throw new Error(`Unknown mail template "${request.template}"`);
      assertKnownLocale(request.locale);
      if (!useCache || request.cacheKey === undefined) return composeUncached(request);
      const key = `composed:${cacheKey(request.template, request.locale, request.data)}:${request.cacheKey}`;
      return cached(key, () => composeUncached(request));
    },
    get mjmlRenders() {
      return compilations;
    },
  };
}
