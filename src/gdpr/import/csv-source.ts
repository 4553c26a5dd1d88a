/**
 * An import file read as a stream (csv-parse): UTF-8 with or without a byte order mark, `,` or `;`
 * (or tab) as separator, detected on the header line, quoted values with separators and line
 * breaks inside. Rows come in chunks, so memory does not grow with the file.
 */
import fs from 'node:fs';
import { parse } from 'csv-parse';
import { detectSeparator } from './columns';

export interface ImportRow {
  /** As a spreadsheet numbers it: the header is row 1, the first reader row 2. */
  row: number;
  fields: string[];
}

export interface ImportFile {
  headers: string[];
  separator: string;
  /** The reader rows in chunks of `size`; rows whose values are all empty are left out. */
  chunks(size: number): AsyncGenerator<ImportRow[]>;
}

/** A file that cannot be read as an import: missing, not UTF-8, not CSV. The message says what to do. */
export class ImportFileError extends Error {}

const SAMPLE_BYTES = 64 * 1024;

export async function openImportFile(file: string): Promise<ImportFile> {
  const sample = await readSample(file);
  let text: string;
  try {
    // stream: true leaves a character cut at the sample's end out instead of calling it invalid.
    text = new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
  } catch {
    throw new ImportFileError(`${file} is not UTF-8 text; save it as "CSV UTF-8" (Excel) or export it again`);
  }
  text = text.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (firstLine.trim() === '') throw new ImportFileError(`${file} is empty or starts with an empty line; the first line must name the columns`);
  const separator = detectSeparator(firstLine);

  const parser = fs.createReadStream(file).pipe(parse({ bom: true, delimiter: separator, relax_column_count: true }));
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const first = await next(records, file);
  if (first.done) throw new ImportFileError(`${file} has no header line`);
  const headers = first.value.map((header) => header.trim());

  return {
    headers,
    separator,
    async *chunks(size: number) {
      let row = 1;
      let chunk: ImportRow[] = [];
      try {
        for (;;) {
          const record = await next(records, file);
          if (record.done) break;
          row += 1;
          if (record.value.every((field) => field.trim() === '')) continue;
          chunk.push({ row, fields: record.value });
          if (chunk.length >= size) {
            yield chunk;
            chunk = [];
          }
        }
        if (chunk.length > 0) yield chunk;
      } finally {
        // An import that stops early (a failed chunk) lets go of the file.
        parser.destroy();
      }
    },
  };
}

async function next(records: AsyncIterator<string[]>, file: string): Promise<IteratorResult<string[]>> {
  try {
    return await records.next();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ImportFileError(`${file} cannot be read as CSV: ${message}`);
  }
}

async function readSample(file: string): Promise<Buffer> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImportFileError(code === 'ENOENT' ? `no file ${file}` : `${file} cannot be opened (${code ?? String(error)})`);
  }
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
