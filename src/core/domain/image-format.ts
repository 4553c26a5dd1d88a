/**
 * Which of an uploaded image's sizes a mail or page shows, and at what size.
 *
 * Strapi's upload keeps the original and, for larger images, resized copies (`formats`: thumbnail,
 * small, medium, large). A mail shows an image at one fixed width; sending the original would make
 * every reader download a camera-sized file, so the smallest copy at least that wide is chosen (the
 * widest there is when none is wide enough: an image is never stretched). Width and height go into
 * the `<img>` so mail clients that ignore CSS (Outlook) reserve the right box before it loads.
 */

/** An upload as Strapi's document service returns it (only what is read here). */
export interface UploadedImage {
  url: string;
  width?: number | null;
  height?: number | null;
  alternativeText?: string | null;
  formats?: Record<string, { url: string; width?: number | null; height?: number | null } | null | undefined> | null;
}

export interface SizedImage {
  /** The chosen copy's URL as stored (relative to the CMS for local uploads). */
  url: string;
  /** Shown size in CSS pixels; null when the upload does not say its size. */
  width: number | null;
  height: number | null;
}

export function imageForWidth(image: UploadedImage, displayWidth: number): SizedImage {
  const copies = [image, ...Object.values(image.formats ?? {})].filter(
    (copy): copy is { url: string; width: number; height: number } =>
      !!copy && typeof copy.url === 'string' && copy.url !== '' && isSize(copy.width) && isSize(copy.height),
  );
  if (copies.length === 0) return { url: image.url, width: null, height: null };
  const wideEnough = copies.filter((copy) => copy.width >= displayWidth).sort((a, b) => a.width - b.width);
  const chosen = wideEnough[0] ?? [...copies].sort((a, b) => b.width - a.width)[0];
  const width = Math.min(displayWidth, chosen.width);
  return { url: chosen.url, width, height: Math.max(1, Math.round((chosen.height * width) / chosen.width)) };
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
