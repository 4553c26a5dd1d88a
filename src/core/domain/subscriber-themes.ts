/**
 * A subscriber's chosen theme slugs as the database holds them (a JSON list: text in SQLite,
 * jsonb in PostgreSQL, sometimes null). [] means none chosen, so the reader follows every theme;
 * anything unreadable counts as none rather than failing a whole export or count.
 */
export function storedThemes(value: unknown): string[] {
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      return [];
    }
  }
  return Array.isArray(list) ? [...new Set(list.filter((slug): slug is string => typeof slug === 'string'))] : [];
}
