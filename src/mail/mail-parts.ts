import type { PartialFiller, SlotContents } from './renderer';

/**
 * A mail body is built from pieces, each a partial in two formats filled with the same values:
 * `emails/partials/<path>.mjml` for the html part and `.txt` for the text part. The edition and the
 * campaign renderers build their bodies from these.
 */
export interface Part {
  mjml: string;
  text: string;
}

export const EMPTY_PART: Part = { mjml: '', text: '' };

/** Pieces one after the other, in both formats. */
export function joinParts(parts: readonly Part[]): Part {
  return { mjml: parts.map((part) => part.mjml).join(''), text: parts.map((part) => part.text).join('') };
}

/**
 * Both formats of the partial at `partials/<path>`. Slots get the same contents in both formats,
 * except `mjmlOnly`: the text part has no images.
 */
export async function fillPiece(
  filler: PartialFiller,
  path: string,
  values: Record<string, string | number>,
  slots: Record<string, Part> = {},
  mjmlOnly: Record<string, string> = {},
): Promise<Part> {
  const pick = (format: keyof Part): SlotContents => Object.fromEntries(Object.entries(slots).map(([slot, part]) => [slot, part[format]]));
  const [mjml, text] = await Promise.all([
    filler.fill(`partials/${path}.mjml`, values, { ...pick('mjml'), ...mjmlOnly }),
    filler.fill(`partials/${path}.txt`, values, pick('text')),
  ]);
  return { mjml, text };
}
