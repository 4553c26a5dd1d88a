/**
 * Texts the server keeps in both languages, for an admin panel that shows one: field hints are
 * stored "Nederlands · English" (Strapi shows a stored description as it is), the sending rules'
 * refusals say "English / Nederlands" (their English half is also what logs and the CLI show).
 * One function reads both, so every screen picks the admin's language the same way.
 */
const DUTCH_FIRST = ' · ';
const ENGLISH_FIRST = ' / ';

/** The half of `text` in `locale` ('nl…' is Dutch, anything else English); a text in one language is left as it is. */
export function inLanguage(text: string, locale: string): string {
  const dutch = locale.toLowerCase().startsWith('nl');
  const hint = text.split(DUTCH_FIRST);
  if (hint.length === 2) return dutch ? hint[0] : hint[1];
  const refusal = text.split(ENGLISH_FIRST);
  if (refusal.length === 2) return dutch ? refusal[1] : refusal[0];
  return text;
}
