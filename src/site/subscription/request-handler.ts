import type { Core } from '@strapi/strapi';
import type { Queue } from 'bullmq';
import { canonicalMailbox } from '../../core/domain/email';
import { newLinkKey } from '../../core/domain/tokens';
import type { MailSettings } from '../../settings/mail';
import type { RateLimiter } from '../../core/infra/rate-limiter';
import { enqueueTransactionalMail, enqueueTransactionalMails, type TransactionalMailJob, type TransactionalMailKind } from '../../mail/mail-queue';
import type { SubscriberRecord } from './subscriptions';
import type { ResendRequestJob, SubscribeRequestJob, SubscriptionRequestJob } from './request-queue';
import { CONTENT_TYPES } from '../../core/content-types';

const SUBSCRIBER = CONTENT_TYPES.subscriber;
const DAY = 24 * 3600;

export interface RequestHandlerDeps {
  strapi: Core.Strapi;
  limiter: RateLimiter;
  mailQueue: Queue<TransactionalMailJob>;
  limits: MailSettings['limits'];
}

/** What the worker did with a request, for its log (no address in it). */
export type RequestOutcome = 'created' | 'pending-again' | 'opt-in-again' | 'already-active' | 'complained' | 'resend' | 'resend-ignored';

export interface RequestResult {
  outcome: RequestOutcome;
  /** The mail it queued, or why none. */
  mail: TransactionalMailKind | 'limited' | 'none';
}

/**
 * The decisions behind a subscribe or resend request, in the worker, out of the answer's timing.
 * New address: stored as pending, confirmation mail. Pending: the request's choices replace the
 * earlier ones, confirmation mail again. Active: nothing changes (an outsider cannot alter
 * preferences), at most a throttled "already subscribed" notice. Unsubscribed or bounced: a fresh
 * double opt-in. Complained: nothing is ever sent again. Every mail counts against a per-mailbox
 * limit (canonicalMailbox: tags and Gmail dots are one inbox).
 */
export async function handleSubscriptionRequest(job: SubscriptionRequestJob, deps: RequestHandlerDeps): Promise<RequestResult> {
  return job.kind === 'subscribe' ? subscribe(job, deps) : resend(job, deps);
}

async function subscribe(request: SubscribeRequestJob, deps: RequestHandlerDeps): Promise<RequestResult> {
  const fields = { name: request.name, preferredLocale: request.locale, themes: request.themes, consent: request.consent };
  const requestedAt = request.consent.givenAt;
  let subscriber = await findByEmail(deps, request.email);

  if (!subscriber) {
    try {
      const created = await deps.strapi.documents(SUBSCRIBER).create({
        data: { email: request.email, state: 'pending', linkKey: newLinkKey(), ...fields } as never,
      });
      return { outcome: 'created', mail: await sendLimited(deps, 'confirmation', created.documentId, request.email, requestedAt) };
    } catch (error) {
      // Two sign-ups for one new address at once: the unique index refused the second; carry on as existing.
      subscriber = await findByEmail(deps, request.email);
      if (!subscriber) throw error;
    }
  }

  switch (subscriber.state) {
    case 'active':
      return { outcome: 'already-active', mail: await sendLimited(deps, 'already-subscribed', subscriber.documentId, request.email, requestedAt) };
    case 'complained':
      return { outcome: 'complained', mail: 'none' };
    case 'pending':
    case 'unsubscribed':
    case 'bounced': {
      const outcome: RequestOutcome = subscriber.state === 'pending' ? 'pending-again' : 'opt-in-again';
      await deps.strapi.documents(SUBSCRIBER).update({
        documentId: subscriber.documentId,
        data: { ...fields, state: 'pending', unsubscribedAt: null, suppressionReason: null, suppressedAt: null, linkKey: subscriber.linkKey ?? newLinkKey() },
      } as never);
      return { outcome, mail: await sendLimited(deps, 'confirmation', subscriber.documentId, request.email, requestedAt) };
    }
  }
}

/** Resends the confirmation mail to a pending address; nothing for any other. */
async function resend(request: ResendRequestJob, deps: RequestHandlerDeps): Promise<RequestResult> {
  const subscriber = await findByEmail(deps, request.email);
  if (subscriber?.state !== 'pending') return { outcome: 'resend-ignored', mail: 'none' };
  return { outcome: 'resend', mail: await sendLimited(deps, 'confirmation', subscriber.documentId, request.email, request.requestedAt) };
}

async function sendLimited(
  deps: RequestHandlerDeps,
  kind: TransactionalMailKind,
  subscriberId: string,
  email: string,
  requestedAt: string,
): Promise<TransactionalMailKind | 'limited'> {
  const limit = kind === 'confirmation' ? deps.limits.confirmationMailsPerEmailDay : deps.limits.alreadySubscribedMailsPerEmailDay;
  const result = await deps.limiter.hit(`mail-${kind}`, canonicalMailbox(email), limit, DAY);
  if (!result.allowed) return 'limited';
  await enqueueTransactionalMail(deps.mailQueue, { kind, subscriberId, requestedAt });
  return kind;
}

/**
 * Confirmation mails for readers an import added as pending, through the sign-up's queue and
 * under its per-inbox limit: an inbox already at its day's limit gets none now (the reader stays
 * pending and can ask for the mail again on the sign-up page). The limits are counted together, so
 * a thousand cost one round trip to Redis, not a thousand.
 */
export async function queueConfirmationMails(
  deps: Pick<RequestHandlerDeps, 'limiter' | 'mailQueue' | 'limits'>,
  subscribers: ReadonlyArray<{ documentId: string; email: string }>,
  requestedAt: string,
): Promise<{ queued: number; limited: number }> {
  const allowed = await Promise.all(
    subscribers.map(async (subscriber) => {
      const result = await deps.limiter.hit('mail-confirmation', canonicalMailbox(subscriber.email), deps.limits.confirmationMailsPerEmailDay, DAY);
      return result.allowed;
    }),
  );
  const jobs = subscribers
    .filter((_, index) => allowed[index])
    .map((subscriber) => ({ kind: 'confirmation' as const, subscriberId: subscriber.documentId, requestedAt }));
  await enqueueTransactionalMails(deps.mailQueue, jobs);
  return { queued: jobs.length, limited: subscribers.length - jobs.length };
}

async function findByEmail(deps: RequestHandlerDeps, email: string): Promise<SubscriberRecord | null> {
  return (await deps.strapi.db.query(SUBSCRIBER).findOne({ where: { email } })) as SubscriberRecord | null;
}
