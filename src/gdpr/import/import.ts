/**
 * The subscriber import (`npm run subscribers -- import`): a CSV file read as a stream, in chunks of
 * about a thousand rows. Per chunk: the rows decided (./rows.ts), the readers already in the list
 * looked up with one query, the new ones written in one transaction (../bulk-subscribers.ts), and
 * only after that commit the confirmation mails queued for the pending ones, so the worker finds
 * them. A dry run does everything but the writing and the mails. Nothing is kept per row once its
 * chunk is done but its address (for duplicates).
 */
import path from 'node:path';
import type { Knex } from 'knex';
import type { SubscriberState } from '../../core/domain/subscriber-state';
import { analyzeSubscribers, insertSubscribers, SUBSCRIBERS_TABLE, type NewSubscriber } from '../bulk-subscribers';
import { applyOverride, describeMapping, recogniseColumns, type FileKind, type MappingOverride } from './columns';
import { openImportFile, type ImportRow } from './csv-source';
import { decideRow, type ImportCandidate, type RowContext } from './rows';
import { countOutcome, NO_ROWS, SeenAddresses, settleRow, type ImportCounts, type RowOutcome } from './tally';

export { ImportFileError } from './csv-source';

export interface ImportDeps {
  db: Knex;
  /** The sign-up's IP hash (src/core/domain/ip-hash.ts with TOKEN_SECRET). */
  hashIp(ip: string): string;
  /** The sign-up's confirmation mail path, under its per-inbox limit. */
  queueConfirmations(subscribers: ReadonlyArray<{ documentId: string; email: string }>, requestedAt: string): Promise<{ queued: number; limited: number }>;
}

/** A row that was not imported as asked, with the reason in plain words (for the screen and `--report`). */
export interface RefusedRow {
  row: number;
  email: string;
  kind: 'invalid' | 'duplicate' | 'suppressed';
  reason: string;
}

export interface ImportOptions {
  file: string;
  dryRun: boolean;
  mapping?: MappingOverride;
  chunkSize?: number;
  now?: Date;
  /** Once the columns are known, before any row: what the import will read. */
  onColumns?(columns: { kind: FileKind; headers: string[]; mapping: string; separator: string }): void;
  onRefused?(refused: RefusedRow): void;
  onProgress?(rowsDone: number): void;
}

export interface ImportResult {
  counts: ImportCounts;
  kind: FileKind;
  /** New readers imported as unsubscribed or bounced (in `new`, not mailed). */
  suppressedNew: number;
  mails: { queued: number; limited: number };
}

/** A mapping an editor must correct (`--map`): exit 2, as wrong usage. */
export class ImportMappingError extends Error {}

const DEFAULT_CHUNK = 1000;

export async function importSubscribers(deps: ImportDeps, options: ImportOptions): Promise<ImportResult> {
  const now = options.now ?? new Date();
  const file = await openImportFile(options.file);
  const recognised = recogniseColumns(file.headers);
  const mapped = applyOverride(file.headers, recognised.mapping, options.mapping ?? {});
  if (!mapped.ok) throw new ImportMappingError(mapped.error);
  options.onColumns?.({ kind: recognised.kind, headers: file.headers, mapping: describeMapping(file.headers, mapped.mapping), separator: file.separator });

  const context: RowContext = {
    kind: recognised.kind,
    mapping: mapped.mapping,
    columns: file.headers.length,
    knownThemes: await publishedThemeSlugs(deps.db),
    fileName: path.basename(options.file),
    hashIp: deps.hashIp,
    now,
  };
  const counts: ImportCounts = { ...NO_ROWS };
  const result: ImportResult = { counts, kind: recognised.kind, suppressedNew: 0, mails: { queued: 0, limited: 0 } };
  const seen = new SeenAddresses();

  for await (const chunk of file.chunks(options.chunkSize ?? DEFAULT_CHUNK)) {
    const outcomes = await importChunk(deps, chunk, context, seen, options.dryRun, now, result);
    chunk.forEach((row, index) => {
      const outcome = outcomes[index];
      countOutcome(counts, outcome.outcome);
      if (outcome.outcome.kind === 'new' && (outcome.outcome.state === 'unsubscribed' || outcome.outcome.state === 'bounced')) result.suppressedNew += 1;
      if (outcome.outcome.kind === 'invalid' || outcome.outcome.kind === 'duplicate' || outcome.outcome.kind === 'suppressed')
        options.onRefused?.({ row: row.row, email: outcome.email, kind: outcome.outcome.kind, reason: outcome.outcome.reason });
    });
    options.onProgress?.(counts.rows);
  }
  if (!options.dryRun && counts.new > 0) await analyzeSubscribers(deps.db);
  return result;
}

