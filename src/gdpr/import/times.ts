/**
 * Times as export files write them: `2024-03-01 14:05:00` (Mailchimp, Laposta), ISO 8601 with `T`
 * and a zone, or the Dutch `01-03-2024 14:05`. A time without a zone is read in the file's zone
 * (UTC for Mailchimp and plain files, Dutch local time for Laposta). Pure; unit-tested.
 */
import { wallClockInstant } from '../../core/domain/time-zone';

export type TimeZoneRule = 'UTC' | 'Europe/Amsterdam';

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const YEAR_FIRST = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const DAY_FIRST = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

export function parseImportTime(text: string, zone: TimeZoneRule): Date | null {
  const trimmed = text.trim();
  if (ISO_WITH_ZONE.test(trimmed)) {
    const date = new Date(trimmed);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  const yearFirst = YEAR_FIRST.exec(trimmed);
  const dayFirst = yearFirst ? null : DAY_FIRST.exec(trimmed);
  const parts = yearFirst
    ? [yearFirst[1], yearFirst[2], yearFirst[3], yearFirst[4], yearFirst[5], yearFirst[6]]
    : dayFirst
      ? [dayFirst[3], dayFirst[2], dayFirst[1], dayFirst[4], dayFirst[5], dayFirst[6]]
      : null;
  if (!parts) return null;
  const [year, month, day, hour, minute, second] = parts.map((part) => Number(part ?? 0));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  // 31 February and the like roll over in Date.UTC: refuse them.
  if (new Date(asUtc).getUTCDate() !== day) return null;
  return new Date(zone === 'UTC' ? asUtc : wallClockInstant(zone, asUtc));
}
