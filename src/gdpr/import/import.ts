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
import { applyOverride, describeMapping, mappedHeaders, recogniseColumns, type FileKind, type MappingOverride } from './columns';
import { openImportFile, type ImportRow } from './csv-source';
import { decideRow, type ImportCandidate, type Reason, type RowContext } from './rows';
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
  reason: Reason;
}

export interface ImportOptions {
  file: string;
  /** The name the consent records carry (source `import`, this file); default the file's own name. An upload's temporary file has a meaningless one. */
  fileName?: string;
  dryRun: boolean;
  mapping?: MappingOverride;
  chunkSize?: number;
  now?: Date;
  /** Once the columns are known, before any row: what the import will read. */
  onColumns?(columns: { kind: FileKind; headers: string[]; mapping: string; fields: MappingOverride; separator: string }): void;
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
  options.onColumns?.({
    kind: recognised.kind,
    headers: file.headers,
    mapping: describeMapping(file.headers, mapped.mapping),
    fields: mappedHeaders(file.headers, mapped.mapping),
    separator: file.separator,
  });

  const context: RowContext = {
    kind: recognised.kind,
    mapping: mapped.mapping,
    columns: file.headers.length,
    knownThemes: await publishedThemeSlugs(deps.db),
    fileName: options.fileName ?? path.basename(options.file),
    hashIp: deps.hashIp,
    now,
  };
  const counts: ImportCounts = { ...NO_ROWS };
  const result: ImportResult = { counts, kind: recognised.kind, suppressedNew: 0, mails: { queued: 0, limited: 0 } };
  const seen = new SeenAddresses();

  // The next chunk is read and decided while this one waits for the database, and a chunk's
  // confirmation mails are queued while the next one is written: the database, Redis and this
  // process work at once. Mails follow their chunk's commit, in order; those of chunks already
  // committed are still queued when a later chunk fails.
  async function* decided() {
    for await (const chunk of file.chunks(options.chunkSize ?? DEFAULT_CHUNK)) yield decideChunk(chunk, context, seen);
  }
  const chunks = decided();
  let next = chunks.next();
  let mailing: Promise<void> = Promise.resolve();
  let mailError: unknown;
  try {
    for (;;) {
      const current = await next;
      if (current.done) break;
      next = chunks.next();
      // Awaited at the top of the loop; this only keeps a failure there from counting as unhandled meanwhile.
      next.catch(() => undefined);
      const { rows, outcomes, candidates } = current.value;
      const pending = await writeChunk(deps, outcomes, candidates, context.fileName, options.dryRun, now);
      if (pending.length > 0)
        mailing = mailing.then(async () => {
          if (mailError !== undefined) return;
          try {
            const mails = await deps.queueConfirmations(pending, now.toISOString());
            result.mails.queued += mails.queued;
            result.mails.limited += mails.limited;
          } catch (error) {
            mailError = error;
          }
        });
      rows.forEach((row, index) => {
        const outcome = outcomes[index];
        countOutcome(counts, outcome.outcome);
        if (outcome.outcome.kind === 'new' && (outcome.outcome.state === 'unsubscribed' || outcome.outcome.state === 'bounced')) result.suppressedNew += 1;
        if (outcome.outcome.kind === 'invalid' || outcome.outcome.kind === 'duplicate' || outcome.outcome.kind === 'suppressed')
          options.onRefused?.({ row: row.row, email: outcome.email, kind: outcome.outcome.kind, reason: outcome.outcome.reason });
      });
      options.onProgress?.(counts.rows);
    }
  } finally {
    await mailing;
    await chunks.return(undefined).catch(() => undefined);
  }
  if (mailError !== undefined) throw mailError;
  if (!options.dryRun && counts.new > 0) await analyzeSubscribers(deps.db);
  return result;
}

interface ChunkOutcome {
  email: string;
  outcome: RowOutcome;
}

interface DecidedChunk {
  rows: ImportRow[];
  outcomes: ChunkOutcome[];
  /** The valid rows not seen before in the file, by their place in `outcomes`. */
  candidates: Array<{ index: number; candidate: ImportCandidate }>;
}

/** What each row asks for, before the database is asked who is known (duplicates are the file's own business). */
function decideChunk(rows: ImportRow[], context: RowContext, seen: SeenAddresses): DecidedChunk {
  const outcomes: ChunkOutcome[] = [];
  const candidates: DecidedChunk['candidates'] = [];
  for (const row of rows) {
    const decision = decideRow(row.fields, context);
    if (!decision.ok) {
      outcomes.push({ email: decision.email, outcome: { kind: 'invalid', reason: decision.reason } });
      continue;
    }
    const earlier = seen.check(decision.candidate.email, row.row);
    if (earlier !== undefined) {
      outcomes.push({
        email: decision.candidate.email,
        outcome: { kind: 'duplicate', reason: { en: `the same address as row ${earlier}`, nl: `hetzelfde adres als rij ${earlier}` } },
      });
      continue;
    }
    candidates.push({ index: outcomes.length, candidate: decision.candidate });
    outcomes.push({ email: decision.candidate.email, outcome: { kind: 'known' } });
  }
  return { rows, outcomes, candidates };
}

/** Settles the candidates against the list (one query) and writes the new ones (one transaction); the pending readers it created. */
async function writeChunk(
  deps: ImportDeps,
  outcomes: ChunkOutcome[],
  candidates: DecidedChunk['candidates'],
  fileName: string,
  dryRun: boolean,
  now: Date,
): Promise<Array<{ documentId: string; email: string }>> {
  if (candidates.length === 0) return [];
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
    return [];
  }

  let pending: Array<{ documentId: string; email: string }> = [];
  const write = () =>
    deps.db.transaction(async (trx) => {
      const created = await settle(trx);
      const inserted = await insertSubscribers(
        trx,
        created.map((candidate) => toNewSubscriber(candidate, fileName)),
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
  return pending;
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
