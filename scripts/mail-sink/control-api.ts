/**
 * The stand-in's JSON control API under `/__sink/`, for tests, benchmarks and the dev inbox:
 * set, read and clear faults; configure and flush the webhook's event poster; read the health,
 * counters, stored requests and per-recipient views; clear the inbox. Errors in SendGrid's shape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { noFaults, parseFaults, publicFaults, type FaultSlot } from './faults';
import { CONTROL_BODY_LIMIT, discardRest, readBody, safeDecode, sendJson, sgError } from './http';
import type { Inbox } from './inbox';
import { recipientViews } from './recipient-view';
import type { WebhookSlot } from './webhook';

export interface ControlApi {
  /** POST/GET/DELETE /__sink/faults */
  handleFaults(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** GET/PUT /__sink/webhook, POST /__sink/webhook/flush */
  handleWebhook(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  /**
   * The routes without a request body: GET /__sink/health, /__sink/counts, /__sink/messages[/:id],
   * /__sink/recipients and DELETE /__sink/messages. False when none of them matches.
   */
  handleRead(res: ServerResponse, method: string, path: string, query: URLSearchParams): boolean;
}

function isJsonRequest(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  return typeof type === 'string' && /^application\/json\b/i.test(type);
}

/**
 * Reads a control request's JSON body and hands it to `apply`; answers 415/413/400 itself
 * (400 with the message of what `apply` throws). Resolves false when it answered.
 */
async function applyControlJson(req: IncomingMessage, res: ServerResponse, apply: (input: unknown) => void): Promise<boolean> {
  if (!isJsonRequest(req)) {
    discardRest(req, CONTROL_BODY_LIMIT);
    sendJson(res, 415, sgError('Content-Type must be application/json'));
    return false;
  }
  const body = await readBody(req, CONTROL_BODY_LIMIT);
  if (body.kind === 'aborted') return false;
  if (body.kind === 'too-large') {
    sendJson(res, 413, sgError('content too large'));
    return false;
  }
  try {
    apply(JSON.parse(body.data.toString('utf8')));
  } catch (err) {
    sendJson(res, 400, sgError(err instanceof Error ? err.message : 'invalid input'));
    return false;
  }
  return true;
}

export function createControlApi(deps: { inbox: Inbox; faults: FaultSlot; webhook: WebhookSlot }): ControlApi {
  const { inbox, faults, webhook } = deps;

  /** POST/GET/DELETE /__sink/faults */
  async function handleFaults(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET') return sendJson(res, 200, publicFaults(faults.current));
    if (req.method === 'DELETE') {
      faults.current = noFaults();
      return sendJson(res, 200, publicFaults(faults.current));
    }
    if (req.method !== 'POST') return sendJson(res, 405, sgError('method not allowed'), { Allow: 'GET, POST, DELETE' });
    if (await applyControlJson(req, res, (input) => (faults.current = parseFaults(input)))) sendJson(res, 200, publicFaults(faults.current));
  }

  /** GET/PUT /__sink/webhook, POST /__sink/webhook/flush */
  async function handleWebhook(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const allowed = path === '/__sink/webhook/flush' ? 'POST' : 'GET, PUT';
    if (req.method === 'PUT' && path === '/__sink/webhook') {
      let configured = false;
      if (!(await applyControlJson(req, res, (input) => (configured = webhook.setTestSettings(input))))) return;
      if (!configured) return sendJson(res, 409, sgError('no webhook configured (MAIL_SINK_WEBHOOK_URL or setWebhook)'));
      return sendJson(res, 200, webhook.view());
    }
    discardRest(req, CONTROL_BODY_LIMIT);
    if (!allowed.split(', ').includes(req.method ?? '')) return sendJson(res, 405, sgError('method not allowed'), { Allow: allowed });
    if (req.method === 'POST') await webhook.flush();
    return sendJson(res, 200, webhook.view());
  }

  function handleRead(res: ServerResponse, method: string, path: string, query: URLSearchParams): boolean {
    const answer = (status: number, value: unknown, headers?: Record<string, string>): true => {
      sendJson(res, status, value, headers);
      return true;
    };
    if (path === '/__sink/health' && method === 'GET') return answer(200, { ok: true, mode: inbox.mode });
    if (path === '/__sink/counts' && method === 'GET') return answer(200, inbox.counts);
    if (path === '/__sink/messages') {
      if (method === 'GET') return answer(200, inbox.stored);
      if (method === 'DELETE') {
        inbox.reset();
        return answer(200, inbox.counts);
      }
      return answer(405, sgError('method not allowed'), { Allow: 'GET, DELETE' });
    }
    if (path.startsWith('/__sink/messages/') && method === 'GET') {
      const message = inbox.find(safeDecode(path.slice('/__sink/messages/'.length)));
      return message ? answer(200, message) : answer(404, sgError('not found'));
    }
    if (path === '/__sink/recipients' && method === 'GET') {
      const email = query.get('email')?.trim().toLowerCase();
      let views = inbox.stored.flatMap(recipientViews);
      if (email) views = views.filter((v) => v.email.toLowerCase() === email);
      return answer(200, views);
    }
    return false;
  }

  return { handleFaults, handleWebhook, handleRead };
}
