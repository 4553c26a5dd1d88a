/**
 * Wall-clock time in a named time zone (the network's NEWSLETTER_TZ, a Laposta export's Dutch
 * local time), with the runtime's own zone data (Intl): no library, and no offset written down
 * that a daylight-saving change would make wrong.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The network day a moment falls on, `YYYY-MM-DD` in the zone (NEWSLETTER_TZ): the day of a growth
 * snapshot and of an item count. The formatter is made once per zone (a count takes this per click).
 */
export function networkDay(at: Date, timeZone: string): string {
  let format = dayFormatters.get(timeZone);
  if (!format) {
    // en-CA writes dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, format);
  }
  return format.format(at);
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms (+3,600,000 for Amsterdam in winter). */
export function zoneOffsetMs(timeZone: string, instant: number): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((candidate) => candidate.type === type)?.value ?? 0);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time in the zone names, the wall clock given as if it were UTC
 * (`Date.UTC(y, m, d, h, min, s)`). The offset is taken twice: the first guess may fall on the
 * other side of a daylight-saving change than the answer.
 */
export function wallClockInstant(timeZone: string, wallClockAsUtc: number): number {
  const first = zoneOffsetMs(timeZone, wallClockAsUtc);
  return wallClockAsUtc - zoneOffsetMs(timeZone, wallClockAsUtc - first);
}
