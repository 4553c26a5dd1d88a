/**
 * The subscribers command line's commands (import, export; see subscribers-args.ts), run against a
 * loaded Strapi: the entry (subscribers.ts) loads one, tests run them against theirs. Answers go to
 * `io.stdout` (with --json the last line is the JSON answer), progress and reasons to `io.stderr`.
 * The exit code: 0 done, 1 failed, 2 wrong usage.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { hashIp } from '../../core/domain/ip-hash';
import { RateLimiter } from '../../core/infra/rate-limiter';
import { createRedis } from '../../core/infra/redis';
import { importSubscribers, ImportFileError, ImportMappingError, type ImportDeps, type RefusedRow } from '../../gdpr/import/import';
import { describeCounts } from '../../gdpr/import/tally';
import { refusedRowsReport } from '../../gdpr/import/refused-report';
import { exportSubscriberList } from '../../gdpr/list-export';
import { createMailQueue } from '../../mail/mail-queue';
import { readMailSettings } from '../../settings/mail';
import { readSecret } from '../../settings/secrets';
import { queueConfirmationMails } from '../../site/subscription/request-handler';
import type { CommandOutput } from './mailings-commands';
import { parseSubscribersArgs, SUBSCRIBERS_USAGE, type SubscribersCommand } from './subscribers-args';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
/** Progress lines when stderr is not a terminal (a log, a test): one per this many rows. */
const PROGRESS_EVERY = 10_000;

export async function runSubscribersCommand(strapi: Core.Strapi, argv: string[], io: CommandOutput): Promise<number> {
  const parsed = parseSubscribersArgs(argv);
  if (!parsed.ok) {
    io.stderr(`subscribers: ${parsed.error}\n\n${SUBSCRIBERS_USAGE}\n`);
    return EXIT_USAGE;
  }
  const command = parsed.value;
  if (command.command === 'help') {
    io.stdout(`${SUBSCRIBERS_USAGE}\n`);
    return EXIT_OK;
  }
  try {
    return command.command === 'import' ? await runImport(strapi, command, io) : await runExport(strapi, command, io);
  } catch (error) {
    if (error instanceof ImportMappingError) {
      io.stderr(`subscribers: ${error.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`subscribers: ${error instanceof ImportFileError ? '' : 'failed: '}${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILED;
  }
}

async function runImport(strapi: Core.Strapi, command: Extract<SubscribersCommand, { command: 'import' }>, io: CommandOutput): Promise<number> {
  const db = strapi.db.connection as unknown as Knex;
  const tokenSecret = readSecret('TOKEN_SECRET');
  const report = command.report ? openReport(command.report) : undefined;
  // Redis only for what a real import sends: a dry run mails nobody.
  const mail = command.dryRun ? undefined : mailPath(tokenSecret);
  const deps: ImportDeps = {
    db,
    hashIp: (ip) => hashIp(ip, tokenSecret),
    queueConfirmations: mail ? mail.queue : async () => ({ queued: 0, limited: 0 }),
  };
  const line = (text: string) => io.stdout(`${text}\n`);
  let lastProgress = 0;
  try {
    const result = await importSubscribers(deps, {
      file: command.file,
      dryRun: command.dryRun,
      mapping: command.mapping,
      onColumns: ({ kind, mapping, separator }) =>
        io.stderr(
          `subscribers: ${path.basename(command.file)} read as ${KIND_NAMES[kind]}, separator "${separator === '\t' ? 'tab' : separator}"; columns: ${mapping}\n`,
        ),
      onRefused: (refused: RefusedRow) => {
        report?.write(refused);
        line(
          command.json
            ? JSON.stringify({ ...refused, reason: refused.reason.en })
            : `row ${refused.row}${refused.email ? ` (${refused.email})` : ''}: ${refused.kind}: ${refused.reason.en}`,
        );
      },
      onProgress: (done) => {
        if (io.terminal) io.stderr(`\rsubscribers: ${done.toLocaleString('en')} rows done`);
        else if (done - lastProgress >= PROGRESS_EVERY) {
          lastProgress = done;
          io.stderr(`subscribers: ${done} rows done\n`);
        }
      },
    });
    if (io.terminal) io.stderr('\n');
    const { counts } = result;
    if (command.json) line(JSON.stringify(counts));
    else {
      line(`${command.dryRun ? 'dry run, nothing written or mailed: ' : ''}${describeCounts(counts)}`);
      if (result.suppressedNew > 0) line(`${result.suppressedNew} of the new were marked unsubscribed or cleaned in the file: stored as such, never mailed`);
      if (!command.dryRun) {
        line(`confirmation mails queued: ${result.mails.queued}`);
        if (result.mails.limited > 0)
          line(
            `${result.mails.limited} pending reader(s) got no confirmation mail now: their inbox reached the day's limit; they can ask again on the sign-up page`,
          );
      }
    }
    return EXIT_OK;
  } finally {
    await report?.close();
    await mail?.close();
  }
}

const KIND_NAMES = { mailchimp: 'a Mailchimp audience export', laposta: 'a Laposta export', plain: 'a plain list', other: 'a list' } as const;

async function runExport(strapi: Core.Strapi, command: Extract<SubscribersCommand, { command: 'export' }>, io: CommandOutput): Promise<number> {
  const db = strapi.db.connection as unknown as Knex;
  const out = path.resolve(command.out);
  const filter = {
    ...(command.state ? { state: command.state } : {}),
    ...(command.locale ? { locale: command.locale } : {}),
    ...(command.theme ? { theme: command.theme } : {}),
  };
  const result = await exportSubscriberList(db, {
    out,
    filter,
    exportedBy: `cli:${osUser()}`,
    onProgress: (rows) => io.terminal && io.stderr(`\rsubscribers: ${rows.toLocaleString('en')} rows written`),
  });
  if (io.terminal) io.stderr('\n');
  io.stdout(
    `${command.json ? JSON.stringify({ rows: result.rows, file: out, filter }) : `exported ${result.rows} subscriber(s) to ${out} (logged as export ${result.logId})`}\n`,
  );
  return EXIT_OK;
}

function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** The sign-up's confirmation path on a connection of its own, closed after the import. */
function mailPath(tokenSecret: string) {
  const settings = readMailSettings();
  const redis = createRedis(settings.redisUrl, 'client');
  const mailQueue = createMailQueue(redis, settings.redisPrefix);
  const limiter = new RateLimiter(redis, settings.redisPrefix, tokenSecret);
  return {
    queue: (subscribers: ReadonlyArray<{ documentId: string; email: string }>, requestedAt: string) =>
      queueConfirmationMails({ limiter, mailQueue, limits: settings.limits }, subscribers, requestedAt),
    async close() {
      await mailQueue.close();
      await redis.quit();
    },
  };
}

/** The refused rows as CSV in a file readable by its owner only (it names addresses). */
function openReport(file: string) {
  return refusedRowsReport(fs.createWriteStream(path.resolve(file), { mode: 0o600 }), 'en');
}
