import { toDate } from '../engine/values';
import { editionTitle, itemKey, selectEditionItems } from './assembly';
import { publishedCandidates } from './edition-content';
import { asInternalWrite } from '../engine/internal-write';
import { EDITION_UID, entriesFor, readEditionItems, readItemsOfEditions } from './edition-items';
import type { MailingDeps } from '../engine/mailing-deps';
import type { EditionState } from './edition-state';

export type AssembleResult = { editionId: number; documentId: string; state: EditionState; items: number; created: boolean };

/**
 * Creates the edition for one period (idempotent per period key: a second call, from another
 * worker or a retried job, returns the existing edition). Empty periods become `skipped` editions,
 * so editors see that nothing was sent and why.
 */
export async function assembleEdition(
  deps: Pick<MailingDeps, 'db' | 'strapi' | 'settings' | 'log'>,
  options: { now: Date; periodKey: string },
): Promise<AssembleResult> {
  const { db, strapi } = deps;
  const existing = await db('editions').where({ period_key: options.periodKey }).first('id', 'document_id', 'state');
  if (existing)
    return {
      editionId: existing.id,
      documentId: existing.document_id,
      state: existing.state,
      items: (await readEditionItems(strapi, existing.id)).length,
      created: false,
    };

  // An edition cancelled before anyone got it does not move the window on: what it held goes into the
  // next one. One cancelled mid-send reached some readers: sending its items again would give them
  // those twice, so it counts as sent (nobody twice; the others miss those items).
  const counted = await readItemsOfEditions(strapi, { $or: [{ state: { $ne: 'cancelled' } }, { submittedCount: { $gt: 0 } }] });
  const previousCutoff =
    counted
      .map((row) => toDate(row.cutoff))
      .filter((date): date is Date => date !== null)
      .sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  const alreadySent = new Set(counted.flatMap((row) => row.items.map(itemKey)));
  const items = selectEditionItems(
    await publishedCandidates(strapi, { after: previousCutoff, until: options.now }),
    { after: previousCutoff, until: options.now },
    alreadySent,
  );

  const state: EditionState = items.length > 0 ? 'scheduled' : 'skipped';
  const scheduledAt = new Date(options.now.getTime() + deps.settings.reviewHours * 3600_000);
  const data = {
    title: editionTitle(options.now, 'nl', deps.settings.timeZone),
    state,
    periodStart: previousCutoff?.toISOString() ?? null,
    cutoff: options.now.toISOString(),
    periodKey: options.periodKey,
    scheduledAt: items.length > 0 ? scheduledAt.toISOString() : null,
    items: entriesFor(items),
    notes:
      items.length > 0
        ? null
        : `Niets nieuws gepubliceerd sinds ${previousCutoff?.toISOString() ?? 'het begin'}: deze editie wordt niet verstuurd. / Nothing new was published since then: this edition is not sent.`,
  };
  try {
    // The assembly's own write (a `skipped` edition, the engine's notes): past the editors' rules.
    const created = (await asInternalWrite(() => strapi.documents(EDITION_UID).create({ data } as never))) as unknown as { id: number; documentId: string };
    deps.log('info', items.length > 0 ? 'edition.assembled' : 'edition.skipped', { editionId: created.id, items: items.length, scheduledAt: data.scheduledAt });
    return { editionId: created.id, documentId: created.documentId, state, items: items.length, created: true };
  } catch (error) {
    const raced = await db('editions').where({ period_key: options.periodKey }).first('id', 'document_id', 'state');
    if (!raced) throw error;
    return { editionId: raced.id, documentId: raced.document_id, state: raced.state, items: (await readEditionItems(strapi, raced.id)).length, created: false };
  }
}
