/**
 * Whether a database error means "the database is away for now" (restarting, unreachable, its
 * connection dropped, SQLite's write lock held too long) rather than "this statement is wrong".
 * What is away comes back: the caller waits and tries again; what is wrong never will.
 */
const UNAVAILABLE_CODES = new Set([
  // PostgreSQL: connection exceptions (class 08) and operator intervention (57P01-57P03: shut down, crashed, starting up).
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  // The socket: refused while the server is down, reset or cut while it stops.
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  // SQLite: another process held the write lock for longer than the busy timeout.
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_LOCKED',
]);

/** Messages of node-postgres and knex's pool that carry no code. */
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /connection error and is not queryable/i,
  /Timeout acquiring a connection/i,
  /the database system is (starting up|shutting down)/i,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth += 1) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = cause;
  }
  return false;
}
