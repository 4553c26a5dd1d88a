import type { Core } from '@strapi/strapi';
import { checkDocumentId, checkLocale, checkMailingKind, checkSendTime, checkTestAddresses, type Checked } from '../../../../../mailings/desk/input';
import { cmsServices } from '../../../../../app/cms';
import { isTestSendRefusal } from '../../../../../mailings/desk/test-send-guard';
import type { Desk } from '../../../../../mailings/desk/desk';
import type { MailingRef } from '../../../../../mailings/engine/mailing';
import { isMailingRefusal, MailingRefusal } from '../../../../../mailings/engine/refusal';
import { DESK_ACTIONS } from '../../../../../mailings/desk/permissions';
import { answer, answerError, answerTestSendRefusal, type AdminContext } from './http';
import { mailingItemClicks } from '../../../../../site/counts/store';
import { readMailingConfig } from '../../../../../settings/mailings';
import type { Knex } from 'knex';

/**
 * The desk's mailing routes (../routes.ts): check the input (400 with a message), find the mailing
 * (404), call the desk (src/mailings/desk/desk.ts), answer. No logic of its own.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const desk = (): Desk => cmsServices(strapi).desk;
  const body = (ctx: AdminContext) => (typeof ctx.request.body === 'object' && ctx.request.body !== null ? (ctx.request.body as Record<string, unknown>) : {});

  /** The checked value, or null after answering 400 with the check's message. */
  function valid<T>(ctx: AdminContext, checked: Checked<T>): T | null {
    if (checked.ok) return checked.value;
    answerError(ctx, 400, checked.message);
    return null;
  }

  /** The mailing named by `:kind/:documentId`, or null after answering 400 or 404. */
  async function target(ctx: AdminContext): Promise<MailingRef | null> {
    const kind = valid(ctx, checkMailingKind(ctx.params.kind));
    const documentId = kind && valid(ctx, checkDocumentId(ctx.params.documentId));
    if (!kind || !documentId) return null;
    try {
      return await desk().find(kind, documentId);
    } catch (error) {
      if (!isMailingRefusal(error)) throw error;
      answerError(ctx, 404, `No ${kind} with document id "${documentId}"`, { documentId });
      return null;
    }
  }

  const who = (ctx: AdminContext) => String(ctx.state.user?.id ?? 'unknown');

  return {
    async preview(ctx: AdminContext) {
      const ref = await target(ctx);
      if (ref) await answer(ctx, async () => ({ variants: await desk().previews(ref) }));
    },

    async progress(ctx: AdminContext) {
      const ref = await target(ctx);
      if (ref) await answer(ctx, () => desk().progress(ref));
    },

    /** The mailing's items with how often each was opened from it (item counts), most opened first. */
    async itemCounts(ctx: AdminContext) {
      const ref = await target(ctx);
      if (ref) await answer(ctx, async () => ({ items: await mailingItemClicks(strapi.db.connection as unknown as Knex, ref, readMailingConfig().siteUrl) }));
    },

    async audience(ctx: AdminContext) {
      const ref = await target(ctx);
      if (ref) await answer(ctx, () => desk().audience(ref));
    },

    async sendTest(ctx: AdminContext) {
      const input = body(ctx);
      const ref = await target(ctx);
      if (!ref) return;
      const addresses = valid(ctx, checkTestAddresses(input.addresses));
      const locale = addresses && valid(ctx, checkLocale(input.locale ?? 'nl'));
      if (!addresses || !locale) return;
      // An Editor (the desk's send permission) may test to anyone; others to admins and allowed domains (src/mailings/desk/test-send-guard.ts).
      const ability = ctx.state.userAbility as { can(action: string): boolean } | undefined;
      const sender = { account: `admin:${who(ctx)}`, mayTestAnyAddress: Boolean(ability?.can(DESK_ACTIONS.send)) };
      try {
        await answer(ctx, async () => {
          await desk().sendTest(ref, addresses, locale, sender);
          strapi.log.info(`[desk] test of ${ref.kind} ${ref.id} (${locale}) sent to ${addresses.length} address(es) by admin user ${who(ctx)}`);
          return { sent: addresses.length, addresses, locale };
        });
      } catch (error) {
        if (!isTestSendRefusal(error)) throw error;
        strapi.log.info(`[desk] test of ${ref.kind} ${ref.id} refused (${error.code}) for admin user ${who(ctx)}`);
        answerTestSendRefusal(ctx, error);
      }
    },

    async schedule(ctx: AdminContext) {
      const ref = await target(ctx);
      const at = ref && valid(ctx, checkSendTime(body(ctx).sendAt));
      if (!ref || !at) return;
      await answer(ctx, async () => {
        const { mailing } = await desk().schedule(ref, at);
        strapi.log.info(`[desk] ${ref.kind} ${ref.id} scheduled for ${at.toISOString()} by admin user ${who(ctx)}`);
        return { state: mailing.state, sendAt: at.toISOString() };
      });
    },

    async sendNow(ctx: AdminContext) {
      const ref = await target(ctx);
      if (!ref) return;
      await answer(ctx, async () => {
        const { mailing } = await desk().sendNow(ref);
        strapi.log.info(`[desk] ${ref.kind} ${ref.id} sent now by admin user ${who(ctx)}`);
        return { state: mailing.state, sendAt: mailing.sendAt?.toISOString() ?? null };
      });
    },

    async unschedule(ctx: AdminContext) {
      const ref = await target(ctx);
      if (!ref) return;
      await answer(ctx, async () => {
        const mailing = await desk().unschedule(ref);
        strapi.log.info(`[desk] ${ref.kind} ${ref.id} unscheduled by admin user ${who(ctx)}`);
        return { state: mailing.state };
      });
    },

    async duplicate(ctx: AdminContext) {
      const ref = await target(ctx);
      if (!ref) return;
      await answer(ctx, async () => {
        const copy = await cmsServices(strapi).editorial.duplicate(ref);
        strapi.log.info(`[desk] ${ref.kind} ${ref.id} duplicated as ${ref.kind} ${copy.id} by admin user ${who(ctx)}`);
        return { documentId: copy.documentId, state: 'draft' };
      });
    },

    async sendRemainder(ctx: AdminContext) {
      const ref = await target(ctx);
      if (!ref) return;
      await answer(ctx, async () => {
        const remainder = await cmsServices(strapi).editorial.sendRemainder(ref);
        strapi.log.info(`[desk] ${ref.kind} ${ref.id}: its remainder ${ref.kind} ${remainder.id} sent by admin user ${who(ctx)}`);
        return { documentId: remainder.documentId, state: remainder.state };
      });
    },

    async nextEdition(ctx: AdminContext) {
      await answer(ctx, () => cmsServices(strapi).editorial.nextEdition());
    },

    async assembleEdition(ctx: AdminContext) {
      await answer(ctx, async () => {
        const edition = await cmsServices(strapi).editorial.assembleEdition();
        strapi.log.info(`[desk] edition ${edition.id} assembled (${edition.items} items) by admin user ${who(ctx)}`);
        return { documentId: edition.documentId, items: edition.items, state: 'draft' };
      });
    },

    async cancel(ctx: AdminContext) {
      const ref = await target(ctx);
      if (!ref) return;
      await answer(ctx, async () => {
        const result = await desk().cancel(ref);
        if (result.outcome === 'missing') throw new MailingRefusal('missing', `no ${ref.kind} ${ref.id}`);
        if (result.outcome === 'final') throw new MailingRefusal('not-schedulable', `This ${ref.kind} is ${result.state}; there is nothing left to cancel`);
        strapi.log.info(`[desk] ${ref.kind} ${ref.id} cancel by admin user ${who(ctx)}: ${result.outcome}`);
        return result;
      });
    },
  };
};
