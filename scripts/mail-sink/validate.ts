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
 */

export interface SendGridError {
  message: string;
  field: string | null;
  help: string | null;
}

export type ValidationResult =
  | { ok: true; recipients: number }
  | { ok: false; status: 400; errors: SendGridError[] };

/** Shapes of a request that passed validation (loosely typed: extra fields are kept). */
export interface EmailAddress {
  email: string;
  name?: string;
}

export interface Personalization {
  to: EmailAddress[];
  cc?: EmailAddress[];
  bcc?: EmailAddress[];
  from?: EmailAddress;
  subject?: string;
  headers?: Record<string, string>;
  substitutions?: Record<string, string>;
  dynamic_template_data?: Record<string, unknown>;
  custom_args?: Record<string, string>;
  send_at?: number;
  [key: string]: unknown;
}

export interface ContentPart {
  type: string;
  value: string;
}

export interface Attachment {
  content: string;
  filename: string;
  type?: string;
  disposition?: 'inline' | 'attachment';
  content_id?: string;
}

export interface MailSendBody {
  personalizations: Personalization[];
  from: EmailAddress;
  reply_to?: EmailAddress;
  reply_to_list?: EmailAddress[];
  subject?: string;
  content?: ContentPart[];
  attachments?: Attachment[];
  template_id?: string;
  headers?: Record<string, string>;
  categories?: string[];
  custom_args?: Record<string, string>;
  send_at?: number;
  batch_id?: string;
  asm?: { group_id: number; groups_to_display?: number[] };
  ip_pool_name?: string;
  mail_settings?: Record<string, unknown>;
  tracking_settings?: Record<string, unknown>;
  [key: string]: unknown;
}

export const LIMITS = {
  /** to + cc + bcc, summed over all personalizations. */
  maxRecipients: 1000,
  maxPersonalizations: 1000,
  maxCategories: 10,
  maxCategoryLength: 255,
  /**
   * Merged (message + personalization) custom_args, UTF-8 bytes of keys and
   * values, must stay under this ("under 10,000 bytes": 10,000 itself is rejected).
   */
  maxCustomArgsBytes: 10_000,
  /** Substitutions of one personalization, UTF-8 bytes of keys and values ("may not exceed"). */
  maxSubstitutionBytes: 10_000,
  maxSubstitutions: 10_000,
  maxSendAtAheadSeconds: 72 * 60 * 60,
  maxReplyToList: 1000,
  maxGroupsToDisplay: 25,
  ipPoolNameMin: 2,
  ipPoolNameMax: 64,
  maxEmailLength: 254,
  maxLocalPartLength: 64,
  /**
   * Request body size: a body of this many bytes or more gets 413 ("under 30 MB";
   * decimal megabytes, the stricter reading). Enforced by the server, not here.
   */
  bodyLimitBytes: 30_000_000,
} as const;

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

type Json = Record<string, unknown>;

/** Collects errors in SendGrid's `{ message, field, help }` shape. */
class Errors {
  readonly list: SendGridError[] = [];
  add(field: string | null, message: string): void {
    this.list.push({ message, field, help: null });
  }
}

interface Context {
  errors: Errors;
  nowSeconds: number;
  /** Lower-cased recipient address -> where it first occurred (see encodePosition). */
  seen: Map<string, number>;
  recipients: number;
}

// ---------------------------------------------------------------------------
// Small helpers

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function wrongType(errors: Errors, field: string, expected: string, value: unknown): void {
  errors.add(field, `Invalid type. Expected: ${expected}, given: ${typeName(value)}.`);
}

function hasLineBreak(value: string): boolean {
  return value.includes('\r') || value.includes('\n');
}

