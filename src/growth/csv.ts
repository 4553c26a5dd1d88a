import type { GrowthSnapshot } from './counting';

/**
 * Growth snapshots as CSV (RFC 4180: comma-separated, CRLF line ends, a field quoted when it holds a
 * comma, quote or line break, quotes doubled). One line per day, oldest first; a column per theme
 * that any of the days counted. A field that a spreadsheet would run as a formula (`=`, `+`, `-`,
 * `@`) gets a leading apostrophe: theme slugs are editors' input.
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

export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function growthCsv(rows: readonly GrowthSnapshot[]): string {
  const themes = [...new Set(rows.flatMap((row) => Object.keys(row.activeByTheme)))].sort();
  const header = [...FIXED.map(([name]) => name), ...themes.map((slug) => `theme:${slug}`)];
  const lines = rows.map((row) => [...FIXED.map(([, value]) => value(row)), ...themes.map((slug) => row.activeByTheme[slug] ?? '')]);
  return [header, ...lines].map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n';
}
