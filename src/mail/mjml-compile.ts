/**
 * MJML's compile step: filled MJML source in, html out, with strict validation. MJML is loaded on
 * first use (it is large, ~250 ms to load, and ships no type declarations), or ahead by a process
 * that will render (the worker, at start), so that its first mailing does not pay.
 */
import { createRequire } from 'node:module';

interface MjmlOutput {
  html: string;
}
type MjmlCompile = (mjml: string, options: Record<string, unknown>) => MjmlOutput | Promise<MjmlOutput>;

let mjmlCompile: MjmlCompile | undefined;

function loadMjml(): MjmlCompile {
  mjmlCompile ??= createRequire(__filename)('mjml') as MjmlCompile;
  return mjmlCompile;
}

export function preloadMjml(): void {
  loadMjml();
}

/** `fonts: {}` stops MJML adding Google Fonts links for font names it knows (e.g. Roboto). */
function mjmlOptions(): Record<string, unknown> {
  return { validationLevel: 'strict', keepComments: false, fonts: {}, minify: false, beautify: false };
}

function describeMjmlError(error: unknown): string {
  const details = (error as { errors?: Array<{ formattedMessage?: string }> } | null)?.errors;
  if (Array.isArray(details) && details.length > 0) return details.map((d) => d.formattedMessage).join('\n  ');
  return error instanceof Error ? error.message : String(error);
}

/** The html of a filled MJML document; a validation error names `where` (template and locale). */
export async function compileMjml(source: string, where: string): Promise<string> {
  try {
    return (await loadMjml()(source, mjmlOptions())).html;
  } catch (error) {
    throw new Error(`${where}: MJML validation failed (line numbers are in the filled source):\n  ${describeMjmlError(error)}`, {
      cause: error,
    });
  }
}
