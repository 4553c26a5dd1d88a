import { Client } from '@sendgrid/client';
import type { MailDataRequired } from '@sendgrid/mail';
import { isPrebuilt, type OutgoingRequest } from './outgoing-mail';

/**
 * The one way mail leaves netwerkpost: SendGrid's v3 mail/send, through @sendgrid/mail's own HTTP
 * client (`client.request`). Requests are built by `toSendGridRequest` (outgoing-mail.ts); the
 * provider turns one into the v3 JSON body itself (`toWireBody`, one pass) and posts that:
 * `send()` would deep-clone the mail and each of up to 1000 personalizations and convert their key
 * case (about 11 ms per 1000-recipient batch, a quarter of the worker's CPU). A request with fields `toWireBody` does not know goes through
 * @sendgrid/mail's own serialisation, so nothing is ever dropped. A batch's personalizations may
 * come already serialised (PrebuiltRequest, as bytes): they are put into the body as they are.
 */
export interface MailProvider {
  send(request: OutgoingRequest): Promise<{ statusCode: number; messageId: string | null }>;
}

export function createSendGridProvider(options: { apiKey: string; apiUrl: string; timeoutMs?: number }): MailProvider {
  if (!options.apiKey) throw new Error('SENDGRID_API_KEY is not set: no mail can be sent (neither by the worker nor by Strapi for admin mail).');
  const client = new Client();
  client.setApiKey(options.apiKey);
  client.setDefaultRequest('baseUrl', options.apiUrl);
  // What MailService.setTimeout does: axios's request timeout (not in the client's typings).
  client.setDefaultRequest('timeout' as never, (options.timeoutMs ?? 30_000) as never);
  // SendGrid's API answers, it does not redirect. With redirects off, axios posts through node's own
  // http instead of follow-redirects, which keeps a copy of every request body for a possible replay.
  client.setDefaultRequest('maxRedirects' as never, 0 as never);
  // The body is the JSON made here (toWireJson), as bytes; this transform replaces axios's own, which
  // would parse JSON text again to check it. client.request copies an object body key by key (its
  // mergeData), which would make a Buffer a plain object of a million keys, so the bytes travel in a
  // one-key envelope that the transform opens.
  client.setDefaultRequest('transformRequest' as never, [(data: unknown) => (isWireEnvelope(data) ? data.wire : data)] as never);
  return {
    async send(request) {
      const envelope: WireEnvelope = { wire: toWireJson(request) };
      const [response] = await client.request({ method: 'POST', url: '/v3/mail/send', body: envelope as never });
      const header = response.headers?.['x-message-id'];
      return { statusCode: response.statusCode, messageId: typeof header === 'string' ? header : null };
    },
  };
}

interface WireEnvelope {
  wire: Buffer;
}

function isWireEnvelope(data: unknown): data is WireEnvelope {
  return typeof data === 'object' && data !== null && Buffer.isBuffer((data as WireEnvelope).wire) && Object.keys(data).length === 1;
}

/** The request's v3 JSON body in UTF-8: prebuilt personalizations are put in as they are (their bytes). */
export function toWireJson(request: OutgoingRequest): Buffer {
  if (!isPrebuilt(request)) return Buffer.from(JSON.stringify(toWireBody(request)));
  const { personalizations: _none, ...shared } = toWireBody({ ...request.mail, personalizations: [] });
  return Buffer.concat([PERSONALIZATIONS_OPEN, request.personalizations.bytes, Buffer.from(`],${JSON.stringify(shared).slice(1)}`)]);
}

const PERSONALIZATIONS_OPEN = Buffer.from('{"personalizations":[');

const MAIL_KEYS = new Set([
  'from',
  'replyTo',
  'subject',
  'content',
  'substitutionWrappers',
  'personalizations',
  'headers',
  'categories',
  'customArgs',
  'trackingSettings',
]);
const PERSONALIZATION_KEYS = new Set(['to', 'substitutions', 'headers', 'customArgs']);

type Json = Record<string, unknown>;

/**
 * The v3 JSON body of a request, exactly as @sendgrid/mail would send it (a unit test compares the
 * two), for the fields toSendGridRequest writes; anything else goes through @sendgrid/mail's Mail class.
 */
export function toWireBody(mail: MailDataRequired): Json {
  const data = mail as unknown as Json;
  const personalizations = data.personalizations as Json[] | undefined;
  const known =
    Object.keys(data).every((key) => MAIL_KEYS.has(key) || data[key] === undefined) &&
    Array.isArray(personalizations) &&
    personalizations.every(
      (p) => Object.keys(p).every((key) => PERSONALIZATION_KEYS.has(key)) && Array.isArray(p.to) && (p.to as unknown[]).every(isAddress),
    ) &&
    isAddress(data.from) &&
    (data.replyTo === undefined || isAddress(data.replyTo));
  if (!known) return viaMailClass(mail);

  const [left, right] = (data.substitutionWrappers as [string, string] | undefined) ?? ['{{', '}}'];
  const body: Json = {
    from: address(data.from as Json),
    subject: data.subject,
    personalizations: personalizations!.map((p) => {
      const out: Json = { to: (p.to as Json[]).map(address) };
      if (p.headers && Object.keys(p.headers).length > 0) out.headers = p.headers;
      const substitutions = p.substitutions as Record<string, unknown> | undefined;
      if (substitutions && Object.keys(substitutions).length > 0) {
        const wrapped: Record<string, string> = {};
        for (const key of Object.keys(substitutions)) wrapped[left + key + right] = String(substitutions[key]);
        out.substitutions = wrapped;
      }
      if (p.customArgs && Object.keys(p.customArgs).length > 0) out.custom_args = p.customArgs;
      return out;
    }),
  };
  const categories = data.categories as string[] | undefined;
  if (Array.isArray(categories) && categories.length > 0) body.categories = categories.filter((category) => category !== '');
  const content = data.content as Json[] | undefined;
  if (Array.isArray(content) && content.length > 0) body.content = content.map((part) => ({ ...part }));
  if (data.trackingSettings && Object.keys(data.trackingSettings).length > 0) body.tracking_settings = snakeKeys(data.trackingSettings as Json);
  if (data.customArgs && Object.keys(data.customArgs).length > 0) body.custom_args = data.customArgs;
  if (data.headers && Object.keys(data.headers).length > 0) body.headers = data.headers;
  if (data.replyTo !== undefined) body.reply_to = address(data.replyTo as Json);
  return body;
}

function isAddress(value: unknown): value is { email: string; name?: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Json).email === 'string' &&
    Object.keys(value).every((key) => key === 'email' || key === 'name')
  );
}

function address(value: Json): Json {
  return value.name ? { email: value.email, name: value.name } : { email: value.email };
}

function snakeKeys(value: Json): Json {
  const out: Json = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)] =
      inner && typeof inner === 'object' && !Array.isArray(inner) ? snakeKeys(inner as Json) : inner;
  }
  return out;
}

let mailClass: { create(data: unknown): { toJSON(): Json } } | undefined;

function viaMailClass(mail: MailDataRequired): Json {
  // The class @sendgrid/mail's send() uses; loaded from the same package (its helpers dependency).
  mailClass ??= require(require.resolve('@sendgrid/helpers/classes/mail', { paths: [require.resolve('@sendgrid/mail')] })) as typeof mailClass;
  return mailClass!.create(mail).toJSON();
}
