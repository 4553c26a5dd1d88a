/**
 * The kinds of file the media library may hold, each recognised by its content (its leading
 * bytes), never by its name or the type a browser declared: a name and a declared type are chosen
 * by whoever uploads, the bytes are what a browser will actually interpret.
 * Six fixed signatures, not `file-type` (which Strapi's upload plugin carries): that library is
 * ESM-only and recognises hundreds of kinds we refuse anyway, and the check that matters most here,
 * markup hidden behind an image header, is ours either way (markup-scan.ts).
 */
export interface FileKind {
  /** The name used in UPLOAD_ALLOWED_TYPES. */
  name: FileKindName;
  /** How people call it, in messages. */
  label: string;
  mime: string;
  /** Extensions a file of this kind may carry; the first is the one given to a file without one of these. */
  extensions: readonly string[];
  /** Whether these leading bytes are a file of this kind. */
  matches(head: Uint8Array): boolean;
}

export type FileKindName = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'pdf';

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

function startsWithAt(bytes: Uint8Array, prefix: Uint8Array, offset = 0): boolean {
  if (bytes.length < offset + prefix.length) return false;
  for (let i = 0; i < prefix.length; i += 1) if (bytes[offset + i] !== prefix[i]) return false;
  return true;
}

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const JPEG_START = Uint8Array.of(0xff, 0xd8, 0xff);

/** AVIF is an ISO media file whose leading `ftyp` box names `avif` (still) or `avis` (sequence) as a brand. */
function isAvif(head: Uint8Array): boolean {
  if (!startsWithAt(head, ascii('ftyp'), 4)) return false;
  const boxSize = ((head[0] << 24) >>> 0) + (head[1] << 16) + (head[2] << 8) + head[3];
  if (boxSize < 16 || boxSize % 4 !== 0) return false;
  const end = Math.min(boxSize, head.length);
  const brands = [8, ...Array.from({ length: Math.max(0, (end - 16) / 4) }, (_, i) => 16 + i * 4)];
  return brands.some((offset) => startsWithAt(head, ascii('avif'), offset) || startsWithAt(head, ascii('avis'), offset));
}

export const FILE_KINDS: readonly FileKind[] = [
  { name: 'jpeg', label: 'JPEG', mime: 'image/jpeg', extensions: ['.jpg', '.jpeg'], matches: (h) => startsWithAt(h, JPEG_START) },
  // The signature and then the IHDR chunk, which a PNG must start with.
  { name: 'png', label: 'PNG', mime: 'image/png', extensions: ['.png'], matches: (h) => startsWithAt(h, PNG_SIGNATURE) && startsWithAt(h, ascii('IHDR'), 12) },
  {
    name: 'webp',
    label: 'WebP',
    mime: 'image/webp',
    extensions: ['.webp'],
    matches: (h) => startsWithAt(h, ascii('RIFF')) && startsWithAt(h, ascii('WEBPVP8'), 8) && [0x20, 0x4c, 0x58].includes(h[15]),
  },
  { name: 'gif', label: 'GIF', mime: 'image/gif', extensions: ['.gif'], matches: (h) => startsWithAt(h, ascii('GIF87a')) || startsWithAt(h, ascii('GIF89a')) },
  { name: 'avif', label: 'AVIF', mime: 'image/avif', extensions: ['.avif'], matches: isAvif },
  // At the very start: browsers also accept a PDF after leading junk, and that junk could be HTML.
  { name: 'pdf', label: 'PDF', mime: 'application/pdf', extensions: ['.pdf'], matches: (h) => startsWithAt(h, ascii('%PDF-')) },
];

/** How many leading bytes sniffing needs (AVIF's ftyp box with its list of brands is the longest). */
export const SNIFF_BYTES = 64;

export const FILE_KIND_NAMES: readonly FileKindName[] = FILE_KINDS.map((kind) => kind.name);

/** The kind these leading bytes are, among `allowed`; undefined for anything else. */
export function sniffFileKind(head: Uint8Array, allowed: readonly FileKind[] = FILE_KINDS): FileKind | undefined {
  return allowed.find((kind) => kind.matches(head));
}
