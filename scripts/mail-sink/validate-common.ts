/**
 * What every part of the mail-send validation shares: the error collector, the type checks that
 * word their errors as SendGrid does, address syntax, and the checks that apply at both message
 * and personalization level (`{ email, name? }` objects, headers, string maps, `send_at`).
 */
import { LIMITS, type SendGridError } from './contract';

/** Headers SendGrid does not let a sender set (compared case-insensitively). */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'x-sg-id',
  'x-sg-eid',
  'received',
  'dkim-signature',
  'content-type',
  'content-transfer-encoding',
  'to',
  'from',
  'subject',
  'reply-to',
  'cc',
  'bcc',
]);

export type Json = Record<string, unknown>;

/** Collects errors in SendGrid's `{ message, field, help }` shape. */
export class Errors {
  readonly list: SendGridError[] = [];
  add(field: string | null, message: string): void {
    this.list.push({ message, field, help: null });
  }
}

/** The state of one validation run that several checks share. */
export interface Context {
  errors: Errors;
  nowSeconds: number;
  /** Lower-cased recipient address -> where it first occurred (packed by ./validate-personalizations.ts). */
  seen: Map<string, number>;
  recipients: number;
}

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export function wrongType(errors: Errors, field: string, expected: string, value: unknown): void {
  errors.add(field, `Invalid type. Expected: ${expected}, given: ${typeName(value)}.`);
}

export function hasLineBreak(value: string): boolean {
  return value.includes('\r') || value.includes('\n');
}

export function byteSize(map: Json, skip?: Json): number {
  let size = 0;
  for (const key of Object.keys(map)) {
    if (skip !== undefined && Object.prototype.hasOwnProperty.call(skip, key)) continue;
    const value = map[key];
    size += Buffer.byteLength(key, 'utf8');
    if (typeof value === 'string') size += Buffer.byteLength(value, 'utf8');
  }
  return size;
}

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9\u00a1-\uffff](?:[A-Za-z0-9\u00a1-\uffff-]{0,61}[A-Za-z0-9\u00a1-\uffff])?$/;
const TOP_LEVEL_DOMAIN = /^(?:[A-Za-z\u00a1-\uffff]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

/**
 * Address syntax as SendGrid accepts it in `email` fields: a bare address
 * (no display name, no angle brackets, no surrounding whitespace), dot-atom
 * local part, a domain name with at least two labels.
 */
export function isValidEmail(value: string): boolean {
  if (value.length === 0 || value.length > LIMITS.maxEmailLength) return false;
  const at = value.lastIndexOf('@');
  if (at < 1 || at === value.length - 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > LIMITS.maxLocalPartLength || !LOCAL_PART.test(local)) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  for (const label of labels) {
    if (!DOMAIN_LABEL.test(label)) return false;
  }
  return TOP_LEVEL_DOMAIN.test(labels[labels.length - 1] as string);
}

/** `{ email, name? }` objects (to/cc/bcc, from, reply_to). */
export function checkEmailObject(value: unknown, field: string, errors: Errors): value is Json {
  if (!isRecord(value)) {
    errors.add(field, `The ${field} object must be an object with an email parameter and an optional name parameter.`);
    return false;
  }
  let ok = true;
  const email = value.email;
  if (typeof email !== 'string' || email.length === 0) {
    errors.add(`${field}.email`, 'The email parameter is required and must be a string.');
    ok = false;
  } else if (!isValidEmail(email)) {
    errors.add(`${field}.email`, 'Does not contain a valid address.');
    ok = false;
  }
  if (value.name !== undefined && value.name !== null) {
    if (typeof value.name !== 'string') {
      wrongType(errors, `${field}.name`, 'string', value.name);
      ok = false;
    } else if (hasLineBreak(value.name)) {
      errors.add(`${field}.name`, 'The name parameter may not contain line breaks.');
      ok = false;
    }
  }
  return ok;
}

/** `headers` (message or personalization level): string values, no reserved names. */
export function checkHeaders(value: unknown, field: string, errors: Errors): void {
  if (value === undefined || value === null) return;
  if (!isRecord(value)) {
    wrongType(errors, field, 'object', value);
    return;
  }
  for (const key of Object.keys(value)) {
    const headerField = `${field}.${key}`;
    if (!/^[!-9;-~]+$/.test(key)) {
      errors.add(headerField, 'Header names must consist of printable ASCII characters other than ":" and space.');
      continue;
    }
    if (RESERVED_HEADERS.has(key.toLowerCase())) {
      errors.add(
        headerField,
        `The header "${key}" is reserved and cannot be set. Reserved headers: x-sg-id, x-sg-eid, received, dkim-signature, Content-Type, Content-Transfer-Encoding, To, From, Subject, Reply-To, CC, BCC.`,
      );
      continue;
    }
    const headerValue = value[key];
    if (typeof headerValue !== 'string') {
      wrongType(errors, headerField, 'string', headerValue);
    } else if (hasLineBreak(headerValue)) {
      errors.add(headerField, 'Header values may not contain line breaks.');
    }
  }
}

/** An object whose values must all be strings (substitutions, custom_args, sections). */
export function checkStringMap(value: unknown, field: string, errors: Errors, maxProperties?: number): value is Json {
  if (!isRecord(value)) {
    wrongType(errors, field, 'object', value);
    return false;
  }
  const keys = Object.keys(value);
  if (maxProperties !== undefined && keys.length > maxProperties) {
    errors.add(field, `The ${field} object may have at most ${maxProperties} properties.`);
    return false;
  }
  let ok = true;
  for (const key of keys) {
    if (typeof value[key] !== 'string') {
      wrongType(errors, `${field}.${key}`, 'string', value[key]);
      ok = false;
    }
  }
  return ok;
}

/** `send_at`: a unix timestamp (integer seconds) at most 72 hours ahead. */
export function checkSendAt(value: unknown, field: string, ctx: Context): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    wrongType(ctx.errors, field, 'integer', value);
    return;
  }
  if (value < 0) {
    ctx.errors.add(field, 'The send_at parameter must be a valid unix timestamp.');
    return;
  }
  if (value > ctx.nowSeconds + LIMITS.maxSendAtAheadSeconds) {
    ctx.errors.add(field, 'The send_at parameter cannot be scheduled more than 72 hours in advance.');
  }
}