function byteSize(map: Json, skip?: Json): number {
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

// ---------------------------------------------------------------------------
// Sections

/** `{ email, name? }` objects (to/cc/bcc, from, reply_to). */
function checkEmailObject(value: unknown, field: string, errors: Errors): value is Json {
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

/** `headers` (message or personalization level): string values, no reserved names. */
function checkHeaders(value: unknown, field: string, errors: Errors): void {
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
      errors.add(headerField, `The header "${key}" is reserved and cannot be set. Reserved headers: x-sg-id, x-sg-eid, received, dkim-signature, Content-Type, Content-Transfer-Encoding, To, From, Subject, Reply-To, CC, BCC.`);
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
function checkStringMap(value: unknown, field: string, errors: Errors, maxProperties?: number): value is Json {
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

function checkMessageCustomArgs(value: unknown, errors: Errors): void {
  if (value === undefined || value === null) return;
  if (!checkStringMap(value, 'custom_args', errors, 10_000)) return;
  if (byteSize(value) >= LIMITS.maxCustomArgsBytes) {
    errors.add('custom_args', `The total size of custom_args must be under ${LIMITS.maxCustomArgsBytes} bytes.`);
  }
}

/** `send_at`: a unix timestamp (integer seconds) at most 72 hours ahead. */
function checkSendAt(value: unknown, field: string, ctx: Context): void {
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
function checkPersonalizations(body: Json, ctx: Context): void {
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

function checkFrom(body: Json, errors: Errors): void {
  if (body.from === undefined || body.from === null) {
    errors.add('from', 'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.');
    return;
  }
  checkEmailObject(body.from, 'from', errors);
}

/** `reply_to` or `reply_to_list`, not both. */
function checkReplyTo(body: Json, errors: Errors): void {
  const single = body.reply_to;
  const list = body.reply_to_list;
  const hasSingle = single !== undefined && single !== null;
  const hasList = list !== undefined && list !== null;
  if (hasSingle) checkEmailObject(single, 'reply_to', errors);
  if (!hasList) return;
  if (hasSingle) {
    errors.add('reply_to_list', 'You can use either the reply_to property or the reply_to_list property, but not both.');
    return;
  }
  if (!Array.isArray(list)) {
    wrongType(errors, 'reply_to_list', 'array', list);
    return;
  }
  if (list.length > LIMITS.maxReplyToList) {
    errors.add('reply_to_list', `The reply_to_list may contain at most ${LIMITS.maxReplyToList} addresses.`);
    return;
  }
  const seen = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    if (!checkEmailObject(item, `reply_to_list.${i}`, errors)) continue;
    const email = ((item as Json).email as string).toLowerCase();
    if (seen.has(email)) errors.add(`reply_to_list.${i}.email`, 'The reply_to_list addresses must be unique.');
    seen.add(email);
  }
}

function hasTemplate(body: Json): boolean {
  return isNonEmptyString(body.template_id);
}

function checkTemplateId(body: Json, errors: Errors): void {
  const id = body.template_id;
  if (id === undefined || id === null) return;
  if (typeof id !== 'string') wrongType(errors, 'template_id', 'string', id);
  else if (id.trim().length === 0) errors.add('template_id', 'The template_id must be a non-empty string.');
}

/** `subject`: required unless a template is used or every personalization has its own. */
function checkSubject(body: Json, errors: Errors): void {
  const subject = body.subject;
  if (subject !== undefined && subject !== null) {
    if (typeof subject !== 'string') wrongType(errors, 'subject', 'string', subject);
    else if (subject.length === 0) errors.add('subject', 'The subject must be a string at least one character in length.');
    return;
  }
  if (hasTemplate(body)) return;
  const list = body.personalizations;
  const everyHasSubject =
    Array.isArray(list) && list.length > 0 && list.every((p) => isRecord(p) && isNonEmptyString(p.subject));
  if (!everyHasSubject) {
    errors.add('subject', 'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.');
  }
}

/** `content`: at least one `{type, value}` unless a template is used; text/plain first. */
function checkContent(body: Json, errors: Errors): void {
  const content = body.content;
  const template = hasTemplate(body);
  if (content === undefined || content === null) {
    if (!template) {
      errors.add('content', 'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.');
    }
    return;
  }
  if (!Array.isArray(content)) {
    wrongType(errors, 'content', 'array', content);
    return;
  }
  if (content.length === 0) {
    if (!template) errors.add('content', 'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.');
    return;
  }
  const typesSeen = new Set<string>();
  for (let i = 0; i < content.length; i++) {
    const field = `content.${i}`;
    const part: unknown = content[i];
    if (!isRecord(part)) {
      wrongType(errors, field, 'object', part);
      continue;
    }
    if (!isNonEmptyString(part.type)) {
      errors.add(`${field}.type`, 'The content type must be a string at least one character in length.');
    } else {
      const type = part.type.toLowerCase();
      if (type.includes(';') || hasLineBreak(type)) {
        errors.add(`${field}.type`, 'Content types cannot contain ";" or line breaks.');
      }
      if (type === 'text/plain' && i !== 0) {
        errors.add(`${field}.type`, 'If present, text/plain content must be first, followed by text/html, followed by any other content.');
      }
      if ((type === 'text/plain' || type === 'text/html') && typesSeen.has(type)) {
        errors.add(`${field}.type`, 'If present, text/plain and text/html may only be provided once.');
      }
      typesSeen.add(type);
    }
    if (typeof part.value !== 'string') {
      errors.add(`${field}.value`, 'The content value must be a string at least one character in length.');
    } else if (part.value.length === 0) {
      errors.add(`${field}.value`, 'The content value must be a string at least one character in length.');
    }
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isBase64(value: string): boolean {
  const compact = value.includes('\n') || value.includes('\r') ? value.replace(/\r?\n/g, '') : value;
  return compact.length % 4 === 0 && BASE64.test(compact);
}

/** `attachments`: base64 `content` and `filename` required; disposition inline|attachment. */
function checkAttachments(body: Json, errors: Errors): void {
  const list = body.attachments;
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) {
    wrongType(errors, 'attachments', 'array', list);
    return;
  }
  for (let i = 0; i < list.length; i++) {
    const field = `attachments.${i}`;
    const a: unknown = list[i];
    if (!isRecord(a)) {
      wrongType(errors, field, 'object', a);
      continue;
    }
    if (!isNonEmptyString(a.content)) {
      errors.add(`${field}.content`, 'The attachment content is required and must be a Base64 encoded string.');
    } else if (!isBase64(a.content)) {
      errors.add(`${field}.content`, 'The attachment content must be Base64 encoded.');
    }
    if (!isNonEmptyString(a.filename)) {
      errors.add(`${field}.filename`, 'The attachment filename is required.');
    } else if (hasLineBreak(a.filename)) {
      errors.add(`${field}.filename`, 'The attachment filename may not contain line breaks.');
    }
    if (a.type !== undefined && a.type !== null) {
      if (!isNonEmptyString(a.type)) errors.add(`${field}.type`, 'The attachment type must be a string at least one character in length.');
      else if (a.type.includes(';') || hasLineBreak(a.type)) errors.add(`${field}.type`, 'The attachment type cannot contain ";" or line breaks.');
    }
    if (a.disposition !== undefined && a.disposition !== null && a.disposition !== 'inline' && a.disposition !== 'attachment') {
      errors.add(`${field}.disposition`, 'The attachment disposition must be either "inline" or "attachment".');
    }
    if (a.content_id !== undefined && a.content_id !== null && typeof a.content_id !== 'string') {
      wrongType(errors, `${field}.content_id`, 'string', a.content_id);
    }
  }
}

/** `categories`: at most 10 unique non-empty strings of at most 255 characters. */
function checkCategories(body: Json, errors: Errors): void {
  const list = body.categories;
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) {
    wrongType(errors, 'categories', 'array', list);
    return;
  }
  if (list.length > LIMITS.maxCategories) {
    errors.add('categories', `You may not have more than ${LIMITS.maxCategories} categories per request.`);
  }
  const seen = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const field = `categories.${i}`;
    const category: unknown = list[i];
    if (typeof category !== 'string') {
      wrongType(errors, field, 'string', category);
      continue;
    }
    if (category.length === 0) errors.add(field, 'A category must be a string at least one character in length.');
    else if (category.length > LIMITS.maxCategoryLength) errors.add(field, `A category name cannot exceed ${LIMITS.maxCategoryLength} characters.`);
    if (seen.has(category)) errors.add(field, 'Categories must be unique.');
    seen.add(category);
  }
}

function checkBatchId(body: Json, errors: Errors): void {
  const id = body.batch_id;
  if (id === undefined || id === null) return;
  if (typeof id !== 'string') {
    wrongType(errors, 'batch_id', 'string', id);
  } else if (!/^[A-Za-z0-9_-]+$/.test(id)) {
    errors.add('batch_id', 'The batch ID is not valid.');
  }
}

/** `asm`: integer `group_id` required, up to 25 integer `groups_to_display`. */
function checkAsm(body: Json, errors: Errors): void {
  const asm = body.asm;
  if (asm === undefined || asm === null) return;
  if (!isRecord(asm)) {
    wrongType(errors, 'asm', 'object', asm);
    return;
  }
  if (asm.group_id === undefined || asm.group_id === null) {
    errors.add('asm.group_id', 'The asm group_id is required and must be an integer.');
  } else if (typeof asm.group_id !== 'number' || !Number.isSafeInteger(asm.group_id)) {
    wrongType(errors, 'asm.group_id', 'integer', asm.group_id);
  }
  const groups = asm.groups_to_display;
  if (groups === undefined || groups === null) return;
  if (!Array.isArray(groups)) {
    wrongType(errors, 'asm.groups_to_display', 'array', groups);
    return;
  }
  if (groups.length > LIMITS.maxGroupsToDisplay) {
    errors.add('asm.groups_to_display', `The asm groups_to_display may contain at most ${LIMITS.maxGroupsToDisplay} groups.`);
  }
  groups.forEach((g: unknown, i) => {
    if (typeof g !== 'number' || !Number.isSafeInteger(g)) wrongType(errors, `asm.groups_to_display.${i}`, 'integer', g);
  });
}

function checkIpPoolName(body: Json, errors: Errors): void {
  const name = body.ip_pool_name;
  if (name === undefined || name === null) return;
  if (typeof name !== 'string') {
    wrongType(errors, 'ip_pool_name', 'string', name);
  } else if (name.length < LIMITS.ipPoolNameMin || name.length > LIMITS.ipPoolNameMax) {
    errors.add('ip_pool_name', `The ip_pool_name must be between ${LIMITS.ipPoolNameMin} and ${LIMITS.ipPoolNameMax} characters.`);
  }
}

type SettingShape = Record<string, 'boolean' | 'string'>;

/** Checks a `{ enable: boolean, ... }` settings object against the property types it allows. */
function checkSetting(value: unknown, field: string, shape: SettingShape, errors: Errors): void {
  if (value === undefined || value === null) return;
  if (!isRecord(value)) {
    wrongType(errors, field, 'object', value);
    return;
  }
  for (const [key, expected] of Object.entries(shape)) {
    const v = value[key];
    if (v !== undefined && v !== null && typeof v !== expected) wrongType(errors, `${field}.${key}`, expected, v);
  }
}

const ENABLE_ONLY: SettingShape = { enable: 'boolean' };

const MAIL_SETTINGS: Record<string, SettingShape> = {
  bypass_list_management: ENABLE_ONLY,
  bypass_spam_management: ENABLE_ONLY,
  bypass_bounce_management: ENABLE_ONLY,
  bypass_unsubscribe_management: ENABLE_ONLY,
  footer: { enable: 'boolean', text: 'string', html: 'string' },
  sandbox_mode: ENABLE_ONLY,
};

const TRACKING_SETTINGS: Record<string, SettingShape> = {
  click_tracking: { enable: 'boolean', enable_text: 'boolean' },
  open_tracking: { enable: 'boolean', substitution_tag: 'string' },
  subscription_tracking: { enable: 'boolean', text: 'string', html: 'string', substitution_tag: 'string' },
  ganalytics: {
    enable: 'boolean',
    utm_source: 'string',
    utm_medium: 'string',
    utm_term: 'string',
    utm_content: 'string',
    utm_campaign: 'string',
  },
};

function isEnabled(settings: Json, key: string): boolean {
  const setting = settings[key];
  return isRecord(setting) && setting.enable === true;
}

/** `mail_settings`: known settings have the documented shape; bypass_list_management is exclusive. */
function checkMailSettings(body: Json, errors: Errors): void {
  const settings = body.mail_settings;
  if (settings === undefined || settings === null) return;
  if (!isRecord(settings)) {
    wrongType(errors, 'mail_settings', 'object', settings);
    return;
  }
  for (const [key, shape] of Object.entries(MAIL_SETTINGS)) {
    checkSetting(settings[key], `mail_settings.${key}`, shape, errors);
  }
  const otherBypass = ['bypass_spam_management', 'bypass_bounce_management', 'bypass_unsubscribe_management'];
  if (isEnabled(settings, 'bypass_list_management') && otherBypass.some((k) => isEnabled(settings, k))) {
    errors.add('mail_settings.bypass_list_management', 'The bypass_list_management filter cannot be combined with other bypass filters.');
  }
}

function checkTrackingSettings(body: Json, errors: Errors): void {
  const settings = body.tracking_settings;
  if (settings === undefined || settings === null) return;
  if (!isRecord(settings)) {
    wrongType(errors, 'tracking_settings', 'object', settings);
    return;
  }
  for (const [key, shape] of Object.entries(TRACKING_SETTINGS)) {
    checkSetting(settings[key], `tracking_settings.${key}`, shape, errors);
  }
}

/** Legacy `sections`: a string -> string map. */
function checkSections(body: Json, errors: Errors): void {
  if (body.sections === undefined || body.sections === null) return;
  checkStringMap(body.sections, 'sections', errors);
}

// ---------------------------------------------------------------------------

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
