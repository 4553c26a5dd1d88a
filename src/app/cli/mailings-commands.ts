/**
 * The mailings command line's commands (see mailings.ts for the list), run against a loaded Strapi:
 * the entry loads one, tests run them against theirs. What a command prints goes to `io`; its
 * answer is the exit code: 0 done, 1 failed, 2 refused or wrong usage, with the reason printed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createCampaign } from '../../mailings/campaign/create';
import { readMailSettings } from '../../settings/mail';
import { createJsonLogger } from '../../core/infra/log';
import { createRedis } from '../../core/infra/redis';
import { assembleEdition } from '../../mailings/edition/assemble';
import { themeInfos } from '../../mailings/edition/edition-content';
import { createFakeSubscribers } from '../../ops/fake-subscribers';
import { createMailingDeps } from '../mailing-deps';
import type { MailingRef, VariantPreview } from '../../mailings/engine/mailing';
import { sendTestMail } from '../../mailings/engine/test-send';
import { FINAL_MAILING_STATES } from '../../mailings/engine/mailing-state';
import { findMailing, listMailings, mailingReport, type MailingReport } from '../../mailings/engine/mailings';
import { enqueuePlan, sendingQueue } from '../../mailings/engine/queue';
import { MailingRefusal, isMailingRefusal } from '../../mailings/engine/refusal';
import { sendMailing } from '../../mailings/engine/send-mailing';
import { mailingItemClicks } from '../../site/counts/store';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

export class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  const value = index >= 0 ? args[index + 1] : undefined;
  return value === undefined || value.startsWith('--') ? undefined : value;
}

function required(args: string[], name: string): string {
  const value = option(args, name);
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

/** `--campaign <id>` or `--edition <id>`. */
function target(db: Knex, args: string[]): Promise<MailingRef> {
  const campaign = option(args, 'campaign');
  if (campaign) return findMailing(db, 'campaign', campaign);
  const edition = option(args, 'edition');
  if (edition) return findMailing(db, 'edition', edition);
  throw new UsageError('--edition <id> or --campaign <id> is required');
}

const name = (ref: MailingRef) => `${ref.kind} ${ref.id}`;
const isFinal = (state: string) => (FINAL_MAILING_STATES as readonly string[]).includes(state) || state === 'skipped';

const describeCounts = (c: MailingReport) =>
  `recipients ${c.recipients}, queued ${c.queued}, submitted ${c.submitted}, failed ${c.failed}, suppressed ${c.suppressed}, unknown ${c.unknown}, cancelled (not sent) ${c.cancelled}` +
  `; SendGrid reported: delivered ${c.delivered}, deferred ${c.deferred}, bounced ${c.bounced}, dropped ${c.dropped}, spam reports ${c.spamReports}, unsubscribes ${c.unsubscribes}` +
  (c.trackEngagement ? `, opens ${c.opens ?? 0} (estimate; machine opens ${c.machineOpens ?? 0} apart), clicks ${c.clicks ?? 0}` : '') +
  (c.awaitingResolution.length > 0 ? `; awaiting SendGrid's events: batch(es) ${c.awaitingResolution.map((batch) => batch.batchNo).join(', ')}` : '');