interface ChunkOutcome {
  email: string;
  outcome: RowOutcome;
}

async function importChunk(
  deps: ImportDeps,
  chunk: ImportRow[],
  context: RowContext,
  seen: SeenAddresses,
  dryRun: boolean,
  now: Date,
  result: ImportResult,
): Promise<ChunkOutcome[]> {
  const outcomes: ChunkOutcome[] = [];
  const candidates: Array<{ index: number; candidate: ImportCandidate }> = [];
  for (const row of chunk) {
    const decision = decideRow(row.fields, context);
    if (!decision.ok) {
      outcomes.push({ email: decision.email, outcome: { kind: 'invalid', reason: decision.reason } });
      continue;
    }
    const earlier = seen.check(decision.candidate.email, row.row);
    if (earlier !== undefined) {
      outcomes.push({ email: decision.candidate.email, outcome: { kind: 'duplicate', reason: `the same address as row ${earlier}` } });
      continue;
    }
    candidates.push({ index: outcomes.length, candidate: decision.candidate });
    outcomes.push({ email: decision.candidate.email, outcome: { kind: 'known' } });
  }
  if (candidates.length === 0) return outcomes;

  const settle = async (db: Knex) => {
    const existing = await knownStates(
      db,
      candidates.map(({ candidate }) => candidate.email),
    );
    for (const { index, candidate } of candidates) outcomes[index].outcome = settleRow(candidate, existing.get(candidate.email));
    return candidates.filter(({ index }) => outcomes[index].outcome.kind === 'new').map(({ candidate }) => candidate);
  };
  if (dryRun) {
    await settle(deps.db);
    return outcomes;
  }

  let pending: Array<{ documentId: string; email: string }> = [];
  const write = () =>
    deps.db.transaction(async (trx) => {
      const created = await settle(trx);
      const inserted = await insertSubscribers(
        trx,
        created.map((candidate) => toNewSubscriber(candidate, context.fileName)),
        now,
      );
      const pendingEmails = new Set(created.filter((candidate) => candidate.intent === 'pending').map((candidate) => candidate.email));
      pending = inserted.filter((subscriber) => pendingEmails.has(subscriber.email));
    });
  try {
    await write();
  } catch (error) {
    // Someone signed up with one of these addresses between our look-up and our insert: the unique
    // index refused the chunk whole; look again (that reader is now known) and write the rest.
    if (!isUniqueViolation(error)) throw error;
    await write();
  }
  const mails = await deps.queueConfirmations(pending, now.toISOString());
  result.mails.queued += mails.queued;
  result.mails.limited += mails.limited;
  return outcomes;
}

async function knownStates(db: Knex, emails: string[]): Promise<Map<string, SubscriberState>> {
  const rows: Array<{ email: string; state: SubscriberState }> = await db(SUBSCRIBERS_TABLE).whereIn('email', emails).select('email', 'state');
  return new Map(rows.map((row) => [row.email, row.state]));
}

function toNewSubscriber(candidate: ImportCandidate, fileName: string): NewSubscriber {
  const base = { email: candidate.email, name: candidate.name, preferredLocale: candidate.locale, themes: candidate.themes };
  switch (candidate.intent) {
    case 'active':
      return { ...base, state: 'active', confirmedAt: candidate.consent!.givenAt, consent: candidate.consent };
    case 'pending':
      return { ...base, state: 'pending' };
    case 'unsubscribed':
      return { ...base, state: 'unsubscribed', unsubscribedAt: candidate.suppressedAt };
    case 'bounced':
      return {
        ...base,
        state: 'bounced',
        suppressedAt: candidate.suppressedAt,
        suppressionReason: `marked cleaned or invalid in the imported file ${fileName}`,
      };
  }
}

/** The theme slugs a row may name: the published themes, as the sign-up form accepts them. */
async function publishedThemeSlugs(db: Knex): Promise<Set<string>> {
  const rows: Array<{ slug: string }> = await db('themes').whereNotNull('published_at').distinct('slug');
  return new Set(rows.map((row) => row.slug).filter(Boolean));
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
