/**
 * What to do when SendGrid refuses a request. Pure, so the retry policy is unit-tested:
 * 429 waits as long as SendGrid asks (Retry-After, else X-RateLimit-Reset); 5xx and network errors
 * back off exponentially; any other 4xx is the request's own fault and final.
 */
export type SendFailure =
  | { kind: 'retry'; status?: number; delayMs: number; reason: string }
  | { kind: 'final'; status: number; reason: string; errors: Array<{ message: string; field?: string | null }> };

export interface ProviderErrorLike {
  code?: number | string;
  message?: string;
  response?: { headers?: Record<string, unknown>; body?: unknown };
}

export const BASE_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 10 * 60_000;

export function exponentialBackoff(attempt: number, baseMs = BASE_BACKOFF_MS): number {
  return Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempt - 1));
}

export function classifySendFailure(error: unknown, attempt: number, now: Date = new Date()): SendFailure {
  const failure = (error ?? {}) as ProviderErrorLike;
  const status = typeof failure.code === 'number' ? failure.code : undefined;
  if (status === undefined) {
    return { kind: 'retry', delayMs: exponentialBackoff(attempt), reason: failure.message || 'no response from SendGrid' };
  }
  if (status === 429) {
    return {
      kind: 'retry',
      status,
      delayMs: rateLimitDelay(failure.response?.headers ?? {}, now) ?? exponentialBackoff(attempt),
      reason: 'rate limited (429)',
    };
  }
  if (status >= 500) {
    return { kind: 'retry', status, delayMs: exponentialBackoff(attempt), reason: `SendGrid error ${status}` };
  }
  return { kind: 'final', status, reason: `refused with ${status}`, errors: responseErrors(failure.response?.body) };
}

function rateLimitDelay(headers: Record<string, unknown>, now: Date): number | undefined {
  const header = (name: string) => {
    const value = headers[name] ?? headers[name.toLowerCase()];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  const retryAfter = header('Retry-After');
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(MAX_BACKOFF_MS, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return clamp(date - now.getTime());
  }
  const reset = Number(header('X-RateLimit-Reset'));
  if (Number.isFinite(reset) && reset > 0) return clamp(reset * 1000 - now.getTime());
  return undefined;
}

function clamp(ms: number): number {
  return Math.min(MAX_BACKOFF_MS, Math.max(250, ms));
}

function responseErrors(body: unknown): Array<{ message: string; field?: string | null }> {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .filter((item): item is { message: unknown; field?: unknown } => typeof item === 'object' && item !== null)
    .map((item) => ({ message: String(item.message ?? ''), field: typeof item.field === 'string' ? item.field : null }));
}
