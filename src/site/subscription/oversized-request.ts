import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { pageHeaders } from '../../core/web/headers';
import { renderInvalidLinkPage, type PageContext } from './subscription-pages';

/**
 * Requests whose head is larger than Node's limit (16 KiB, `maxHeaderSize`) never reach Koa: Node's
 * HTTP parser refuses them, writes a bare 431 and destroys the socket while the client is still
 * sending, so browsers and curl see a connection reset. A mail link with a mangled, huge token is
 * such a request. The limit stays (it bounds what a slow client can make the server hold); instead:
 *
 * - a GET/HEAD of a hosted page (/newsletter/...) gets the invalid-link page (400), as any other bad
 *   token does (tokens are at most 200 characters, so a longer one is simply invalid);
 * - any other oversized head gets Node's 431;
 * and in both cases the connection is closed after the client has been answered (the rest of what it
 * sends is read and dropped), so it sees the answer rather than a reset. Every other client error is
 * answered exactly as Node does without a listener.
 */
const DRAIN_MS = 5_000;
const HOSTED_PAGE = /^(?:GET|HEAD) \/newsletter(?:[/?]|\s)/i;

export function answerOversizedRequests(server: Server, pageContext: () => PageContext): void {
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'HPE_HEADER_OVERFLOW' && socket.writable && !inFlight) {
      // The first bytes of the request: its method and path (Node passes the chunk it failed on).
      const start = error.rawPacket?.subarray(0, 256).toString('latin1') ?? '';
      socket.on('error', () => undefined);
      socket.resume();
      socket.end(
        HOSTED_PAGE.test(start) ? invalidLinkResponse(pageContext(), start) : 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n',
      );
      setTimeout(() => socket.destroy(), DRAIN_MS).unref();
      return;
    }
    if (socket.writable && !inFlight?.headersSent)
      socket.write(NODE_DEFAULT_ANSWERS[error.code ?? ''] ?? 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    socket.destroy(error);
  });
}

const NODE_DEFAULT_ANSWERS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n',
  ERR_HTTP_REQUEST_TIMEOUT: 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n',
};

function invalidLinkResponse(context: PageContext, requestStart: string): string {
  const locale = /[?&]lang=en\b/.test(requestStart) ? 'en' : context.locale;
  const body = Buffer.from(renderInvalidLinkPage({ ...context, locale }, { reason: 'invalid', signupUrl: `/newsletter?lang=${locale}` }));
  const headers = { ...pageHeaders('not-framed'), 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(body.length), Connection: 'close' };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  return `HTTP/1.1 400 Bad Request\r\n${head}\r\n\r\n${requestStart.startsWith('HEAD') ? '' : body.toString('utf8')}`;
}
