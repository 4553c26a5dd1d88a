/** Addresses are compared and stored trimmed and lower-cased. */
export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/** Gmail ignores dots in the local part, and googlemail.com is the same mailbox as gmail.com. */
const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * The inbox an address delivers to, as far as we can tell without asking its provider: the plus-tag
 * is removed for every domain (most providers deliver `anna+x@` to `anna@`), and for Gmail dots are
 * ignored and googlemail.com is gmail.com. Only for counting per-address limits, so that tags and
 * dots do not give one inbox unlimited mails; the address itself is stored as given (normalised):
 * for other providers a dot or a plus may be significant. A local part that starts with `+` is kept
 * whole (there is no mailbox name before the tag).
 */
export function canonicalMailbox(address: string): string {
  const email = normaliseEmail(address);
  const at = email.lastIndexOf('@');
  if (at <= 0) return email;
  let local = email.slice(0, at);
  let domain = email.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    domain = 'gmail.com';
    local = local.replace(/\./g, '') || local;
  }
  return `${local}@${domain}`;
}
