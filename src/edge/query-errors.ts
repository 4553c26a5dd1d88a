/**
 * Which errors, raised while Strapi runs a content-API read, come from the request's query
 * rather than from the server. The query validator (content-query.ts) refuses malformed queries
 * before they reach the database; this is the net behind it, for shapes it does not know yet.
 * Anything not recognised here (a lost connection, a missing table, a timeout) stays a 500.
 */
const QUERY_LAYER_FRAME = /node_modules[\\/](@strapi[\\/]database[\\/]dist[\\/]query|knex[\\/]lib[\\/]query)[\\/]/;

/** PostgreSQL SQLSTATE codes caused by values or operators taken from the query. */
const POSTGRES_INPUT_CODES = /^(22[0-9A-Z]{3}|42703|42804|42883|42725|42601)$/;

export function isQueryInputError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && POSTGRES_INPUT_CODES.test(code)) return true;
  // SQLite: a column named by the query that does not exist, or a value it cannot bind (an object).
  if (/no such column|can only bind numbers, strings, bigints, buffers, and null/.test(error.message)) return true;
  // The query layer's own checks (Operator $and must be an array, whereBetween needs 2 values):
  // thrown by Strapi's where/sort/populate helpers or knex's query builder itself.
  const topFrames = (error.stack ?? '')
    .split('\n')
    .filter((line) => line.trim().startsWith('at '))
    .slice(0, 3);
  return topFrames.some((frame) => QUERY_LAYER_FRAME.test(frame));
}
