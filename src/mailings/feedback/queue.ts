import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { FeedbackEvent } from './events';

/**
 * SendGrid's events on their way from the webhook endpoint (CMS) to the worker that applies them.
 * One job per post; the events carry ids only (FeedbackEvent): no address, no name. A job that
 * fails (the database away) is retried; applying it twice changes nothing (event ids are claimed).
 */
export const FEEDBACK_QUEUE = 'delivery-feedback';

export interface FeedbackJob {
  events: FeedbackEvent[];
}

const APPLY: JobsOptions = { attempts: 12, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: 1000 };

export function feedbackQueue(connection: ConnectionOptions, prefix: string): Queue<FeedbackJob> {
  return new Queue<FeedbackJob>(FEEDBACK_QUEUE, { connection, prefix });
}

export async function enqueueFeedback(queue: Queue<FeedbackJob>, events: FeedbackEvent[]): Promise<void> {
  await queue.add('apply', { events }, APPLY);
}
