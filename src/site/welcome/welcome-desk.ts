/**
 * The editors' desk for the welcome mail: its preview (each language that has a text, as a sample
 * reader gets it) and its test send, on the same render path as the worker's real send and under
 * the same rules as any test mail (guardTestSend: who may test to which addresses, the budget).
 */
import type { Core } from '@strapi/strapi';
import type { Locale } from '../../core/domain/locale';
import type { LinkSettings } from '../../core/links';
import type { MailRenderer, RenderedMail } from '../../mail/renderer';
import { guardTestSend, previewForSampleReader, type DeskDeps, type PreviewVariant, type TestSender } from '../../mailings/desk/desk';
import { TestSendRefusal } from '../../mailings/desk/test-send-guard';
import { loadWelcomeMail, renderWelcomeMail } from './welcome-mail';

export interface WelcomeDeskDeps {
  strapi: Core.Strapi;
  links: LinkSettings;
  renderer: Pick<MailRenderer, 'compose'>;
  testSends: DeskDeps['testSends'];
  /** Sends the rendered mail as a test ([TEST] subject, general links) to these addresses. */
  sendTest(rendered: RenderedMail, addresses: readonly string[], locale: Locale): Promise<void>;
}

const LOCALES: readonly Locale[] = ['nl', 'en'];

const LANGUAGE_NAMES: Record<Locale, Record<Locale, string>> = {
  nl: { nl: 'Nederlandse', en: 'Dutch' },
  en: { nl: 'Engelse', en: 'English' },
};

export function createWelcomeDesk(deps: WelcomeDeskDeps) {
  const render = async (locale: Locale): Promise<RenderedMail | null> => {
    const model = await loadWelcomeMail(deps.strapi, locale, deps.links);
    return model ? renderWelcomeMail(deps.renderer, model) : null;
  };

  return {
    /** Dutch first; a language without text has no tab (its readers get no welcome mail). */
    async previews(): Promise<PreviewVariant[]> {
      const previews: PreviewVariant[] = [];
      for (const locale of LOCALES) {
        const rendered = await render(locale);
        if (rendered) previews.push(previewForSampleReader(deps.links.publicUrl, { key: locale, locale, rendered }));
      }
      return previews;
    },

    /** A test in one language, or a TestSendRefusal (no text in that language: nothing to test; or guardTestSend's). */
    async sendTest(addresses: readonly string[], locale: Locale, sender: TestSender): Promise<void> {
      const rendered = await render(locale);
      if (!rendered) {
        const language = LANGUAGE_NAMES[locale];
        throw new TestSendRefusal(409, 'nothing-to-test', {
          nl: `De welkomstmail heeft geen ${language.nl} tekst, dus die lezers krijgen er geen; vul de tekst in om hem te testen.`,
          en: `The welcome mail has no ${language.en} text, so those readers get none; fill in the text to test it.`,
        });
      }
      await guardTestSend(deps.testSends, addresses, sender, () => deps.sendTest(rendered, addresses, locale));
    },
  };
}

export type WelcomeDesk = ReturnType<typeof createWelcomeDesk>;
