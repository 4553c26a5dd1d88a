import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Logger } from '../../core/infra/log';
import { assembleEdition, nextEditionItems } from '../edition/assemble';
import { editionTitle, type ItemType } from '../edition/assembly';
import type { SendingEngine } from '../engine/engine';
import type { MailingRef } from '../engine/mailing';
import { hasRemainder } from '../engine/mailing-state';
import { MailingRefusal } from '../engine/refusal';
import { sendMailing } from '../engine/send-mailing';
import { duplicateMailing } from './duplicate';
import { CONTENT_TYPES } from '../../core/content-types';

/** What the desk's actions on whole mailings need: the CMS, the engine, and the assembly's settings. */
export interface EditorialActionDeps {
  strapi: Core.Strapi;
  db: Knex;
  engine: SendingEngine;
  settings: { timeZone: string; reviewHours: number };
  /** The network's name, for the subject an editor's edition starts with. */
  organisationName: string;
  log: Logger;
  enqueuePlan(ref: MailingRef): Promise<void>;
  now?: () => number;
}

/** One item the next edition would hold, as the "Editie samenstellen" dialog lists it. */
export interface NextEditionItem {
  type: ItemType;
  documentId: string;
  /** Dutch title when there is one, else English. */
  title: string;
  publishedAt: string;
}

const NOT_A_REMAINDER =
  'Only a cancelled mailing, or one that did not reach some readers, can be sent to those who did not get it. / Alleen een geannuleerde mailing, of een die sommige lezers niet bereikte, kan naar wie hem nog niet kreeg.';
const NO_ONE_LEFT =
  'Everyone in the audience has received this mailing already; there is no one left to send it to. / Iedereen in de doelgroep heeft deze mailing al gekregen; er is niemand meer om hem naar te sturen.';

/**
 * The editors' actions on whole mailings: assemble the next edition ("Editie samenstellen"),
 * duplicate a mailing ("Dupliceren"), and send a cancelled or partly failed one to those who did
 * not get it ("Versturen naar wie hem nog niet kreeg").
 */
export function createEditorialActions(deps: EditorialActionDeps) {
  const now = () => new Date(deps.now?.() ?? Date.now());
  return {
    /** What an edition assembled now would hold: the window since the last edition and its items (nothing is written). */
    async nextEdition(): Promise<{ after: string | null; until: string; items: NextEditionItem[] }> {
      const next = await nextEditionItems(deps.strapi, now());
      return {
        after: next.after?.toISOString() ?? null,
        until: next.until.toISOString(),
        items: next.items.map((item) => ({
          type: item.type,
          documentId: item.documentId,
          title: item.title.nl ?? item.title.en ?? '',
          publishedAt: item.publishedAt,
        })),
      };
    },

    /** The next edition as a draft for the editors to review and schedule; refused when nothing new was published. */
    async assembleEdition(): Promise<{ id: number; documentId: string; items: number }> {
      const at = now();
      // The subject the mail would get anyway, filled in so the editor sees it and can change it.
      const subject = (locale: 'nl' | 'en') => `${editionTitle(at, locale, deps.settings.timeZone)} – ${deps.organisationName}`;
      const result = await assembleEdition(deps, {
        now: at,
        periodKey: `desk:${at.toISOString()}`,
        draft: true,
        subjects: { nl: subject('nl'), en: subject('en') },
      });
      return { id: result.editionId, documentId: result.documentId, items: result.items };
    },

    duplicate: (ref: MailingRef) => duplicateMailing(deps.strapi, ref),

    /**
     * A new mailing with the original's content, sent now to the members of its audience who have
     * no delivery of it (nor of an earlier remainder) that reached them or may have: still once per
     * reader, and only readers active now (nobody unsubscribed or suppressed since).
     */
    async sendRemainder(ref: MailingRef): Promise<{ id: number; documentId: string; state: string }> {
      const mailing = await deps.engine.deps.store.mailing(ref);
      const counts = await deps.engine.deps.store.counts(ref);
      if (!mailing || !counts) throw new MailingRefusal('missing', `no ${ref.kind} ${ref.id}`);
      if (!hasRemainder(mailing.state, counts)) throw new MailingRefusal('not-schedulable', NOT_A_REMAINDER);
      const created = await duplicateMailing(deps.strapi, ref, { as: 'remainder', remainderOf: mailing.remainderOf ?? ref.id });
      const remainder: MailingRef = { kind: ref.kind, id: created.id };
      try {
        const { mailing: scheduled } = await sendMailing(deps, remainder);
        deps.log('info', 'mailing.remainder', { mailing: `${ref.kind}:${ref.id}`, remainder: `${ref.kind}:${created.id}` });
        return { ...created, state: scheduled.state };
      } catch (error) {
        // Nothing half-made stays behind: the remainder is only kept when it goes out.
        await deps.strapi.documents(CONTENT_TYPES[ref.kind]).delete({ documentId: created.documentId } as never);
        if (error instanceof MailingRefusal && error.code === 'no-recipients') throw new MailingRefusal('no-recipients', NO_ONE_LEFT);
        throw error;
      }
    },
  };
}

export type EditorialActions = ReturnType<typeof createEditorialActions>;
