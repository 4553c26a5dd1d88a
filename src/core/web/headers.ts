/**
 * The response headers of the hosted pages, in one place: every response of the embeddable signup
 * form (the form, its re-render with errors, 429, 413 and the "check your inbox" page) has the same
 * frame policy, or a network's website that frames the form shows a blocked frame on the first
 * typo. A preview of a draft is framed by the admin panel on the same origin only. Every other page
 * (those opened from mail links, with a token in their URL) may not be framed.
 */
export type FramePolicy = 'embeddable' | 'not-framed' | 'same-origin';

const FRAME_ANCESTORS: Record<FramePolicy, string> = { embeddable: '*', 'not-framed': "'none'", 'same-origin': "'self'" };

export function pageHeaders(frame: FramePolicy): Record<string, string> {
  return {
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors ${FRAME_ANCESTORS[frame]}`,
    // X-Frame-Options has no "anyone" value: an embeddable page must not carry it at all (see removedHeaders).
    ...(frame === 'not-framed' ? { 'X-Frame-Options': 'DENY' } : frame === 'same-origin' ? { 'X-Frame-Options': 'SAMEORIGIN' } : {}),
  };
}

/** Headers an embeddable response must not carry (strapi::security sets X-Frame-Options: SAMEORIGIN on everything). */
export function removedHeaders(frame: FramePolicy): string[] {
  return frame === 'embeddable' ? ['X-Frame-Options'] : [];
}