function progressBar(done: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}%`;
}

/** One HTML and one text file per variant; returns the HTML files' paths. */
function writePreviewFiles(variants: VariantPreview[], dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return variants.map(({ fileName, rendered }) => {
    const base = path.join(dir, fileName);
    fs.writeFileSync(`${base}.html`, rendered.html);
    fs.writeFileSync(`${base}.txt`, rendered.text);
    return `${base}.html`;
  });
}

/** Where a command's output goes: answers to stdout, reasons and progress to stderr. */
export interface CommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stderr is a terminal: progress bars are drawn only there. */
  readonly terminal: boolean;
}

/** Refuses wrong usage before anything is loaded (`--help` needs no database). */
export function checkUsage(argv: string[]): void {
  const [command, ...args] = argv;
  if (!command || command === '--help')
    throw new UsageError('commands: list, assemble, campaign create, preview, send-test, send, cancel, status, fake-subscribers');
  if (command === 'fake-subscribers' && process.env.NODE_ENV === 'production') throw new UsageError('fake-subscribers refuses to run with NODE_ENV=production');
  if (command === 'campaign' && args[0] !== 'create')
    throw new UsageError('campaign create --title T --feature SLUG[,SLUG...] [--themes SLUG,...] [--locale nl|en] [--send-at ISO]');
}

/** Runs one command; its exit code, with a refusal's or an error's reason written to `io`. */
export async function runMailingsCommand(strapi: Core.Strapi, argv: string[], io: CommandOutput): Promise<number> {
  try {
    checkUsage(argv);
    return await runCommand(strapi, argv, io);
  } catch (error) {
    if (error instanceof MailingRefusal) {
      io.stderr(`${argv.includes('--json') ? JSON.stringify({ refused: error.code, message: error.message }) : `refused: ${error.message}`}\n`);
      return 2;
    }
    io.stderr(`${error instanceof UsageError ? `usage: ${error.message}` : `newsletter: ${error instanceof Error ? error.message : String(error)}`}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

