import { isMailingRefusal, type RefusalCode } from '../../../../../mailings/engine/refusal';
import type { TestSendRefusal } from '../../../../../mailings/desk/test-send-guard';

/** What the desk's controllers use of Koa's context. */
export interface AdminContext {
  params: Record<string, unknown>;
  request: { body?: unknown };
  state: { userAbility?: unknown; user?: { id?: number | string } };
  status: number;
  body: unknown;
  type: string;
  set(field: string, value: string): void;
}

/** The admin API's error body (as Strapi's own errors), so the admin panel's error handler shows the message. */
export function answerError(ctx: AdminContext, status: number, message: string, details: Record<string, unknown> = {}): void {
  const names: Record<number, string> = {
    400: 'ValidationError',
    401: 'UnauthorizedError',
    403: 'ForbiddenError',
    404: 'NotFoundError',
    409: 'ConflictError',
    422: 'RefusedError',
    429: 'RateLimitError',
  };
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data: null, error: { status, name: names[status] ?? 'ApplicationError', message, details } };
}

/** A refusal is the editor's to act on: gone (404), not in a state for it (409), or refused as asked (422). */
const REFUSAL_STATUS: Record<RefusalCode, number> = {
  missing: 404,
  'not-schedulable': 409,
  'in-the-past': 422,
  'no-recipients': 422,
  'nothing-to-send': 422,
  invalid: 422,
};

/** Runs a desk action; a MailingRefusal becomes its 4xx with the refusal's message, anything else stays a 500. */
export async function answer(ctx: AdminContext, action: () => Promise<unknown>): Promise<void> {
  try {
    const data = await action();
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data };
  } catch (error) {
    if (!isMailingRefusal(error)) throw error;
    answerError(ctx, REFUSAL_STATUS[error.code], error.message, { refusal: error.code });
  }
}

/** A refused test send (a mailing's or the welcome mail's): its status, when to try again, its message in both languages. */
export function answerTestSendRefusal(ctx: AdminContext, error: TestSendRefusal): void {
  if (error.status === 429) ctx.set('Retry-After', String(error.details.retryAfterSeconds));
  answerError(ctx, error.status, error.message, { refusal: error.code, messages: error.messages, ...error.details });
}
