import { toDate } from '../engine/values';
import type { Core } from '@strapi/strapi';
import { editionTitle, itemKey, selectEditionItems, type EditionItemRef } from './assembly';
import { MailingRefusal } from '../engine/refusal';
import { publishedCandidates } from './edition-content';
import { asInternalWrite } from '../engine/internal-write';
import { EDITION_UID, entriesFor, readEditionItems, readItemsOfEditions } from './edition-items';
import type { MailingDeps, MailingSettings } from '../engine/mailing-deps';
import type { EditionState } from './edition-state';

export type AssembleResult = { editionId: number; documentId: string; state: EditionState; items: number; created: boolean };

/**
 * What the next edition would hold if it were assembled at `now`: the items published since the
 * last edition's cut-off (`after`; null before the first edition) that no edition sent yet.
 *
 * An edition cancelled before anyone got it does not move the window on: what it held goes into the
 * next one. One cancelled mid-send reached some readers: sending its items again would give them
 * those twice, so it counts as sent (nobody twice; the others miss those items).
 */
export async function nextEditionItems(strapi: Core.Strapi, now: Date): Promise<{ after: Date | null; until: Date; items: EditionItemRef[] }> {
  const counted = await readItemsOfEditions(strapi, { $or: [{ state: { $ne: 'cancelled' } }, { submittedCount: { $gt: 0 } }] });
  const after =
    counted
      .map((row) => toDate(row.cutoff))
      .filter((date): date is Date => date !== null)
      .sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  const alreadySent = new Set(counted.flatMap((row) => row.items.map(itemKey)));
  const items = selectEditionItems(await publishedCandidates(strapi, { after, until: now }), { after, until: now }, alreadySent);
  return { after, until: now, items };
}

/** Why there is no edition to make: nothing new since the last one. */
function nothingNewMessage(after: Date | null, timeZone: string): string {
  if (!after) return 'Nothing has been published yet, so there is nothing for an edition. / Er is nog niets gepubliceerd, dus er is niets voor een editie.';
  const nl = after.toLocaleString('nl-NL', { timeZone, dateStyle: 'long', timeStyle: 'short' });
  const en = after.toLocaleString('en-GB', { timeZone, dateStyle: 'long', timeStyle: 'short' });
  return `Nothing new has been published since the last edition (${en}). / Sinds de vorige editie (${nl}) is niets nieuws gepubliceerd.`;
}

/**
 * Creates the edition for one period (idempotent per period key: a second call, from another
 * worker or a retried job, returns the existing edition). The monthly cron's edition is scheduled
 * after the review window, and an empty period becomes a `skipped` edition, so editors see that
 * nothing was sent and why. An editor's (`draft`) is a draft they schedule themselves, and an
 * empty period is refused instead: nothing is created.
 */
export async function assembleEdition(
  deps: Pick<MailingDeps, 'db' | 'strapi' | 'log'> & { settings: Pick<MailingSettings, 'timeZone' | 'reviewHours'> },
  options: { now: Date; periodKey: string; draft?: boolean; subjects?: { nl: string; en: string } },
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

  const { after: previousCutoff, items } = await nextEditionItems(strapi, options.now);
  if (options.draft && items.length === 0) throw new MailingRefusal('nothing-to-send', nothingNewMessage(previousCutoff, deps.settings.timeZone));
  const state: EditionState = items.length === 0 ? 'skipped' : options.draft ? 'draft' : 'scheduled';
  const scheduledAt = state === 'scheduled' ? new Date(options.now.getTime() + deps.settings.reviewHours * 3600_000) : null;
  const data = {
    title: editionTitle(options.now, 'nl', deps.settings.timeZone),
    state,
    periodStart: previousCutoff?.toISOString() ?? null,
    cutoff: options.now.toISOString(),
    periodKey: options.periodKey,
    scheduledAt: scheduledAt?.toISOString() ?? null,
    items: entriesFor(items),
    ...(options.subjects ? { subjectNl: options.subjects.nl.slice(0, 150), subjectEn: options.subjects.en.slice(0, 150) } : {}),
    notes:
      items.length > 0
        ? null
        : `Niets nieuws gepubliceerd sinds ${previousCutoff?.toISOString() ?? 'het begin'}: deze editie wordt niet verstuurd. / Nothing new was published since then: this edition is not sent.`,
  };
  try {
    // The assembly's own write (a `skipped` edition, the engine's notes): past the editors' rules.
    const created = (await asInternalWrite(() => strapi.documents(EDITION_UID).create({ data } as never))) as unknown as { id: number; documentId: string };
    deps.log('info', items.length > 0 ? 'edition.assembled' : 'edition.skipped', {
      editionId: created.id,
      items: items.length,
      state,
      scheduledAt: data.scheduledAt,
    });
    return { editionId: created.id, documentId: created.documentId, state, items: items.length, created: true };
  } catch (error) {
    const raced = await db('editions').where({ period_key: options.periodKey }).first('id', 'document_id', 'state');
    if (!raced) throw error;
    return { editionId: raced.id, documentId: raced.document_id, state: raced.state, items: (await readEditionItems(strapi, raced.id)).length, created: false };
  }
}
