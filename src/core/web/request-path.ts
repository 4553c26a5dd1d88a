/**
 * One reading of a request path for every guard. Strapi's router matches paths case-insensitively
 * and tolerates a trailing slash, so a guard that compares the raw `ctx.path` can be walked around
 * with `/API/articles`. Guards compare this normalised form instead: percent-decoded, repeated
 * slashes collapsed, lower-cased, without a trailing slash. It may match more spellings than the
 * router does, never fewer, so a guard errs on the side of applying.
 */
export class MalformedPathError extends Error {
  constructor(readonly path: string) {
    super('The request path is not valid (malformed percent-encoding).');
    this.name = 'MalformedPathError';
  }
}

export function normaliseRequestPath(rawPath: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    throw new MalformedPathError(rawPath);
  }
  // A NUL byte (raw or %00) has no business in a path and confuses file and database lookups.
  if (decoded.includes('\0')) throw new MalformedPathError(rawPath);
  // Backslashes count as slashes: some proxies and file servers treat them so.
  const collapsed = decoded.replace(/[\\/]+/g, '/').toLowerCase();
  const trimmed = collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** True when `path` (normalised) is `prefix` itself or below it. */
export function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

interface PathContext {
  path: string;
  state: Record<string, unknown>;
}

const CACHE = Symbol('normalisedPath');

/**
 * The normalised path of this request, computed once. Throws MalformedPathError; the
 * `global::request-path` middleware turns that into a 400 before any guard asks.
 */
export function requestPath(ctx: PathContext): string {
  const cached = (ctx.state as Record<symbol, { raw: string; path: string } | undefined>)[CACHE];
  if (cached && cached.raw === ctx.path) return cached.path;
  const path = normaliseRequestPath(ctx.path);
  (ctx.state as Record<symbol, unknown>)[CACHE] = { raw: ctx.path, path };
  return path;
}
