/**
 * Mail sink: a local stand-in for SendGrid's `POST /v3/mail/send`.
 *
 * Point `@sendgrid/mail` at it with `client.setDefaultRequest('baseUrl', sink.url)`.
 * It authenticates, size-checks and validates requests like SendGrid does, keeps or counts
 * accepted mail, can inject faults, and serves a JSON API (`/__sink/...`) and a small HTML viewer
 * (`/`). With a webhook configured it posts signed Event Webhook events for what it accepts.
 *
 * This module starts the HTTP server, routes each request and is what callers import. The jobs
 * live beside it: ./mail-send.ts (the SendGrid endpoint), ./validate.ts (the request contract),
 * ./inbox.ts (stored mail and counters), ./recipient-view.ts (mail per recipient), ./faults.ts
 * (fault injection), ./control-api.ts (`/__sink/...`), ./inbox-pages.ts (the HTML viewer),
 * ./webhook.ts and ./events.ts (Event Webhook), ./http.ts (body reading, answers).
 *
 * Plain `node:http`, no dependencies.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventCounts } from './events';
import { createControlApi } from './control-api';
import { createDelayTimers, noFaults, parseFaults, publicFaults, type FaultSlot, type Faults } from './faults';
import { CONTROL_BODY_LIMIT, discardRest, sendJson, sgError } from './http';
import { createInbox, type SinkCounts, type SinkMode, type StoredMessage } from './inbox';
import { handlePage } from './inbox-pages';
import { createMailSendHandler } from './mail-send';
import { recipientViews, type RecipientView } from './recipient-view';
import { createWebhookSlot, type WebhookOptions } from './webhook';

export type { Faults } from './faults';
export type { SinkCounts, SinkMode, StoredMessage } from './inbox';
export { applySubstitutions, renderForRecipient, type RecipientType, type RecipientView, type RenderedMail } from './recipient-view';
export type { WebhookOptions, WebhookView } from './webhook';

export interface MailSinkOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** When set, `Authorization: Bearer <apiKey>` must match exactly; otherwise any bearer token is accepted. */
  apiKey?: string;
  /** `keep` (default) stores accepted requests; `count` only counts them. */
  mode?: SinkMode;
  /** Keep mode: how many accepted requests to keep (oldest are dropped first). Default 5000. */
  maxStored?: number;
  /** Post Event Webhook events of accepted requests there (also settable later: `setWebhook`). */
  webhook?: WebhookOptions;
}

export interface MailSink {
  /** Base URL, e.g. `http://127.0.0.1:3025` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly mode: SinkMode;
  close(): Promise<void>;
  /** Stored requests, oldest first (empty in count mode). */
  messages(): StoredMessage[];
  counts(): SinkCounts;
  /** One entry per recipient of every stored request. */
  recipients(): RecipientView[];
  /** Clears stored requests and counts (not the faults). */
  reset(): void;
  /** Replaces the active faults. Throws a TypeError on invalid input. */
  setFaults(faults: Faults): void;
  clearFaults(): void;
  /** The active faults, with the remaining 429/500 counts. */
  faults(): Faults;
  /**
   * Starts posting events of requests accepted from now on (replacing an earlier webhook, whose
   * waiting events are dropped), or stops with null. Throws a TypeError on invalid options.
   */
  setWebhook(options: WebhookOptions | null): void;
  /** base64 DER SPKI key that verifies the posts (SENDGRID_WEBHOOK_PUBLIC_KEY); null without a webhook. */
  readonly webhookPublicKey: string | null;
  /** Resolves when every event so far was posted or given up. */
  flushEvents(): Promise<void>;
  /** The current webhook's counters (all 0 without one). */
  eventCounts(): EventCounts;
}

function formatHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts a mail sink. Resolves once it is listening. */
export async function startMailSink(opts: MailSinkOptions = {}): Promise<MailSink> {
  const mode: SinkMode = opts.mode ?? 'keep';
  if (mode !== 'keep' && mode !== 'count') throw new TypeError(`mode must be "keep" or "count", got ${String(mode)}`);
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new TypeError(`invalid port ${String(port)}`);
  const apiKey = opts.apiKey === undefined || opts.apiKey === '' ? null : opts.apiKey;

  const inbox = createInbox(mode, opts.maxStored);
  const faults: FaultSlot = { current: noFaults() };
  const delays = createDelayTimers();
  const webhook = createWebhookSlot();
  if (opts.webhook) webhook.set(opts.webhook);

  const handleSend = createMailSendHandler({ apiKey, inbox, faults, delays, webhook });
  const control = createControlApi({ inbox, faults, webhook });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const query = new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1));
    const method = req.method ?? 'GET';

    if (path === '/v3/mail/send') {
      if (method === 'POST') return handleSend(req, res);
      discardRest(req, CONTROL_BODY_LIMIT);
      return sendJson(res, 405, sgError('method not allowed'), { Allow: 'POST' });
    }
    if (path === '/__sink/faults') return control.handleFaults(req, res);
    if (path === '/__sink/webhook' || path === '/__sink/webhook/flush') return control.handleWebhook(req, res, path);

    // Everything below has no request body worth reading.
    discardRest(req, CONTROL_BODY_LIMIT);
    if (control.handleRead(res, method, path, query)) return;
    if (handlePage(res, method, path, query, inbox, faults)) return;
    return sendJson(res, 404, sgError('not found'));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, sgError('internal server error (mail sink)'));
      else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${formatHost(host)}:${address.port}`;

  return {
    url,
    port: address.port,
    mode,
    close(): Promise<void> {
      delays.stop();
      webhook.set(null);
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    messages: () => [...inbox.stored],
    counts: () => ({ ...inbox.counts }),
    recipients: () => inbox.stored.flatMap(recipientViews),
    reset: () => inbox.reset(),
    setFaults(input: Faults): void {
      faults.current = parseFaults(input);
    },
    clearFaults(): void {
      faults.current = noFaults();
    },
    faults: () => publicFaults(faults.current),
    setWebhook: (options: WebhookOptions | null) => webhook.set(options),
    get webhookPublicKey(): string | null {
      return webhook.publicKey;
    },
    flushEvents: () => webhook.flush(),
    eventCounts: () => webhook.counts(),
  };
}
