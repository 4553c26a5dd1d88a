import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { RefusedRow } from './import';

/**
 * The rows an import refused, as CSV (row, email, reason), written as they come: the command
 * line's `--report` file and the admin panel's download. It names addresses, so the caller picks a
 * destination only its asker can read.
 */
export function refusedRowsReport(destination: Writable) {
  const stringifier = stringify({ header: true, columns: ['row', 'email', 'reason'], escape_formulas: true });
  const done = pipeline(stringifier, destination);
  return {
    write: (refused: RefusedRow) => void stringifier.write({ row: refused.row, email: refused.email, reason: `${refused.kind}: ${refused.reason}` }),
    async close(): Promise<void> {
      stringifier.end();
      await done;
    },
  };
}
