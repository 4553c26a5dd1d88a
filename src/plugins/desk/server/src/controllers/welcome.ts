import type { Core } from '@strapi/strapi';
import { cmsServices } from '../../../../../app/cms';
import { checkLocale, checkTestAddresses } from '../../../../../mailings/desk/input';
import { DESK_ACTIONS } from '../../../../../mailings/desk/permissions';
import { isTestSendRefusal } from '../../../../../mailings/desk/test-send-guard';
import { answer, answerError, answerTestSendRefusal, type AdminContext } from './http';

/**
 * The welcome mail's desk routes (../routes.ts): its preview and its test send. Input is checked
 * here (400 with a message), the rest is src/site/welcome/welcome-desk.ts.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const who = (ctx: AdminContext) => String(ctx.state.user?.id ?? 'unknown');

  return {
    async preview(ctx: AdminContext) {
      await answer(ctx, async () => ({ variants: await cmsServices(strapi).welcomeDesk.previews() }));
    },

    async sendTest(ctx: AdminContext) {
      const input = typeof ctx.request.body === 'object' && ctx.request.body !== null ? (ctx.request.body as Record<string, unknown>) : {};
      const addresses = checkTestAddresses(input.addresses);
      if (!addresses.ok) return answerError(ctx, 400, addresses.message);
      const locale = checkLocale(input.locale ?? 'nl');
      if (!locale.ok) return answerError(ctx, 400, locale.message);
      // An Editor (the desk's send permission) may test to anyone; others to admins and allowed domains.
      const ability = ctx.state.userAbility as { can(action: string): boolean } | undefined;
      const sender = { account: `admin:${who(ctx)}`, mayTestAnyAddress: Boolean(ability?.can(DESK_ACTIONS.send)) };
      try {
        await answer(ctx, async () => {
          await cmsServices(strapi).welcomeDesk.sendTest(addresses.value, locale.value, sender);
          strapi.log.info(`[desk] test of the welcome mail (${locale.value}) sent to ${addresses.value.length} address(es) by admin user ${who(ctx)}`);
          return { sent: addresses.value.length, addresses: addresses.value, locale: locale.value };
        });
      } catch (error) {
        if (!isTestSendRefusal(error)) throw error;
        strapi.log.info(`[desk] test of the welcome mail refused (${error.code}) for admin user ${who(ctx)}`);
        answerTestSendRefusal(ctx, error);
      }
    },
  };
};
