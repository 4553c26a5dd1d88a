/**
 * The stand-in's HTTP plumbing, shared by every route: reading a request body under a size limit
 * (and throwing away what is over it), answering with a body of a known length, and SendGrid's
 * error shape.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { LIMITS, type SendGridError } from './contract';

/** Bytes of an over-limit body we read and throw away so the client sees the 413; then we hang up. */
export const DISCARD_LIMIT_BYTES = 4 * LIMITS.bodyLimitBytes;
/** Body limit of the `/__sink/...` control routes. */
export const CONTROL_BODY_LIMIT = 1024 * 1024;

export function sgError(message: string, field: string | null = null): { errors: SendGridError[] } {
  return { errors: [{ message, field, help: null }] };
}

// ---------------------------------------------------------------------------
// Request body reading

export type BodyResult = { kind: 'ok'; data: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

/** Throws away the rest of a request body; hangs up if the client keeps sending past `limit`. */
export function discardRest(req: IncomingMessage, limit: number): void {
  let discarded = 0;
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > limit) req.socket.destroy();
  });
  req.on('error', () => undefined);
  req.resume();
}

/** Reads a body of fewer than `limit` bytes; stops buffering as soon as it reaches `limit`. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared >= limit) {
      discardRest(req, DISCARD_LIMIT_BYTES);
      resolve({ kind: 'too-large' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size >= limit) {
        chunks.length = 0;
        discardRest(req, DISCARD_LIMIT_BYTES);
        finish({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish({ kind: 'ok', data: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size) }));
    req.on('error', () => finish({ kind: 'aborted' }));
    req.on('aborted', () => finish({ kind: 'aborted' }));
  });
}

// ---------------------------------------------------------------------------
// Responses

export function send(res: ServerResponse, status: number, body: string | null, headers: OutgoingHttpHeaders = {}): void {
  if (res.headersSent || res.destroyed) return;
  const payload = body ?? '';
  res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: OutgoingHttpHeaders = {}): void {
  send(res, status, JSON.stringify(value), { 'Content-Type': 'application/json', ...headers });
}

/** A path segment as sent when it is not valid percent-encoding, so that a bad id is simply not found. */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