async function runCommand(strapi: Core.Strapi, argv: string[], io: CommandOutput): Promise<number> {
  const [command, ...args] = argv;
  const json = args.includes('--json');
  const out = (value: Record<string, unknown>, human: string) => io.stdout(`${json ? JSON.stringify(value) : human}\n`);
  const deps = createMailingDeps(
    strapi,
    createJsonLogger('newsletter-cli', () => undefined),
  );
  const { db, engine } = deps;
  switch (command) {
    case 'list': {
      const mailings = await listMailings(engine, db);
      out(
        { mailings },
        mailings.map((c) => `${c.kind} ${c.id} (${c.documentId}) ${c.title} [${c.state}] ${describeCounts(c)}`).join('\n') || 'no editions or campaigns',
      );
      return 0;
    }
    case 'assemble': {
      const now = new Date();
      const result = await assembleEdition(deps, { now, periodKey: `manual:${now.toISOString()}` });
      if (args.includes('--now') && result.state === 'scheduled') await db('editions').where({ id: result.editionId }).update({ scheduled_at: now });
      out(
        { id: result.editionId, documentId: result.documentId, state: result.state, items: result.items },
        `edition ${result.editionId} (${result.documentId}): ${result.state}, ${result.items} item(s)`,
      );
      return 0;
    }
    case 'campaign': {
      const sendAt = option(args, 'send-at');
      const at = sendAt ? new Date(sendAt) : null;
      if (at && Number.isNaN(at.getTime())) throw new UsageError('--send-at must be an ISO date and time, e.g. 2027-01-12T09:00:00+01:00');
      if (at && at.getTime() < Date.now())
        throw new MailingRefusal('in-the-past', `the send time ${at.toISOString()} is in the past; choose a time from now on`);
      const created = await createCampaign(strapi, {
        title: required(args, 'title'),
        features: list(required(args, 'feature')),
        themes: list(option(args, 'themes')),
        locale: option(args, 'locale') ?? null,
      });
      const ref: MailingRef = { kind: 'campaign', id: created.id };
      if (at) {
        try {
          await engine.schedule(ref, at);
        } catch (error) {
          if (!isMailingRefusal(error)) throw error;
          throw new MailingRefusal(error.code, `campaign ${created.id} (${created.documentId}) was created as a draft but not scheduled: ${error.message}`);
        }
      }
      out(
        { ...created, state: at ? 'scheduled' : 'draft', sendAt: at?.toISOString() ?? null },
        `campaign ${created.id} (${created.documentId}) created${at ? `, scheduled for ${at.toISOString()}` : ' as a draft'}`,
      );
      return 0;
    }
    case 'status': {
      const ref = await target(db, args);
      const c = await mailingReport(engine, db, ref);
      // Item counts (src/site/counts/): how often each item was opened from this mailing, no reader.
      const itemClicks = (await mailingItemClicks(db, ref, deps.settings.siteUrl)).map(({ title, url, clicks }) => ({ title, url, clicks }));
      const clicksText = itemClicks.map((item) => `\n  ${item.clicks}  ${item.title}${item.url ? ` (${item.url})` : ''}`).join('');
      out(
        { ...c, itemClicks },
        `${c.title} [${c.state}] ${describeCounts(c)}${c.notes ? `\n${c.notes}` : ''}${itemClicks.length ? `\nitems opened:${clicksText}` : ''}`,
      );
      return 0;
    }
    case 'preview': {
      const ref = await target(db, args);
      const dir = path.resolve(required(args, 'out'));
      const files = writePreviewFiles(await deps.producer(ref.kind).previewVariants(ref), dir);
      out({ variants: files.length, files }, `${files.length} variant(s) written:\n${files.join('\n')}`);
      return 0;
    }
    case 'send-test': {
      const ref = await target(db, args);
      const to = required(args, 'to');
      const locale = option(args, 'locale') === 'en' ? 'en' : 'nl';
      await sendTestMail(deps, await deps.producer(ref.kind).testMail(ref, locale), to, locale, ref.kind);
      out({ sent: true, to, locale }, `test of ${name(ref)} (${locale}) sent to ${to}`);
      return 0;
    }
    case 'cancel': {
      const ref = await target(db, args);
      const result = await engine.cancel(ref);
      const c = await mailingReport(engine, db, ref);
      const human: Record<typeof result.outcome, string> = {
        cancelled: `${name(ref)} cancelled; nothing was sent`,
        stopping: `${name(ref)}: ${'batches' in result ? result.batches : 0} batch(es) stopped; batches in flight settle, then it ends cancelled`,
        'too-late': `${name(ref)}: every batch was already submitted or in flight; nothing left to stop`,
        final: `${name(ref)} is ${c.state}; nothing to cancel`,
        missing: `no ${name(ref)}`,
      };
      out({ ...result, ...c }, `${human[result.outcome]}\n${describeCounts(c)}`);
      return result.outcome === 'final' || result.outcome === 'missing' ? 2 : 0;
    }
    case 'send': {
      const ref = await target(db, args);
      const { state } = await mailingReport(engine, db, ref);
      const wait = args.includes('--wait');
      const at = option(args, 'at');
      if (isFinal(state) || state === 'sending') {
        if (!wait) throw new MailingRefusal('not-schedulable', `${name(ref)} is ${state}; only a draft or scheduled ${ref.kind} can be sent`);
      } else {
        const mail = readMailSettings();
        const redis = createRedis(mail.redisUrl, 'client');
        const queue = sendingQueue(redis, mail.redisPrefix);
        try {
          await sendMailing({ engine, enqueuePlan: (mailing) => enqueuePlan(queue, mailing, true) }, ref, at ? new Date(at) : undefined);
        } finally {
          await queue.close();
          await redis.quit();
        }
      }
      if (!wait) {
        out(
          { kind: ref.kind, id: ref.id, state: 'scheduled', at: at ?? null },
          at ? `${name(ref)} scheduled for ${new Date(at).toISOString()}` : `${name(ref)} queued for sending (a worker must be running)`,
        );
        return 0;
      }
      const started = Date.now();
      for (;;) {
        const c = await mailingReport(engine, db, ref);
        const done = c.submitted + c.failed + c.suppressed + c.unknown + c.cancelled;
        if (!json && io.terminal)
          io.stderr(
            `\r${progressBar(done, c.recipients)} ${done}/${c.recipients} [${c.state}] submitted ${c.submitted}, failed ${c.failed}, unknown ${c.unknown}, cancelled ${c.cancelled}   `,
          );
        if (isFinal(c.state)) {
          if (!json) io.stderr('\n');
          out(
            { ...c, seconds: (Date.now() - started) / 1000 },
            `${name(ref)}: ${c.state} in ${((Date.now() - started) / 1000).toFixed(1)} s${c.notes ? `\n${c.notes}` : ''}`,
          );
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
        onProgress: (n) => !json && io.stderr(`\r${progressBar(n, count)} ${n}/${count}`),
      });
      if (!json) io.stderr('\n');
      out({ created: made }, `${made} synthetic active subscribers created`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}
