/**
 * A batch's personalizations as SendGrid's v3 JSON in UTF-8, one after another with a comma between
 * them: the inside of a request's `personalizations` array, ready to be put into its body as it is.
 *
 * Why bytes and not a string per recipient: the personalizer's thread (personalizer.ts) writes a
 * batch's thousand personalizations into one buffer and hands that buffer to the worker's main
 * thread without copying it (a transfer). As strings they were copied into the main thread's heap,
 * joined and encoded again for each request: about 2 MB of short-lived large strings per batch,
 * which made the main thread's garbage collector its biggest single cost (bench/README.md).
 */
export class PersonalizationList {
  private constructor(
    /** The personalizations, UTF-8, separated by commas. */
    readonly bytes: Uint8Array,
    /** Where each one ends in `bytes` (exclusive); the next starts one byte (the comma) later. */
    private readonly ends: Uint32Array,
  ) {}

  /** From one JSON text per recipient, in order. */
  static of(json: readonly string[]): PersonalizationList {
    let total = Math.max(0, json.length - 1);
    for (const item of json) total += Buffer.byteLength(item);
    // Its own ArrayBuffer (not Buffer's shared pool), so that it can be transferred to another thread.
    const bytes = new Uint8Array(total);
    const out = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const ends = new Uint32Array(json.length);
    let offset = 0;
    json.forEach((item, i) => {
      if (i > 0) out[offset++] = COMMA;
      offset += out.write(item, offset);
      ends[i] = offset;
    });
    return new PersonalizationList(bytes, ends);
  }

  /** A list another thread made (`parts()`), checked: its ends must lie in order within its bytes. */
  static fromParts(parts: PersonalizationListParts): PersonalizationList {
    const { bytes, ends } = parts;
    if (!(bytes instanceof Uint8Array) || !(ends instanceof Uint32Array)) throw new TypeError('not a personalization list');
    let start = 0;
    for (const end of ends) {
      if (end < start || end > bytes.length) throw new TypeError('a personalization list whose parts do not fit');
      start = end + 1;
    }
    if ((ends.length === 0 ? 0 : ends[ends.length - 1]) !== bytes.length) throw new TypeError('a personalization list with bytes after its last part');
    return new PersonalizationList(bytes, ends);
  }

  /** What a thread posts; `transfer` is its transfer list (the buffers move, nothing is copied). */
  parts(): PersonalizationListParts & { transfer: ArrayBuffer[] } {
    return { bytes: this.bytes, ends: this.ends, transfer: [this.bytes.buffer as ArrayBuffer, this.ends.buffer as ArrayBuffer] };
  }

  get length(): number {
    return this.ends.length;
  }

  /** Recipient `index`'s personalization, as JSON text. */
  json(index: number): string {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) throw new RangeError(`no personalization ${index} of ${this.length}`);
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length).toString(
      'utf8',
      index === 0 ? 0 : this.ends[index - 1] + 1,
      this.ends[index],
    );
  }

  /** Every personalization as JSON text, in order (tests, and anything that wants to read them). */
  toJsonArray(): string[] {
    return Array.from({ length: this.length }, (_, index) => this.json(index));
  }

  /** Some of them, in the order given: a request for part of a batch (SendGrid refused one address of it). */
  pick(indexes: readonly number[]): PersonalizationList {
    return PersonalizationList.of(indexes.map((index) => this.json(index)));
  }
}

export interface PersonalizationListParts {
  bytes: Uint8Array;
  ends: Uint32Array;
}

const COMMA = 0x2c;
