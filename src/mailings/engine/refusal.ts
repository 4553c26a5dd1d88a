/**
 * Why the engine refuses to schedule a mailing, with a message an editor (or the CLI) can act on.
 * Producers may throw one from `prepare` too (a campaign without a subject in a language that has
 * recipients, a featured item that is a draft); at planning time such a mailing ends `failed`
 * with the message as its note, instead of failing the job over and over.
 */
export type RefusalCode = 'missing' | 'not-schedulable' | 'in-the-past' | 'no-recipients' | 'nothing-to-send' | 'invalid';

export class MailingRefusal extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'MailingRefusal';
  }
}

export function isMailingRefusal(error: unknown): error is MailingRefusal {
  return error instanceof MailingRefusal;
}
