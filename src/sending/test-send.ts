import type { Locale } from '../domain/subscription-request';
import { toSendGridRequest } from '../mail/outgoing-mail';
import { greetingFor, type RenderedMail } from '../mail/renderer';
import type { NewsletterDeps } from '../newsletter/deps';
import type { MailingKind } from './mailing';

/**
 * A test send of a rendered variant (edition or campaign) to one address, through the same provider
 * path as the real send but outside it: no delivery records, no counts. `[Test]` in the subject; the
 * personal links point at the signup page, since the address is nobody's subscription.
 */
export async function sendTestMail(deps: Pick<NewsletterDeps, 'settings' | 'engine'>, rendered: RenderedMail, to: string, locale: Locale, kind: MailingKind): Promise<void> {
  const general = `${deps.settings.publicUrl}/newsletter?lang=${locale}`;
  await deps.engine.deps.send(
    toSendGridRequest({
      from: deps.settings.from,
      subject: `[Test] ${rendered.subject}`,
      html: rendered.html,
      text: rendered.text,
      recipients: [{ email: to, substitutions: { greeting: greetingFor(locale, null), unsubscribe_url: general, preferences_url: general, view_url: general } }],
      categories: [`${kind}-test`],
    }),
  );
}
