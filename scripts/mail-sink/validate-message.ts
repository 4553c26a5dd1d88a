/**
 * Validation of the message-level fields of a mail-send body: from, reply_to, template, subject,
 * content, attachments, custom_args, categories, batch_id, asm, ip_pool_name and legacy sections.
 * The settings objects are checked in ./validate-settings.ts.
 */
import { LIMITS } from './contract';
import { byteSize, checkEmailObject, checkStringMap, hasLineBreak, isNonEmptyString, isRecord, wrongType, type Errors, type Json } from './validate-common';

export function checkMessageCustomArgs(value: unknown, errors: Errors): void {
  if (value === undefined || value === null) return;
  if (!checkStringMap(value, 'custom_args', errors, 10_000)) return;
  if (byteSize(value) >= LIMITS.maxCustomArgsBytes) {
    errors.add('custom_args', `The total size of custom_args must be under ${LIMITS.maxCustomArgsBytes} bytes.`);
  }
}

export function checkFrom(body: Json, errors: Errors): void {
  if (body.from === undefined || body.from === null) {
    errors.add(
      'from',
      'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.',
    );
    return;
  }
  checkEmailObject(body.from, 'from', errors);
}

/** `reply_to` or `reply_to_list`, not both. */
export function checkReplyTo(body: Json, errors: Errors): void {
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

export function checkTemplateId(body: Json, errors: Errors): void {
  const id = body.template_id;
  if (id === undefined || id === null) return;
  if (typeof id !== 'string') wrongType(errors, 'template_id', 'string', id);
  else if (id.trim().length === 0) errors.add('template_id', 'The template_id must be a non-empty string.');
}

/** `subject`: required unless a template is used or every personalization has its own. */
export function checkSubject(body: Json, errors: Errors): void {
  const subject = body.subject;
  if (subject !== undefined && subject !== null) {
    if (typeof subject !== 'string') wrongType(errors, 'subject', 'string', subject);
    else if (subject.length === 0) errors.add('subject', 'The subject must be a string at least one character in length.');
    return;
  }
  if (hasTemplate(body)) return;
  const list = body.personalizations;
  const everyHasSubject = Array.isArray(list) && list.length > 0 && list.every((p) => isRecord(p) && isNonEmptyString(p.subject));
  if (!everyHasSubject) {
    errors.add(
      'subject',
      'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
    );
  }
}

/** `content`: at least one `{type, value}` unless a template is used; text/plain first. */
export function checkContent(body: Json, errors: Errors): void {
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
    if (!template)
      errors.add('content', 'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.');
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
export function checkAttachments(body: Json, errors: Errors): void {
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
export function checkCategories(body: Json, errors: Errors): void {
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

export function checkBatchId(body: Json, errors: Errors): void {
  const id = body.batch_id;
  if (id === undefined || id === null) return;
  if (typeof id !== 'string') {
    wrongType(errors, 'batch_id', 'string', id);
  } else if (!/^[A-Za-z0-9_-]+$/.test(id)) {
    errors.add('batch_id', 'The batch ID is not valid.');
  }
}

/** `asm`: integer `group_id` required, up to 25 integer `groups_to_display`. */
export function checkAsm(body: Json, errors: Errors): void {
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

export function checkIpPoolName(body: Json, errors: Errors): void {
  const name = body.ip_pool_name;
  if (name === undefined || name === null) return;
  if (typeof name !== 'string') {
    wrongType(errors, 'ip_pool_name', 'string', name);
  } else if (name.length < LIMITS.ipPoolNameMin || name.length > LIMITS.ipPoolNameMax) {
    errors.add('ip_pool_name', `The ip_pool_name must be between ${LIMITS.ipPoolNameMin} and ${LIMITS.ipPoolNameMax} characters.`);
  }
}

/** Legacy `sections`: a string -> string map. */
export function checkSections(body: Json, errors: Errors): void {
  if (body.sections === undefined || body.sections === null) return;
  checkStringMap(body.sections, 'sections', errors);
}
