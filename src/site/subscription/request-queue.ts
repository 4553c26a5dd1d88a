import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Locale } from '../../core/domain/locale';

/**
 * Subscribe and resend requests, handed from the CMS to the worker. The CMS only validates, counts
 * the per-IP limit and puts one job here, whatever the address: it never reads the subscriber, so
 * its answer takes the same time for a new, pending, active or suppressed address (answer times
 * would otherwise tell who is subscribed). The worker reads the database and decides what, if
 * anything, to store and to mail (src/site/subscription/request-handler.ts).
 *
 * Unlike the mail queue (subscriber ids only), a request must carry what the reader typed: the
 * address, and for a sign-up the name, locale and themes and the consent record (IP as a keyed hash,
 * never the IP). So these jobs live briefly: removed as soon as they are handled, and a failed one
 * after a day.
 */
export const SUBSCRIPTION_REQUEST_QUEUE = 'subscription-requests';

export interface SubscribeRequestJob {
  kind: 'subscribe';
  email: string;
  name: string | null;
  locale: Locale;
  themes: string[];
  consent: { givenAt: string; source: string | null; textVersion: string; ipHash: string };
}

export interface ResendRequestJob {
  kind: 'resend';
  email: string;
  requestedAt: string;
}

export type SubscriptionRequestJob = SubscribeRequestJob | ResendRequestJob;

export const REQUEST_JOB_OPTIONS: JobsOptions = {
  // A database that is briefly away (restart, failover) must not lose a sign-up.
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: { age: 24 * 3600 },
};

export function createSubscriptionRequestQueue(connection: ConnectionOptions, prefix: string): Queue<SubscriptionRequestJob> {
  return new Queue<SubscriptionRequestJob>(SUBSCRIPTION_REQUEST_QUEUE, { connection, prefix });
}

export async function enqueueSubscriptionRequest(queue: Queue<SubscriptionRequestJob>, job: SubscriptionRequestJob): Promise<void> {
  await queue.add(job.kind, job, REQUEST_JOB_OPTIONS);
}
