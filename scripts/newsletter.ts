/**
 * `npm run newsletter -- <command>`: the monthly edition from the command line.
 *   assemble [--now]                       assemble an edition now (--now: no review window, due at once)
 *   preview --edition <id> --out <dir>     one HTML (+ text) file per variant among current subscribers
 *   send-test --edition <id> --to <addr>   send one variant to one address ([Test] in the subject)
 *   send --edition <id> [--at ISO] [--wait] schedule (default: now); --wait shows progress and exits 0 only on a final state
 *   cancel --edition <id>                  cancel: scheduled -> cancelled; sending -> no further batch, ends cancelled
 *   status --edition <id>                  state and counts
 *   fake-subscribers --count N [--locale-mix] [--themes-random]
 * Every command takes --json for machine-readable output. <id> is the numeric id or the document id.
 * Refusals (a send time in the past, an audience without recipients, a mailing already sent) exit 2.
 */
import type { Knex } from 'knex';
import { readMailSettings } from '../src/config/mail';
import { createJsonLogger } from '../src/infra/log';
import { createRedis } from '../src/infra/redis';
import { themeInfos } from '../src/newsletter/content';
import { editionRef, type EditionRow } from '../src/newsletter/deps';
import { assembleEdition } from '../src/newsletter/assemble';
import { createFakeSubscribers } from '../src/newsletter/fake-subscribers';
import { previewEdition, sendTestEdition } from '../src/newsletter/preview';
import { createNewsletterDeps } from '../src/newsletter/runtime';
import type { SendingEngine } from '../src/sending/engine';
import type { MailingRef } from '../src/sending/mailing';
import { FINAL_MAILING_STATES } from '../src/sending/mailing-state';
import { enqueuePlan, sendingQueue } from '../src/sending/queue';
import { MailingRefusal } from '../src/sending/refusal';
import { loadStrapi } from './lib/strapi-app';
import path from 'node:path';

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

async function report(engine: SendingEngine, ref: MailingRef, db: Knex) {
  const status = (await engine.status(ref))!;
  const notes = ((await db(ref.kind === 'edition' ? 'editions' : 'campaigns').where({ id: ref.id }).first('notes')) as { notes: string | null } | undefined)?.notes ?? null;
  return { kind: ref.kind, id: ref.id, documentId: status.mailing.documentId, title: status.mailing.title, state: status.mailing.state, ...status.counts, notes };
}

const describeCounts = (c: Awaited<ReturnType<typeof report>>) =>
  `recipients ${c.recipients}, queued ${c.queued}, submitted ${c.submitted}, failed ${c.failed}, suppressed ${c.suppressed}, unknown ${c.unknown}, cancelled (not sent) ${c.cancelled}`;

function progressBar(done: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}%`;
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  const json = args.includes('--json');
  const out = (value: Record<string, unknown>, human: string) => console.log(json ? JSON.stringify(value) : human);
  if (!command || command === '--help') throw new UsageError('commands: assemble, preview, send-test, send, cancel, status, fake-subscribers');
  if (command === 'fake-subscribers' && process.env.NODE_ENV === 'production') throw new UsageError('fake-subscribers refuses to run with NODE_ENV=production');

  const strapi = await loadStrapi({ compile: false, logLevel: 'error' });
  const deps = createNewsletterDeps(strapi, createJsonLogger('newsletter-cli', () => undefined));
  const { db, engine } = deps;
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
        const c = await report(engine, editionRef((await findEdition(db, required(args, 'edition'))).id), db);
        out(c, `${c.title} [${c.state}] ${describeCounts(c)}${c.notes ? `\n${c.notes}` : ''}`);
        return 0;
      }
      case 'preview': {
        const files = await previewEdition(deps, await findEdition(db, required(args, 'edition')), path.resolve(required(args, 'out')));
        out({ variants: files.length, files }, `${files.length} variant(s) written:\n${files.join('\n')}`);
        return 0;
      }
      case 'send-test': {
        const edition = await findEdition(db, required(args, 'edition'));
        const to = required(args, 'to');
        const locale = option(args, 'locale') === 'en' ? 'en' : 'nl';
        await sendTestEdition(deps, edition, to, locale);
        out({ sent: true, to, locale }, `test of edition ${edition.id} (${locale}) sent to ${to}`);
        return 0;
      }
      case 'cancel': {
        const ref = editionRef((await findEdition(db, required(args, 'edition'))).id);
        const result = await engine.cancel(ref);
        const c = await report(engine, ref, db);
        const human: Record<typeof result.outcome, string> = {
          cancelled: `edition ${ref.id} cancelled; nothing was sent`,
          stopping: `edition ${ref.id}: ${'batches' in result ? result.batches : 0} batch(es) stopped; batches in flight settle, then it ends cancelled`,
          'too-late': `edition ${ref.id}: every batch was already submitted or in flight; nothing left to stop`,
          final: `edition ${ref.id} is ${c.state}; nothing to cancel`,
          missing: `no edition ${ref.id}`,
        };
        out({ ...result, ...c }, `${human[result.outcome]}\n${describeCounts(c)}`);
        return result.outcome === 'final' || result.outcome === 'missing' ? 2 : 0;
      }
      case 'send': {
        const edition = await findEdition(db, required(args, 'edition'));
        const ref = editionRef(edition.id);
        const wait = args.includes('--wait');
        const at = option(args, 'at');
        if ((FINAL_MAILING_STATES as readonly string[]).includes(edition.state) || edition.state === 'skipped' || edition.state === 'sending') {
          if (!wait) throw new MailingRefusal('not-schedulable', `edition ${edition.id} is ${edition.state}; only a draft or scheduled edition can be sent`);
        } else {
          await engine.schedule(ref, at ? new Date(at) : new Date());
          const mail = readMailSettings();
          const redis = createRedis(mail.redisUrl, 'client');
          const queue = sendingQueue(redis, mail.redisPrefix);
          if (!at) await enqueuePlan(queue, ref, true);
          await queue.close();
          await redis.quit();
        }
        if (!wait) {
          out({ id: edition.id, state: 'scheduled', at: at ?? null }, at ? `edition ${edition.id} scheduled for ${new Date(at).toISOString()}` : `edition ${edition.id} queued for sending (a worker must be running)`);
          return 0;
        }
        const started = Date.now();
        for (;;) {
          const c = await report(engine, ref, db);
          const done = c.submitted + c.failed + c.suppressed + c.unknown + c.cancelled;
          if (!json && process.stderr.isTTY !== undefined) process.stderr.write(`\r${progressBar(done, c.recipients)} ${done}/${c.recipients} [${c.state}] submitted ${c.submitted}, failed ${c.failed}, unknown ${c.unknown}, cancelled ${c.cancelled}   `);
          if ((FINAL_MAILING_STATES as readonly string[]).includes(c.state) || c.state === 'skipped') {
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
    if (error instanceof MailingRefusal) {
      console.error(process.argv.includes('--json') ? JSON.stringify({ refused: error.code, message: error.message }) : `refused: ${error.message}`);
      process.exit(2);
    }
    console.error(error instanceof UsageError ? `usage: ${error.message}` : `newsletter: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
