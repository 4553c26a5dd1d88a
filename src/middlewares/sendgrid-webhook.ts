import type { IncomingMessage } from 'node:http';
import type { Core } from '@strapi/strapi';
import { readWebhookSettings } from '../settings/webhook';
import { requestPath } from '../core/web/request-path';
import { enqueueFeedback } from '../mailings/feedback/queue';
import { cmsServices } from '../app/cms';
import { receiveEventPost, SENDGRID_WEBHOOK_PATH } from '../mailings/feedback/webhook';

/**
 * `POST /webhooks/sendgrid`: SendGrid's signed Event Webhook. Before the body parser, because the
 * signature covers the raw bytes; the path is compared normalised (any case, slashes, encoding).
 * Without SENDGRID_WEBHOOK_PUBLIC_KEY it answers 404: an unverifiable post is never acted on.
 * Verified events go to the worker through the feedback queue (src/mailings/feedback/queue.ts).
 */
interface WebhookContext {
  path: string;
  method: string;
  state: Record<string, unknown>;
  req: IncomingMessage;
  request: { length?: number; header: Record<string, string | string[] | undefined> };
  status: number;
  body: unknown;
  set(name: string, value: string): void;
}

const ENQUEUE_TIMEOUT_MS = 5000;

function within<T>(ms: number, work: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

type BodyRead = { ok: true; body: Buffer } | { ok: false; status: number; error: string };

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const settings = readWebhookSettings();

  const answer = (ctx: WebhookContext, status: number, body: Record<string, unknown>) => {
    ctx.status = status;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  };

  return async (ctx: WebhookContext, next: () => Promise<void>) => {
    if (requestPath(ctx) !== SENDGRID_WEBHOOK_PATH) return next();
    if (!settings.publicKey) return answer(ctx, 404, { error: 'The SendGrid Event Webhook is not configured here (SENDGRID_WEBHOOK_PUBLIC_KEY is not set).' });
    if (ctx.method !== 'POST') {
      ctx.set('Allow', 'POST');
      return answer(ctx, 405, { error: 'Only POST: this is where SendGrid posts its events.' });
    }
    const read = await readRawBody(ctx, settings.maxBodyBytes);
    if (!read.ok) return answer(ctx, read.status, { error: read.error });
    const publicKey = settings.publicKey;
    const result = await receiveEventPost(ctx.request.header, read.body, {
      publicKey,
      toleranceSeconds: settings.toleranceSeconds,
      now: () => Date.now(),
      subscribersByEmail: async (emails) => {
        const rows = (await strapi.db.connection('subscribers').whereIn('email', emails).select('id', 'email')) as Array<{ id: number; email: string }>;
        return new Map(rows.map((row) => [row.email, Number(row.id)]));
      },
      // Bounded: with Redis away BullMQ waits for it indefinitely, and SendGrid would wait with it.
      enqueue: (events) => within(ENQUEUE_TIMEOUT_MS, enqueueFeedback(cmsServices(strapi).feedbackQueue, events), 'the feedback queue did not answer'),
    }).catch((error: unknown) => {
      // Redis or the database away: not SendGrid's fault, and it retries a non-2xx for 24 hours.
      strapi.log.error(`[webhook] could not take a SendGrid event post: ${error instanceof Error ? error.message : String(error)}`);
      ctx.set('Retry-After', '60');
      return { status: 503, body: { error: 'The events could not be taken just now; SendGrid will post them again.' } };
    });
    if (result.status !== 200) strapi.log.warn(`[webhook] refused a SendGrid event post (${result.status}): ${String(result.body.error)}`);
    answer(ctx, result.status, result.body);
  };
};

/** The raw body, at most `limit` bytes: refused up front by its Content-Length, or as soon as it grows past it. */
function readRawBody(ctx: WebhookContext, limit: number): Promise<BodyRead> {
  const encoding = String(ctx.request.header['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding !== 'identity' && encoding !== '')
    return Promise.resolve({ ok: false, status: 415, error: 'Compressed posts are not accepted: SendGrid posts plain JSON.' });
  const tooLarge: BodyRead = { ok: false, status: 413, error: `The post is larger than ${limit} bytes; SendGrid posts at most about 768 KB.` };
  if (ctx.request.length !== undefined && ctx.request.length > limit) {
    ctx.req.resume();
    return Promise.resolve(tooLarge);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyRead) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    ctx.req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        ctx.req.resume();
        return finish(tooLarge);
      }
      chunks.push(chunk);
    });
    ctx.req.on('end', () => finish({ ok: true, body: Buffer.concat(chunks, size) }));
    ctx.req.on('error', () => finish({ ok: false, status: 400, error: 'The post was interrupted.' }));
  });
}
