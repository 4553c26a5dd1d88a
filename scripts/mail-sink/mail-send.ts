/**
 * `POST /v3/mail/send`, answered as SendGrid answers it: bearer authentication, the body size
 * limit (also after gunzip), injected faults (429 with rate-limit headers, 500, delay, rejected
 * address), JSON and contract validation (./validate.ts), sandbox mode; then the request is
 * counted, kept in the inbox and handed to the webhook for its events.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { LIMITS, validateMailSend, type MailSendBody } from './validate';
import { isSandboxMode } from './events';
import { findRecipient, type DelayTimers, type FaultSlot } from './faults';
import { DISCARD_LIMIT_BYTES, discardRest, readBody, send, sendJson, sgError } from './http';
import type { Inbox } from './inbox';
import type { WebhookSlot } from './webhook';

/** What X-RateLimit-Limit says on an injected 429. */
const RATE_LIMIT = 600;

export interface MailSendDeps {
  /** The one bearer token accepted; null accepts any. */
  apiKey: string | null;
  inbox: Inbox;
  faults: FaultSlot;
  delays: DelayTimers;
  webhook: WebhookSlot;
}

function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match ? (match[1] as string) : null;
}

export function createMailSendHandler(deps: MailSendDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { apiKey, inbox, faults, delays, webhook } = deps;

  /** POST /v3/mail/send */
  async function handleSend(req: IncomingMessage, res: ServerResponse): Promise<void> {
    inbox.counts.requests++;
    const delay = faults.current.delayMs;
    const reply = async (status: number, body: unknown, headers: OutgoingHttpHeaders = {}): Promise<void> => {
      await delays.sleep(delay);
      if (status === 202) send(res, 202, null, headers);
      else sendJson(res, status, body, headers);
    };

    const token = bearerToken(req);
    if (token === null || (apiKey !== null && token !== apiKey)) {
      inbox.counts.rejected++;
      discardRest(req, DISCARD_LIMIT_BYTES);
      const message = token === null ? 'authorization required' : 'The provided authorization grant is invalid, expired, or revoked';
      await reply(401, sgError(message));
      return;
    }

    const body = await readBody(req, LIMITS.bodyLimitBytes);
    if (body.kind === 'aborted') return;
    if (body.kind === 'too-large') {
      inbox.counts.rejected++;
      await reply(413, sgError('content too large'));
      return;
    }

    if (faults.current.status429 > 0) {
      faults.current.status429--;
      inbox.counts.status429++;
      const reset = faults.current.resetAfterSeconds;
      await reply(429, sgError('too many requests'), {
        'X-RateLimit-Limit': String(RATE_LIMIT),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(Math.floor(Date.now() / 1000) + reset),
        'Retry-After': String(reset),
      });
      return;
    }
    if (faults.current.status500 > 0) {
      faults.current.status500--;
      inbox.counts.status500++;
      await reply(500, sgError('internal server error'));
      return;
    }

    let raw = body.data;
    const encoding = String(req.headers['content-encoding'] ?? 'identity')
      .trim()
      .toLowerCase();
    if (encoding === 'gzip') {
      try {
        raw = gunzipSync(raw, { maxOutputLength: LIMITS.bodyLimitBytes });
      } catch (err) {
        inbox.counts.rejected++;
        const tooLarge = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
        await reply(tooLarge ? 413 : 400, sgError(tooLarge ? 'content too large' : 'The request body is not valid gzip data.'));
        return;
      }
      if (raw.length >= LIMITS.bodyLimitBytes) {
        inbox.counts.rejected++;
        await reply(413, sgError('content too large'));
        return;
      }
    } else if (encoding !== 'identity' && encoding !== '') {
      inbox.counts.rejected++;
      await reply(400, sgError(`Unsupported Content-Encoding "${encoding}"; only gzip is supported.`));
      return;
    }

    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      inbox.counts.rejected++;
      await reply(400, sgError('Bad Request: the request body is not valid JSON.'));
      return;
    }

    const result = validateMailSend(parsed);
    if (!result.ok) {
      inbox.counts.rejected++;
      await reply(400, { errors: result.errors });
      return;
    }
    const mail = parsed as MailSendBody;

    if (faults.current.rejectAddress !== null) {
      const field = findRecipient(mail, faults.current.rejectAddress);
      if (field !== null) {
        inbox.counts.rejected++;
        await reply(400, sgError('The recipient address was rejected (mail sink fault injection: rejectAddress).', field));
        return;
      }
    }

    // Sandbox mode, as SendGrid: validated, answered 200 (not 202), nothing kept or sent, no events.
    if (isSandboxMode(mail)) {
      inbox.counts.accepted++;
      await delays.sleep(delay);
      send(res, 200, null);
      return;
    }

    const messageId = inbox.accept(mail, result.recipients);
    await reply(202, null, { 'X-Message-Id': messageId });
    // After the answer, as with SendGrid: the events of a mail follow its acceptance.
    webhook.accepted(mail, messageId);
  }

  return handleSend;
}
