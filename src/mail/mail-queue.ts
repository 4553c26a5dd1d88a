import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';

/**
 * The queue of single transactional mails (confirmation, already-subscribed, welcome). A job names the
 * subscriber by document id only; the worker reads the address from the database at send time, so
 * Redis holds no personal data and an erased subscriber's mail is never sent.
 */
export const MAIL_QUEUE = 'mail';

export type TransactionalMailKind = 'confirmation' | 'already-subscribed' | 'welcome';

export interface TransactionalMailJob {
  kind: TransactionalMailKind;
  subscriberId: string;
  /** When the request that caused the mail came in (ISO); the confirm link's expiry counts from here. */
  requestedAt: string;
}

export const TRANSACTIONAL_JOB_OPTIONS: JobsOptions = {
  attempts: 12,
  backoff: { type: 'sendgrid' },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

export function createMailQueue(connection: ConnectionOptions, prefix: string): Queue<TransactionalMailJob> {
  return new Queue<TransactionalMailJob>(MAIL_QUEUE, { connection, prefix });
}

export async function enqueueTransactionalMail(queue: Queue<TransactionalMailJob>, job: TransactionalMailJob): Promise<void> {
  await queue.add(job.kind, job, TRANSACTIONAL_JOB_OPTIONS);
}

/**
 * The welcome mail of a reader who just confirmed. Its job id is the reader's, so a confirmation
 * that is posted twice still queues one mail.
 */
export async function enqueueWelcomeMail(queue: Queue<TransactionalMailJob>, subscriberId: string, requestedAt: string): Promise<void> {
  await queue.add('welcome', { kind: 'welcome', subscriberId, requestedAt }, { ...TRANSACTIONAL_JOB_OPTIONS, jobId: `welcome-${subscriberId}` });
}

/** Many jobs in one round trip (an import's confirmation mails), with the same options as one. */
export async function enqueueTransactionalMails(queue: Queue<TransactionalMailJob>, jobs: readonly TransactionalMailJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await queue.addBulk(jobs.map((job) => ({ name: job.kind, data: job, opts: TRANSACTIONAL_JOB_OPTIONS })));
}
