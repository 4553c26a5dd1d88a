import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Locale } from '../../core/domain/locale';
import type { RefusedRow } from './import';

const KIND_WORDS: Record<RefusedRow['kind'], Record<Locale, string>> = {
  invalid: { en: 'invalid', nl: 'ongeldig' },
  duplicate: { en: 'duplicate', nl: 'dubbel' },
  suppressed: { en: 'suppressed', nl: 'niet opnieuw aangemeld' },
};

/**
 * The rows an import refused, as CSV (row, email, reason in `locale`), written as they come: the
 * command line's `--report` file (English) and the admin panel's download (the editor's language). It names addresses, so the caller picks a
 * destination only its asker can read.
 */
export function refusedRowsReport(destination: Writable, locale: Locale) {
  const stringifier = stringify({ header: true, columns: ['row', 'email', 'reason'], escape_formulas: true });
  const done = pipeline(stringifier, destination);
  return {
    write: (refused: RefusedRow) =>
      void stringifier.write({ row: refused.row, email: refused.email, reason: `${KIND_WORDS[refused.kind][locale]}: ${refused.reason[locale]}` }),
    async close(): Promise<void> {
      stringifier.end();
      await done;
    },
  };
}
