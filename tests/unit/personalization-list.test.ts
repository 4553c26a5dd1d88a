import { describe, expect, it } from 'vitest';
import { PersonalizationList } from '../../src/mail/personalization-list';

const texts = [
  '{"to":[{"email":"a@example.org"}]}',
  '{"to":[{"email":"b@example.org"}],"substitutions":{"%greeting%":"Hallo Zoë,"}}',
  '{"to":[{"email":"c@example.org"}]}',
];

describe("a batch's personalizations as one list of bytes", () => {
  it('is the JSON texts joined by commas, in UTF-8, and gives each one back', () => {
    const list = PersonalizationList.of(texts);
    expect(list.length).toBe(3);
    expect(Buffer.from(list.bytes).toString('utf8')).toBe(texts.join(','));
    expect(list.bytes.length).toBe(Buffer.byteLength(texts.join(','))); // ë is two bytes
    expect(list.toJsonArray()).toEqual(texts);
    expect(JSON.parse(`[${Buffer.from(list.bytes).toString('utf8')}]`)[1].substitutions['%greeting%']).toBe('Hallo Zoë,');
    expect(() => list.json(3)).toThrow(RangeError);
    expect(() => list.json(-1)).toThrow(RangeError);
  });

  it('picks some of them in the order asked (part of a batch), and an empty list is empty', () => {
    const list = PersonalizationList.of(texts);
    expect(list.pick([2, 0]).toJsonArray()).toEqual([texts[2], texts[0]]);
    expect(Buffer.from(list.pick([1]).bytes).toString('utf8')).toBe(texts[1]);
    const empty = PersonalizationList.of([]);
    expect(empty.length).toBe(0);
    expect(empty.bytes.length).toBe(0);
    expect(PersonalizationList.fromParts(empty.parts()).length).toBe(0);
  });

  it('travels between threads as its two buffers, and parts that do not fit are refused', () => {
    const list = PersonalizationList.of(texts);
    const { transfer, ...parts } = list.parts();
    expect(transfer).toEqual([list.bytes.buffer, parts.ends.buffer]);
    // Its buffers are its own (not Buffer's shared pool), so a transfer moves nothing else.
    expect(list.bytes.buffer.byteLength).toBe(list.bytes.length);
    const copy = structuredClone(parts);
    expect(PersonalizationList.fromParts(copy).toJsonArray()).toEqual(texts);

    expect(() => PersonalizationList.fromParts({ bytes: parts.bytes, ends: Uint32Array.from([5, 3, parts.bytes.length]) })).toThrow(/do not fit/);
    expect(() => PersonalizationList.fromParts({ bytes: parts.bytes, ends: Uint32Array.from([5, parts.bytes.length + 1]) })).toThrow(/do not fit/);
    expect(() => PersonalizationList.fromParts({ bytes: parts.bytes, ends: Uint32Array.from([5]) })).toThrow(/after its last part/);
    expect(() => PersonalizationList.fromParts({ bytes: [1, 2] as unknown as Uint8Array, ends: new Uint32Array() })).toThrow(/not a personalization list/);
  });
});
