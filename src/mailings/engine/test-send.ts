import { toSendGridRequest } from '../../mail/outgoing-mail';
import { greetingFor, type RenderedMail } from '../../mail/renderer';
import type { MailingDeps } from './mailing-deps';
import type { Locale } from '../../core/domain/locale';

/** What a test mail's subject starts with, so nobody mistakes it for the real send. */
export const TEST_SUBJECT_PREFIX = '[TEST]';

/**
 * A test send of a rendered mail (an edition's or campaign's variant, the welcome mail) to one or more addresses (one request),
 * through the same provider path as the real send but outside it: no delivery records, no counts.
 * `[TEST]` in the subject; the personal links point at the manage page (for anyone), since the addresses are
 * nobody's subscription.
 */
export async function sendTestMail(
  deps: Pick<MailingDeps, 'settings' | 'engine'>,
  rendered: RenderedMail,
  to: string | readonly string[],
  locale: Locale,
  /** What is tested (`edition`, `campaign`, `welcome`): the request's category is `<what>-test`. */
  what: string,
): Promise<void> {
  // The manage page explains where a reader's own links are; it works for anyone.
  const general = `${deps.settings.publicUrl}/newsletter/manage?lang=${locale}`;
  const addresses = typeof to === 'string' ? [to] : [...to];
  await deps.engine.deps.send(
    toSendGridRequest({
      from: deps.settings.from,
      subject: `${TEST_SUBJECT_PREFIX} ${rendered.subject}`,
      html: rendered.html,
      text: rendered.text,
      recipients: addresses.map((email) => ({
        email,
        substitutions: { greeting: greetingFor(locale, null), unsubscribe_url: general, preferences_url: general, view_url: general },
      })),
      categories: [`${what}-test`],
    }),
  );
}
