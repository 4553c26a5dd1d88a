/**
 * The headers every response below /uploads carries, whatever the file is and however old. Files
 * are served from the CMS's own origin, where the admin panel lives; a file that a browser would
 * run as a page (HTML, SVG, a script) could act with a logged-in admin's session. So:
 * - `nosniff`: the browser uses the declared type, never guesses a page or script from the bytes;
 * - a policy with `sandbox` and `default-src 'none'`: even a file opened as a page gets an origin
 *   of its own and may run nothing, load nothing. What a browser needs to show an image opened
 *   directly stays allowed: the image itself (`img-src 'self'`) and the inline styles of the page
 *   it wraps the image in (`style-src 'unsafe-inline'`);
 * - `Content-Disposition: attachment` for anything not an image that browsers show as such: it is
 *   downloaded, not opened. (A PDF too: browsers do not show a PDF in a sandboxed document.)
 */
export const UPLOADS_PATH = '/uploads';

export const UPLOAD_CONTENT_SECURITY_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

/** Raster image types that may be shown inline; SVG is not among them (it is a document that can hold scripts). */
const INLINE_IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif']);

export function uploadResponseHeaders(contentType: string | undefined): Record<string, string> {
  const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': UPLOAD_CONTENT_SECURITY_POLICY,
  };
  if (!INLINE_IMAGE_TYPES.has(mime)) headers['Content-Disposition'] = 'attachment';
  return headers;
}
