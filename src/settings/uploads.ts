import { FILE_KIND_NAMES, FILE_KINDS, type FileKind } from '../core/file-kinds';

type Env = Record<string, string | undefined>;

/**
 * Which kinds of file the media library accepts (UPLOAD_ALLOWED_TYPES, comma-separated kind
 * names): by default images (JPEG, PNG, WebP, GIF, AVIF) and PDF. A name that is not a known
 * kind stops the start, so a typo never silently narrows or widens what editors may upload.
 */
export function readAllowedUploadKinds(env: Env = process.env): FileKind[] {
  const raw = env.UPLOAD_ALLOWED_TYPES?.trim();
  if (!raw) return [...FILE_KINDS];
  const names = raw
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((name) => !(FILE_KIND_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`UPLOAD_ALLOWED_TYPES lists ${unknown.map((n) => `"${n}"`).join(', ') || 'nothing'}; known kinds: ${FILE_KIND_NAMES.join(', ')}.`);
  }
  return FILE_KINDS.filter((kind) => names.includes(kind.name));
}
