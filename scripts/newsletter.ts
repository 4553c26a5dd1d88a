/**
 * `npm run newsletter -- <command>`: the monthly edition from the command line.
 *   assemble [--now]                       assemble an edition now (--now: no review window, due at once)
 *   preview --edition <id> --out <dir>     one HTML (+ text) file per variant among current subscribers
 *   send-test --edition <id> --to <addr>   send one variant to one address ([Test] in the subject)
 *   send --edition <id> [--wait]           send now; --wait shows progress and exits 0 only on a final state
 *   status --edition <id>                  state and counts
 *   fake-subscribers --count N [--locale-mix] [--themes-random]
 * Every command takes --json for machine-readable output. <id> is the numeric id or the document id.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { readMailSettings } from '../src/config/mail';
import { createJsonLogger } from '../src/infra/log';
import { createRedis } from '../src/infra/redis';
import { toSendGridRequest } from '../src/mail/outgoing-mail';
import { greetingFor } from '../src/mail/renderer';
import type { EditionItemRef } from '../src/newsletter/assembly';
import { editionText, resolveItems, themeInfos } from '../src/newsletter/content';
import { createFakeSubscribers } from '../src/newsletter/fake-subscribers';
import { assembleEdition, parseJson, toDate, type EditionRow } from '../src/newsletter/pipeline';
import { createNewsletterDeps } from '../src/newsletter/runtime';
import { buildVariantModel, variantFor, variantKey } from '../src/newsletter/variants';
import { enqueuePlan, newsletterQueue } from '../workers/newsletter';
import { loadStrapi } from './lib/strapi-app';
import { EDITABLE_EDITION_STATES, FINAL_EDITION_STATES, type EditionState } from '../src/newsletter/edition-state';


class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

function required(args: string[], name: string): string {
  const value = option(args, name);
  if (!value || value.startsWith('--')) throw new UsageError(`--${name} is required`);
  return value;
}

async function findEdition(db: Knex, ref: string): Promise<EditionRow> {
  const edition = (await db('editions').where(/^\d+$/.test(ref) ? { id: Number(ref) } : { document_id: ref }).first()) as EditionRow | undefined;
  if (!edition) throw new UsageError(`no edition ${ref}`);
  return edition;
}

async function counts(db: Knex, id: number) {
  const row = await db('editions').where({ id }).first('id', 'document_id', 'title', 'state', 'scheduled_at', 'recipients_count', 'queued_count', 'submitted_count', 'failed_count', 'suppressed_count', 'unknown_count', 'variants_count', 'notes');
  return {
    id: row.id,
    documentId: row.document_id,
    title: row.title,
    state: row.state as EditionState,
    recipients: Number(row.recipients_count ?? 0),
    queued: Number(row.queued_count ?? 0),
    submitted: Number(row.submitted_count ?? 0),
    failed: Number(row.failed_count ?? 0),
    suppressed: Number(row.suppressed_count ?? 0),
    unknown: Number(row.unknown_count ?? 0),
    variants: Number(row.variants_count ?? 0),
    notes: row.notes ?? null,
  };
}

function progressBar(done: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}%`;
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  const json = args.includes('--json');
  const out = (value: Record<string, unknown>, human: string) => console.log(json ? JSON.stringify(value) : human);
  if (!command || command === '--help') throw new UsageError('commands: assemble, preview, send-test, send, status, fake-subscribers');
  if (command === 'fake-subscribers' && process.env.NODE_ENV === 'production') throw new UsageError('fake-subscribers refuses to run with NODE_ENV=production');

  const strapi: Core.Strapi = await loadStrapi({ compile: false, logLevel: 'error' });
  const log = createJsonLogger('newsletter-cli', () => undefined);
  const deps = createNewsletterDeps(strapi, log);
  const db = deps.db;
  try {
    switch (command) {
      case 'assemble': {
        const now = new Date();
        const result = await assembleEdition(deps, { now, periodKey: `manual:${now.toISOString()}` });
        if (args.includes('--now') && result.state === 'scheduled') await db('editions').where({ id: result.editionId }).update({ scheduled_at: now });
        out({ id: result.editionId, documentId: result.documentId, state: result.state, items: result.items }, `edition ${result.editionId} (${result.documentId}): ${result.state}, ${result.items} item(s)`);
        return 0;
      }
      case 'status': {
        const edition = await findEdition(db, required(args, 'edition'));
        const c = await counts(db, edition.id);
        out(c, `${c.title} [${c.state}] recipients ${c.recipients}, queued ${c.queued}, submitted ${c.submitted}, failed ${c.failed}, suppressed ${c.suppressed}, unknown ${c.unknown}${c.notes ? `\n${c.notes}` : ''}`);
        return 0;
      }
      case 'preview':
      case 'send-test': {
        const edition = await findEdition(db, required(args, 'edition'));
        const items = await resolveItems(strapi, parseJson<EditionItemRef[]>(edition.items, []), deps.settings);
        const text = editionText({ cutoff: (toDate(edition.cutoff) ?? new Date()).toISOString(), introNl: edition.intro_nl, introEn: edition.intro_en }, items, deps.settings.timeZone);
        const themes = await themeInfos(strapi);
        const editionThemes = new Set(items.flatMap((item) => item.themes));
        if (command === 'send-test') {
          const to = required(args, 'to');
          const locale = option(args, 'locale') === 'en' ? 'en' : 'nl';
          const rendered = await deps.render(buildVariantModel(text, items, themes, variantFor(locale, [], editionThemes)));
          const mail = readMailSettings();
          const sample = `${mail.publicUrl}/newsletter?lang=${locale}`;
          await deps.send(toSendGridRequest({ from: deps.settings.from, subject: `[Test] ${rendered.subject}`, html: rendered.html, text: rendered.text, recipients: [{ email: to, substitutions: { greeting: greetingFor(locale, null), unsubscribe_url: sample, preferences_url: sample, view_url: sample } }], categories: ['edition-test'] }));
          out({ sent: true, to, locale }, `test of edition ${edition.id} (${locale}) sent to ${to}`);
          return 0;
        }
        const dir = path.resolve(required(args, 'out'));
        fs.mkdirSync(dir, { recursive: true });
        const keys = new Set<string>();
        let lastId = 0;
        for (;;) {
          const page: Array<{ id: number; preferred_locale: string; themes: unknown }> = await db('subscribers').where('state', 'active').andWhere('id', '>', lastId).orderBy('id').limit(5000).select('id', 'preferred_locale', 'themes');
          if (page.length === 0) break;
          for (const row of page) keys.add(variantKey(variantFor(row.preferred_locale === 'en' ? 'en' : 'nl', parseJson<string[]>(row.themes, []), editionThemes)));
          lastId = page[page.length - 1].id;
        }
        if (keys.size === 0) keys.add('nl|');
        const files: string[] = [];
        for (const key of keys) {
          const [locale, selection] = key.split('|');
          const rendered = await deps.render(buildVariantModel(text, items, themes, { locale: locale === 'en' ? 'en' : 'nl', themes: selection ? selection.split(',') : [] }));
          const base = path.join(dir, `${locale}-${selection ? selection.replace(/,/g, '+') : 'all'}`);
          fs.writeFileSync(`${base}.html`, rendered.html);
          fs.writeFileSync(`${base}.txt`, rendered.text);
          files.push(`${base}.html`);
        }
        out({ variants: files.length, files }, `${files.length} variant(s) written:\n${files.join('\n')}`);
        return 0;
      }
      case 'send': {
        const edition = await findEdition(db, required(args, 'edition'));
        if (EDITABLE_EDITION_STATES.includes(edition.state)) {
          await db('editions').where({ id: edition.id }).whereIn('state', EDITABLE_EDITION_STATES).update({ state: 'scheduled', scheduled_at: new Date() });
          const redis = createRedis(readMailSettings().redisUrl, 'client');
          const queue = newsletterQueue(redis, readMailSettings().redisPrefix);
          await enqueuePlan(queue, edition.id, true);
          await queue.close();
          await redis.quit();
        } else if (!args.includes('--wait')) {
          throw new UsageError(`edition ${edition.id} is ${edition.state}; only a draft or scheduled edition can be sent`);
        }
        if (!args.includes('--wait')) {
          out({ id: edition.id, state: 'scheduled' }, `edition ${edition.id} queued for sending (a worker must be running)`);
          return 0;
        }
        const started = Date.now();
        for (;;) {
          const c = await counts(db, edition.id);
          const done = c.submitted + c.failed + c.suppressed + c.unknown;
          if (!json && process.stderr.isTTY !== undefined) process.stderr.write(`\r${progressBar(done, c.recipients)} ${done}/${c.recipients} [${c.state}] submitted ${c.submitted}, failed ${c.failed}, unknown ${c.unknown}   `);
          if (FINAL_EDITION_STATES.includes(c.state)) {
            if (!json) process.stderr.write('\n');
            out({ ...c, seconds: (Date.now() - started) / 1000 }, `edition ${c.id}: ${c.state} in ${((Date.now() - started) / 1000).toFixed(1)} s${c.notes ? `\n${c.notes}` : ''}`);
            return c.state === 'failed' ? 1 : 0;
          }
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
      case 'fake-subscribers': {
        const count = Number(required(args, 'count'));
        if (!Number.isInteger(count) || count < 1 || count > 5_000_000) throw new UsageError('--count must be a whole number from 1 to 5,000,000');
        const themes = (await themeInfos(strapi)).map((theme) => theme.slug);
        const made = await createFakeSubscribers(db, {
          count,
          localeMix: args.includes('--locale-mix'),
          themesRandom: args.includes('--themes-random'),
          themes,
          onProgress: (n) => !json && process.stderr.write(`\r${progressBar(n, count)} ${n}/${count}`),
        });
        if (!json) process.stderr.write('\n');
        out({ created: made }, `${made} synthetic active subscribers created`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } finally {
    await strapi.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof UsageError ? `usage: ${error.message}` : `newsletter: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
