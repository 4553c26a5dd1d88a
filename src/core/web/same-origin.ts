/**
 * Whether a state-changing request comes from a page of the CMS itself (a guard against cross-site
 * request forgery where a cookie alone authorises, as on the queue dashboard). Reads (GET, HEAD,
 * OPTIONS) always pass. Any other method needs an `Origin` that is one of the CMS's own origins,
 * or, without an `Origin`, a `Referer` on one of them; a request that names neither is refused,
 * as is the opaque origin `null` (sandboxed frames, `Referrer-Policy: no-referrer` pages).
 */
export type OriginCheck = { ok: true } | { ok: false; claimed: string | null };

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function checkSameOrigin(request: { method: string; origin?: string; referer?: string }, ownOrigins: readonly string[]): OriginCheck {
  if (READS.has(request.method.toUpperCase())) return { ok: true };
  const named = request.origin || request.referer;
  if (!named) return { ok: false, claimed: null };
  const claimed = originOf(named);
  if (claimed && ownOrigins.some((own) => originOf(own) === claimed)) return { ok: true };
  return { ok: false, claimed: claimed ?? named.slice(0, 100) };
}

/** scheme://host[:port] as browsers write it (lower case, no default port); null for none or `null`. */
function originOf(url: string): string | null {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
