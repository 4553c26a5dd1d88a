/**
 * Finds HTML or SVG markup anywhere in a file. A polyglot (an image or PDF that is at the same time
 * a web page: `<script>` in a PNG text chunk, HTML after a GIF header) passes a check of leading
 * bytes, and would run if some browser, proxy or later change ever served it as a page. Only
 * unambiguous tags followed by a delimiter count, so that compressed image data, where any byte
 * sequence can occur, rarely matches by chance: the shortest, `<svg` and a delimiter in any case,
 * about once in 2^34 bytes (16 GB) of random data.
 */
const MARKUP = /<(?:script|html|body|iframe|object|embed|svg|!doctype)[\s>/]/i;

/** The longest text a match can span, less one: what is kept between chunks. */
const CARRY = '<!doctype '.length - 1;

export class MarkupScanner {
  private tail = '';
  found = false;

  /** Feeds the next chunk of the file; chunks may split a tag anywhere. */
  feed(chunk: Uint8Array): void {
    if (this.found) return;
    // latin1 maps every byte to one character, so offsets and lengths stay those of the bytes.
    const text = this.tail + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    this.found = MARKUP.test(text);
    this.tail = text.slice(-CARRY);
  }
}

/** Whether these bytes, as a whole, carry markup. */
export function containsMarkup(bytes: Uint8Array): boolean {
  const scanner = new MarkupScanner();
  scanner.feed(bytes);
  return scanner.found;
}
