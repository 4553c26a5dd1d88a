/**
 * Validation of a SendGrid v3 `POST /v3/mail/send` request body.
 *
 * Implements the request schema of the official contract
 * (shared/contracts/sendgrid-mail-v3.openapi.json, components.requestBodies.PostMailSend)
 * plus the limits SendGrid enforces that the schema does not state
 * (shared/contracts/README.md): recipients per request, unique addresses,
 * custom_args size, send_at window and the number of categories.
 *
 * The 30 MB message size limit (413) is enforced by the server on the raw
 * request body, before this function is called.
 *
 * Pure: no I/O, no global state; `now` only matters for `send_at`.
 *
 * This module runs the checks in SendGrid's order and is what callers import (it re-exports the
 * request types and limits of ./contract.ts). The checks live by part of the body:
 * ./validate-personalizations.ts (envelopes and recipients), ./validate-message.ts (message-level
 * fields), ./validate-settings.ts (mail and tracking settings), ./validate-common.ts (shared).
 */
import { checkHeaders, checkSendAt, Errors, isRecord, type Context } from './validate-common';
import { checkPersonalizations } from './validate-personalizations';
import {
  checkAsm,
  checkAttachments,
  checkBatchId,
  checkCategories,
  checkContent,
  checkFrom,
  checkIpPoolName,
  checkMessageCustomArgs,
  checkReplyTo,
  checkSections,
  checkSubject,
  checkTemplateId,
} from './validate-message';
import { checkMailSettings, checkTrackingSettings } from './validate-settings';
import type { SendGridError } from './contract';

export { LIMITS, type Attachment, type ContentPart, type EmailAddress, type MailSendBody, type Personalization, type SendGridError } from './contract';
export { isValidEmail, RESERVED_HEADERS } from './validate-common';

export type ValidationResult = { ok: true; recipients: number } | { ok: false; status: 400; errors: SendGridError[] };

/**
 * Validates a parsed `POST /v3/mail/send` body the way SendGrid does.
 * Returns the number of recipients (to + cc + bcc) when valid, otherwise all
 * errors found, each naming the offending field (`personalizations.0.to.1.email`).
 */
export function validateMailSend(body: unknown, now: Date = new Date()): ValidationResult {
  const errors = new Errors();
  if (!isRecord(body)) {
    errors.add(null, 'The request body must be a JSON object.');
    return { ok: false, status: 400, errors: errors.list };
  }
  const ctx: Context = {
    errors,
    nowSeconds: Math.floor(now.getTime() / 1000),
    seen: new Map(),
    recipients: 0,
  };

  checkPersonalizations(body, ctx);
  checkFrom(body, errors);
  checkReplyTo(body, errors);
  checkTemplateId(body, errors);
  checkSubject(body, errors);
  checkContent(body, errors);
  checkAttachments(body, errors);
  checkHeaders(body.headers, 'headers', errors);
  checkMessageCustomArgs(body.custom_args, errors);
  checkCategories(body, errors);
  checkSendAt(body.send_at, 'send_at', ctx);
  checkBatchId(body, errors);
  checkAsm(body, errors);
  checkIpPoolName(body, errors);
  checkMailSettings(body, errors);
  checkTrackingSettings(body, errors);
  checkSections(body, errors);

  if (errors.list.length > 0) return { ok: false, status: 400, errors: errors.list };
  return { ok: true, recipients: ctx.recipients };
}
