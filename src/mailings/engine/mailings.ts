import type { Knex } from 'knex';
import type { SendingEngine } from './engine';
import { MAILING_KINDS, type MailingKind, type MailingRef } from './mailing';
import { MailingRefusal } from './refusal';

/**
 * What the command line (and anyone else) reads of mailings of every kind: find one by its numeric
 * id or document id, report its state and counts with its note, list them all.
 */
const TABLES: Record<MailingKind, string> = { edition: 'editions', campaign: 'campaigns' };

export async function findMailing(db: Knex, kind: MailingKind, idOrDocumentId: string): Promise<MailingRef> {
  const row = (await db(TABLES[kind])
    .where(/^\d+$/.test(idOrDocumentId) ? { id: Number(idOrDocumentId) } : { document_id: idOrDocumentId })
    .first('id')) as { id: number } | undefined;
  if (!row) throw new MailingRefusal('missing', `no ${kind} ${idOrDocumentId}`);
  return { kind, id: row.id };
}

export async function mailingReport(engine: SendingEngine, db: Knex, ref: MailingRef) {
  const status = await engine.status(ref);
  if (!status) throw new MailingRefusal('missing', `no ${ref.kind} ${ref.id}`);
  const notes = ((await db(TABLES[ref.kind]).where({ id: ref.id }).first('notes')) as { notes: string | null } | undefined)?.notes ?? null;
  const { opens, machineOpens, clicks, ...delivery } = status.statistics;
  return {
    kind: ref.kind,
    id: ref.id,
    documentId: status.mailing.documentId,
    title: status.mailing.title,
    state: status.mailing.state,
    sendAt: status.mailing.sendAt?.toISOString() ?? null,
    ...status.counts,
    // SendGrid's events, once per reader; opens and clicks only exist for a mailing that tracked them.
    ...delivery,
    trackEngagement: status.mailing.trackEngagement,
    ...(status.mailing.trackEngagement ? { opens, machineOpens, clicks } : {}),
    awaitingResolution: status.awaitingResolution.map((batch) => ({
      batchNo: batch.batchNo,
      recipients: batch.recipients,
      since: new Date(batch.since).toISOString(),
    })),
    notes,
  };
}

export type MailingReport = Awaited<ReturnType<typeof mailingReport>>;

/** Every edition and campaign, newest first per kind. */
export async function listMailings(engine: SendingEngine, db: Knex): Promise<MailingReport[]> {
  const reports: MailingReport[] = [];
  for (const kind of MAILING_KINDS) {
    const rows = (await db(TABLES[kind]).orderBy('id', 'desc').select('id')) as Array<{ id: number }>;
    for (const row of rows) reports.push(await mailingReport(engine, db, { kind, id: row.id }));
  }
  return reports;
}
