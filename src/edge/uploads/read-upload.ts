import { createReadStream } from 'node:fs';
import { MarkupScanner } from './markup-scan';
import { SNIFF_BYTES } from '../../core/file-kinds';
import type { UploadContent } from './upload-check';

/** Reads what judging an uploaded file needs from its temporary file: its leading bytes, and once through it for markup. */
export async function readUploadContent(filepath: string): Promise<UploadContent> {
  const scanner = new MarkupScanner();
  const head: Buffer[] = [];
  let headLength = 0;
  let size = 0;
  for await (const chunk of createReadStream(filepath) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (headLength < SNIFF_BYTES) {
      head.push(chunk.subarray(0, SNIFF_BYTES - headLength));
      headLength += Math.min(chunk.length, SNIFF_BYTES - headLength);
    }
    scanner.feed(chunk);
  }
  return { size, head: Buffer.concat(head), carriesMarkup: scanner.found };
}
