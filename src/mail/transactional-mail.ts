import type { MailDataRequired } from '@sendgrid/mail';
import { signLinkToken } from '../core/domain/tokens';
import type { MailSettings } from '../settings/mail';
import type { TransactionalMailJob } from './mail-queue';
import { toSendGridRequest } from './outgoing-mail';
import type { MailRenderer, RenderedMail } from './renderer';
import { greetingFor } from './substitutions';
import type { SubscriberState } from '../core/domain/subscriber-state';
import type { Locale } from '../core/domain/locale';

/** What the job needs to know about its subscriber, read fresh from the database. */
export interface SubscriberForMail {
  email: string;
  name?: string | null;
  preferredLocale: 'nl' | 'en';
  state: SubscriberState;
  linkKey: string;
}

export interface TransactionalMailDeps {
  findSubscriber(documentId: string): Promise<SubscriberForMail | null>;
  renderer: MailRenderer;
  send(mail: MailDataRequired): Promise<unknown>;
  settings: Pick<MailSettings, 'from' | 'publicUrl' | 'confirmTokenTtlDays'>;
  tokenSecret: string;
  /** The welcome mail in a language as it goes out now, or null when the editors left it empty (off). */
  welcomeMail(locale: Locale): Promise<RenderedMail | null>;
}

export type TransactionalOutcome = { sent: true } | { sent: false; reason: string };

/**
 * Builds and sends one transactional mail. A mail that no longer fits the subscriber's state (a
 * confirmation for someone already confirmed, or a subscriber who was erased) is skipped.
 */
export async function sendTransactionalMail(job: TransactionalMailJob, deps: TransactionalMailDeps): Promise<TransactionalOutcome> {
  const subscriber = await deps.findSubscriber(job.subscriberId);
  if (!subscriber) return { sent: false, reason: 'subscriber no longer exists' };
  const expectedState: SubscriberState = job.kind === 'confirmation' ? 'pending' : 'active';
  if (subscriber.state !== expectedState) return { sent: false, reason: `subscriber is ${subscriber.state}` };
  const locale = subscriber.preferredLocale;

  const links = mailLinks(deps.settings.publicUrl, subscriber.linkKey, deps.tokenSecret, {
    confirmExpiresAt: Math.floor(Date.parse(job.requestedAt) / 1000) + deps.settings.confirmTokenTtlDays * 86_400,
    locale,
  });
  const rendered =
    job.kind === 'welcome' ? await deps.welcomeMail(locale) : await deps.renderer.render(job.kind, locale, { expiryDays: deps.settings.confirmTokenTtlDays });
  if (!rendered) return { sent: false, reason: `the welcome mail has no text in ${locale}` };
  const substitutions: Record<string, string> = {
    // Before confirmation neutral, never the name: whoever signs an address up chooses that text, and
    // it would go out in the organisation's mail to someone who never asked for it ("Your account is
    // blocked, log in at ..."). Once the reader confirmed, the name is theirs, as in every edition.
    greeting: greetingFor(locale, job.kind === 'welcome' ? (subscriber.name ?? null) : null),
    preferences_url: links.preferences,
    unsubscribe_url: links.unsubscribe,
    ...(job.kind === 'confirmation' ? { confirm_url: links.confirm } : {}),
  };
  await deps.send(
    toSendGridRequest({
      from: deps.settings.from,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      recipients: [{ email: subscriber.email, substitutions }],
      categories: [job.kind],
    }),
  );
  return { sent: true };
}

export interface MailLinks {
  confirm: string;
  preferences: string;
  unsubscribe: string;
}

/**
 * A signed link to one of the subscriber's pages, as it appears in mail: /newsletter/<purpose>?token=...
 * With `locale` (the mail's language) the page speaks that language even when the token no longer
 * works and the subscriber cannot be looked up.
 */
export function signedLink(publicUrl: string, purpose: LinkPurpose, linkKey: string, secret: string, expiresAt?: number, locale?: Locale): string {
  return tokenLink(publicUrl, purpose, signLinkToken({ purpose, linkKey, expiresAt }, secret), locale);
}

/** The page's link for a token already signed (for `purpose`): what signedLink makes of it. */
export function tokenLink(publicUrl: string, purpose: LinkPurpose, token: string, locale?: Locale): string {
  const link = `${publicUrl}/newsletter/${purpose}?token=${encodeURIComponent(token)}`;
  return locale ? `${link}&lang=${locale}` : link;
}

type LinkPurpose = 'confirm' | 'preferences' | 'unsubscribe';

/** The signed links of one subscriber. */
export function mailLinks(publicUrl: string, linkKey: string, secret: string, options: { confirmExpiresAt?: number; locale?: Locale } = {}): MailLinks {
  return {
    confirm: signedLink(publicUrl, 'confirm', linkKey, secret, options.confirmExpiresAt, options.locale),
    preferences: signedLink(publicUrl, 'preferences', linkKey, secret, undefined, options.locale),
    unsubscribe: signedLink(publicUrl, 'unsubscribe', linkKey, secret, undefined, options.locale),
  };
}
