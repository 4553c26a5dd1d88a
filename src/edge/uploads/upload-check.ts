import type { FileKind } from '../../core/file-kinds';
import { sniffFileKind } from '../../core/file-kinds';

/**
 * Whether an uploaded file may be stored: its leading bytes must be one of the allowed kinds and
 * nothing in it may be markup. What the file is called and which type the browser declared do not
 * count.
 */
export type UploadVerdict = { allowed: true; kind: FileKind } | { allowed: false };

export interface UploadContent {
  size: number;
  /** The file's first bytes (at least SNIFF_BYTES when the file is that long). */
  head: Uint8Array;
  /** Whether the whole file was found to carry markup (MarkupScanner). */
  carriesMarkup: boolean;
}

export function judgeUpload(content: UploadContent, allowed: readonly FileKind[]): UploadVerdict {
  if (content.size === 0 || content.carriesMarkup) return { allowed: false };
  const kind = sniffFileKind(content.head, allowed);
  return kind ? { allowed: true, kind } : { allowed: false };
}

/**
 * The name a stored file gets: its own when its extension fits its content, else with the
 * content's extension, because the file is later served with the type its extension says.
 */
export function storedFileName(originalName: string, kind: FileKind): string {
  const dot = originalName.lastIndexOf('.');
  const extension = dot > 0 ? originalName.slice(dot).toLowerCase() : '';
  if (kind.extensions.includes(extension)) return originalName;
  const base = dot > 0 ? originalName.slice(0, dot) : originalName;
  return `${base || 'file'}${kind.extensions[0]}`;
}

function list(labels: string[], and: string): string {
  return labels.length < 2 ? labels.join('') : `${labels.slice(0, -1).join(', ')} ${and} ${labels[labels.length - 1]}`;
}

/**
 * What the media library shows for a refused file: in the admin user's language when it is known
 * (`nl` or `en`), else both, Dutch first.
 */
export function refusalMessage(allowed: readonly FileKind[], language?: string | null): string {
  const labels = allowed.map((kind) => kind.label);
  const dutch = `Dit bestandstype is niet toegestaan: alleen ${list(labels, 'en')}.`;
  const english = `This file type is not allowed: only ${list(labels, 'and')}.`;
  if (language === 'nl') return dutch;
  if (language === 'en') return english;
  return `${dutch} / ${english}`;
}
