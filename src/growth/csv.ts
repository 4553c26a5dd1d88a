import { stringify } from 'csv-stringify/sync';
import type { GrowthSnapshot } from './counting';

/**
 * Growth snapshots as CSV through csv-stringify, as the list export writes its file: CRLF line
 * ends (what spreadsheets expect), fields quoted when needed, and a field a spreadsheet would run
 * as a formula (`=`, `+`, `-`, `@`) defused with a leading apostrophe: theme slugs are editors'
 * input. One line per day, oldest first; a column per theme that any of the days counted.
 */
const FIXED: Array<[header: string, value: (row: GrowthSnapshot) => string | number]> = [
  ['day', (row) => row.day],
  ['active_total', (row) => row.activeTotal],
  ['active_nl', (row) => row.activeNl],
  ['active_en', (row) => row.activeEn],
  ['signed_up', (row) => row.signedUp],
  ['confirmed', (row) => row.confirmed],
  ['unsubscribed', (row) => row.unsubscribed],
  ['bounced', (row) => row.bounced],
  ['complained', (row) => row.complained],
];

export function growthCsv(rows: readonly GrowthSnapshot[]): string {
  const themes = [...new Set(rows.flatMap((row) => Object.keys(row.activeByTheme)))].sort();
  const header = [...FIXED.map(([name]) => name), ...themes.map((slug) => `theme:${slug}`)];
  const lines = rows.map((row) => [...FIXED.map(([, value]) => value(row)), ...themes.map((slug) => row.activeByTheme[slug] ?? '')]);
  return stringify([header, ...lines], { record_delimiter: 'windows', escape_formulas: true });
}
