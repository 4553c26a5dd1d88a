/**
 * The per-recipient part of a mail: the SendGrid substitution tags the rendered mail contains, the
 * greeting line that fills `%greeting%`, and the replacement SendGrid performs. The templates never
 * evaluate these; the sending code (and the mail sink stand-in, and the web version of a mailing)
 * fills them per recipient.
 */
import type { Locale } from '../core/domain/locale';

export const SUBSTITUTION_TAGS = {
  confirmUrl: '%confirm_url%',
  preferencesUrl: '%preferences_url%',
  unsubscribeUrl: '%unsubscribe_url%',
  greeting: '%greeting%',
} as const;

/**
 * The greeting texts live here, not in emails/strings: SendGrid inserts the filled line unescaped
 * into the html part, so it must be built from a cleaned name by code, never by a template.
 */
const GREETINGS: Record<Locale, { named: (name: string) => string; anonymous: string }> = {
  nl: { named: (name) => `Hallo ${name},`, anonymous: 'Hallo,' },
  en: { named: (name) => `Hi ${name},`, anonymous: 'Hello,' },
};

/** The full greeting line for the `%greeting%` tag: "Hallo Anna," or "Hallo,". */
export function greetingFor(locale: Locale, name?: string | null): string {
  const cleaned = cleanName(name);
  const greeting = GREETINGS[locale] ?? GREETINGS.nl;
  return cleaned ? greeting.named(cleaned) : greeting.anonymous;
}

/**
 * SendGrid inserts a substitution value unescaped into both the html and the text part, so the
 * name must not be able to form markup (`<`, `>`) or another substitution tag (`%`).
 */
function cleanName(name: string | null | undefined): string {
  return (name ?? '')
    .replace(/[<>%]/g, '')
    .replace(/[\s\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, 80);
}

/** Plain replacement of every key everywhere, in key order: the same semantics as SendGrid and the mail sink. */
export function applySubstitutions(text: string, substitutions: Record<string, string>): string {
  let out = text;
  for (const [key, value] of Object.entries(substitutions)) {
    if (key.length > 0 && out.includes(key)) out = out.split(key).join(value);
  }
  return out;
}
