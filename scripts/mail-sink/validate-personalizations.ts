/**
 * Validation of `personalizations`: the envelopes, their to/cc/bcc lists (recipient count, each
 * address once per request) and what a personalization may override (from, subject, headers,
 * substitutions, dynamic_template_data, custom_args, send_at).
 */
import { LIMITS } from './contract';
import {
  byteSize,
  checkEmailObject,
  checkHeaders,
  checkSendAt,
  checkStringMap,
  hasLineBreak,
  isRecord,
  isValidEmail,
  wrongType,
  type Context,
  type Errors,
  type Json,
} from './validate-common';

const LIST_KINDS = ['to', 'cc', 'bcc'] as const;
type ListKind = 0 | 1 | 2;

/** Packs where an address was first seen into one number (no per-recipient string building). */
function encodePosition(personalization: number, kind: ListKind, index: number): number {
  return (personalization * 3 + kind) * 1e8 + index;
}

function decodePosition(code: number): string {
  const index = code % 1e8;
  const group = Math.floor(code / 1e8);
  return `personalizations.${Math.floor(group / 3)}.${LIST_KINDS[group % 3]}.${index}.email`;
}

/** The common case, checked without building field names: `{ email: valid, name?: string }`. */
function isPlainValidRecipient(item: unknown): item is { email: string } {
  if (!isRecord(item)) return false;
  const { email, name } = item;
  if (typeof email !== 'string' || !isValidEmail(email)) return false;
  return name === undefined || name === null || (typeof name === 'string' && !hasLineBreak(name));
}

/** A to/cc/bcc list: counts recipients and rejects addresses already used in this request. */
function checkRecipientList(p: Json, personalization: number, kind: ListKind, ctx: Context): void {
  const list = p[LIST_KINDS[kind]];
  const field = `personalizations.${personalization}.${LIST_KINDS[kind]}`;
  const required = kind === 0;
  if (list === undefined || list === null) {
    if (required) {
      ctx.errors.add(field, 'The to array is required for all personalization objects, and must have at least one email object with a valid email address.');
    }
    return;
  }
  if (!Array.isArray(list)) {
    wrongType(ctx.errors, field, 'array', list);
    return;
  }
  if (required && list.length === 0) {
    ctx.errors.add(field, 'The to array is required for all personalization objects, and must have at least one email object with a valid email address.');
    return;
  }
  ctx.recipients += list.length;
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    if (!isPlainValidRecipient(item)) {
      checkEmailObject(item, `${field}.${i}`, ctx.errors);
      continue;
    }
    const email = item.email.toLowerCase();
    const first = ctx.seen.get(email);
    if (first !== undefined) {
      ctx.errors.add(
        `${field}.${i}.email`,
        `Each email address may only appear once per request (to, cc and bcc of all personalizations). We found a duplicate of the address in ${decodePosition(first)}.`,
      );
    } else {
      ctx.seen.set(email, encodePosition(personalization, kind, i));
    }
  }
}

function checkSubstitutions(value: unknown, field: string, errors: Errors): void {
  if (value === undefined || value === null) return;
  if (!checkStringMap(value, field, errors, LIMITS.maxSubstitutions)) return;
  if (byteSize(value) > LIMITS.maxSubstitutionBytes) {
    errors.add(field, `The total size of substitutions may not exceed ${LIMITS.maxSubstitutionBytes} bytes per personalization.`);
  }
}

/**
 * `custom_args`: string values; the merged set that applies to one
 * personalization (message level overridden by personalization level) may not
 * exceed 10,000 bytes.
 */
function checkCustomArgs(messageArgs: unknown, personalArgs: unknown, field: string, errors: Errors): void {
  if (personalArgs === undefined || personalArgs === null) return;
  if (!checkStringMap(personalArgs, field, errors, 10_000)) return;
  const merged = byteSize(personalArgs) + (isRecord(messageArgs) ? byteSize(messageArgs, personalArgs) : 0);
  if (merged >= LIMITS.maxCustomArgsBytes) {
    errors.add(field, `The total size of custom_args must be under ${LIMITS.maxCustomArgsBytes} bytes.`);
  }
}

function checkPersonalization(p: unknown, index: number, body: Json, ctx: Context): void {
  const field = `personalizations.${index}`;
  const { errors } = ctx;
  if (!isRecord(p)) {
    wrongType(errors, field, 'object', p);
    return;
  }
  checkRecipientList(p, index, 0, ctx);
  checkRecipientList(p, index, 1, ctx);
  checkRecipientList(p, index, 2, ctx);
  if (p.from !== undefined && p.from !== null) checkEmailObject(p.from, `${field}.from`, errors);
  if (p.subject !== undefined && p.subject !== null) {
    if (typeof p.subject !== 'string') wrongType(errors, `${field}.subject`, 'string', p.subject);
    else if (p.subject.length === 0) errors.add(`${field}.subject`, 'The subject must be a string at least one character in length.');
  }
  checkHeaders(p.headers, `${field}.headers`, errors);
  checkSubstitutions(p.substitutions, `${field}.substitutions`, errors);
  if (p.dynamic_template_data !== undefined && p.dynamic_template_data !== null && !isRecord(p.dynamic_template_data)) {
    wrongType(errors, `${field}.dynamic_template_data`, 'object', p.dynamic_template_data);
  }
  checkCustomArgs(body.custom_args, p.custom_args, `${field}.custom_args`, errors);
  checkSendAt(p.send_at, `${field}.send_at`, ctx);
}

/** `personalizations`: 1..1000 envelopes, 1..1000 recipients in total, each address once. */
export function checkPersonalizations(body: Json, ctx: Context): void {
  const list = body.personalizations;
  if (!Array.isArray(list) || list.length === 0) {
    ctx.errors.add('personalizations', 'The personalizations field is required and must have at least one personalization.');
    return;
  }
  if (list.length > LIMITS.maxPersonalizations) {
    ctx.errors.add('personalizations', `You may not have more than ${LIMITS.maxPersonalizations} personalizations per request.`);
    return;
  }
  for (let i = 0; i < list.length; i++) checkPersonalization(list[i], i, body, ctx);
  if (ctx.recipients > LIMITS.maxRecipients) {
    ctx.errors.add(
      'personalizations',
      `The personalizations have ${ctx.recipients} recipients (to, cc and bcc together); a request may have at most ${LIMITS.maxRecipients}.`,
    );
  }
}
