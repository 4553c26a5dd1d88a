import * as React from 'react';
import { Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { GrowthSnapshot } from '../../../../../growth/counting';
import { useDeskText, useErrorMessage } from '../lib';

export type { GrowthSnapshot };

/** `GET /desk/statistics/growth?days=N` (plugin::desk.statistics): the stored days, oldest first, and today live. */
export function useGrowth(days: number) {
  const { get } = useFetchClient();
  const errorMessage = useErrorMessage();
  const [state, setState] = React.useState<{ rows: GrowthSnapshot[] | null; error: string | null }>({ rows: null, error: null });
  React.useEffect(() => {
    let live = true;
    get<{ data: GrowthSnapshot[] }>(`/desk/statistics/growth?days=${days}`).then(
      ({ data }) => live && setState({ rows: data.data, error: null }),
      (failure: unknown) => live && setState({ rows: null, error: errorMessage(failure) }),
    );
    return () => {
      live = false;
    };
  }, [get, days, errorMessage]);
  return state;
}

/** The day `days` before the latest one in the list, or the oldest day after it when that day has no snapshot. */
function dayBefore(rows: GrowthSnapshot[], days: number): GrowthSnapshot | null {
  const latest = rows[rows.length - 1];
  if (!latest) return null;
  const target = new Date(Date.parse(`${latest.day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  return rows.find((row) => row.day === target) ?? null;
}

/**
 * The chart's text alternative: "1.234 actieve lezers, 12 meer dan 30 dagen geleden" (or fewer, or
 * as many; without a snapshot of that day only the count).
 */
export function useGrowthSummary(rows: GrowthSnapshot[], days = 30): string {
  const t = useDeskText();
  const { formatNumber } = useIntl();
  const latest = rows[rows.length - 1];
  if (!latest) return t('growth.empty');
  const readers = t('growth.readers', { count: latest.activeTotal, formatted: formatNumber(latest.activeTotal) });
  const earlier = dayBefore(rows, days);
  if (!earlier) return t('growth.noComparison', { readers, days });
  const change = latest.activeTotal - earlier.activeTotal;
  const direction = change > 0 ? 'more' : change < 0 ? 'fewer' : 'same';
  return t('growth.comparison', { readers, direction, amount: formatNumber(Math.abs(change)), days });
}

/** Each day with its moment (noon UTC), for a time axis: a gap of days without a snapshot keeps its width. */
export type TimedSnapshot = GrowthSnapshot & { at: number };
export const timed = (rows: GrowthSnapshot[]): TimedSnapshot[] => rows.map((row) => ({ ...row, at: Date.parse(`${row.day}T12:00:00Z`) }));

/** A day's short label ("7 dec.") in the admin's language. */
export function useDayLabel() {
  const { formatDate } = useIntl();
  return React.useCallback((at: number) => formatDate(new Date(at), { day: 'numeric', month: 'short', timeZone: 'UTC' }), [formatDate]);
}

export interface ChartLine {
  key: keyof Pick<GrowthSnapshot, 'activeTotal' | 'activeNl' | 'activeEn'>;
  label: string;
  color: string;
}

/**
 * Active readers per day as lines (recharts). The drawing is hidden from screen readers: the
 * summary sentence beside it (and the page's table) says what it shows.
 */
export function ActiveReadersChart({ rows, lines, height = 180 }: { rows: GrowthSnapshot[]; lines: ChartLine[]; height?: number }) {
  const label = useDayLabel();
  return (
    <div aria-hidden="true" data-testid="desk-growth-chart" style={{ width: '100%', height }}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={timed(rows)} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="at" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={label} minTickGap={24} fontSize={11} />
          <YAxis allowDecimals={false} width={40} fontSize={11} />
          <Tooltip labelFormatter={(at) => label(Number(at))} />
          {lines.length > 1 ? <Legend /> : null}
          {lines.map((line) => (
            <Line key={line.key} type="linear" dataKey={line.key} name={line.label} stroke={line.color} dot={false} strokeWidth={2} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** A failed load, said in the admin's language. */
export function GrowthError({ message }: { message: string }) {
  return (
    <Typography textColor="danger600" role="alert">
      {message}
    </Typography>
  );
}
