import { exponentialBackoff } from './send-failure';

/**
 * The one "try this job again later" error: it tells BullMQ's backoff how long to wait (SendGrid's
 * Retry-After, for instance). Workers give `retryDelay` as their backoff strategy.
 */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

/** BullMQ backoff strategy: the delay a RetryLater asks for, else exponential backoff. */
export function retryDelay(attemptsMade: number, _type?: string, error?: Error): number {
  return error instanceof RetryLater ? error.delayMs : exponentialBackoff(attemptsMade);
}
