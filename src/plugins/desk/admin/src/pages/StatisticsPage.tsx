import * as React from 'react';
import { Box, Button, Flex, Typography, VisuallyHidden } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ActiveReadersChart, GrowthError, timed, useDayLabel, useGrowth, useGrowthSummary, type GrowthSnapshot } from '../components/GrowthChart';
import { saveFile, useDeskText, useErrorMessage, type MessageKey } from '../lib';
import { MostRead } from '../components/MostRead';

/** Twelve months of days (the route allows up to 366). */
const PAGE_DAYS = 365;
/** "Meest gelezen" looks at the last three months: what readers open now, not what they opened a year ago. */
const MOST_READ_DAYS = 90;

const CHANGES: Array<{
  key: keyof Pick<GrowthSnapshot, 'signedUp' | 'confirmed' | 'unsubscribed' | 'bounced' | 'complained'>;
  label: MessageKey;
  color: string;
}> = [
  { key: 'signedUp', label: 'growth.signedUp', color: '#7b79ff' },
  { key: 'confirmed', label: 'growth.confirmed', color: '#328048' },
  { key: 'unsubscribed', label: 'growth.unsubscribed', color: '#d9822f' },
  { key: 'bounced', label: 'growth.bounced', color: '#d02b20' },
  { key: 'complained', label: 'growth.complained', color: '#8e1a13' },
];

/** The days grouped per month: the last day's active readers and the month's changes summed, for the table behind the charts. */
function perMonth(rows: GrowthSnapshot[]): Array<{ month: string; last: GrowthSnapshot; sums: Record<string, number> }> {
  const months = new Map<string, { last: GrowthSnapshot; sums: Record<string, number> }>();
  for (const row of rows) {
    const month = row.day.slice(0, 7);
    const entry = months.get(month) ?? { last: row, sums: Object.fromEntries(CHANGES.map(({ key }) => [key, 0])) };
    entry.last = row;
    for (const { key } of CHANGES) entry.sums[key] += row[key];
    months.set(month, entry);
  }
  return [...months].map(([month, entry]) => ({ month, ...entry }));
}

/** The charts' text alternative: a table per month, read by screen readers, hidden from sight. */
function MonthTable({ rows }: { rows: GrowthSnapshot[] }) {
  const t = useDeskText();
  const { formatDate, formatNumber } = useIntl();
  return (
    <VisuallyHidden>
      <table>
        <caption>{t('growth.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('growth.month')}</th>
            <th scope="col">{t('growth.activeTotal')}</th>
            <th scope="col">{t('growth.activeNl')}</th>
            <th scope="col">{t('growth.activeEn')}</th>
            {CHANGES.map(({ key, label }) => (
              <th scope="col" key={key}>
                {t(label)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {perMonth(rows).map(({ month, last, sums }) => (
            <tr key={month}>
              <th scope="row">{formatDate(new Date(`${month}-15T12:00:00Z`), { month: 'long', year: 'numeric', timeZone: 'UTC' })}</th>
              <td>{formatNumber(last.activeTotal)}</td>
              <td>{formatNumber(last.activeNl)}</td>
              <td>{formatNumber(last.activeEn)}</td>
              {CHANGES.map(({ key }) => (
                <td key={key}>{formatNumber(sums[key])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </VisuallyHidden>
  );
}

function Charts({ rows }: { rows: GrowthSnapshot[] }) {
  const t = useDeskText();
  const summary = useGrowthSummary(rows);
  const label = useDayLabel();
  return (
    <Flex direction="column" alignItems="stretch" gap={6}>
      <Box>
        <Typography variant="delta" tag="h2">
          {t('growth.activeTitle')}
        </Typography>
        <Typography tag="p" data-testid="desk-growth-summary">
          {summary}
        </Typography>
        <ActiveReadersChart
          height={280}
          rows={rows}
          lines={[
            { key: 'activeTotal', label: t('growth.activeTotal'), color: '#4945ff' },
            { key: 'activeNl', label: t('growth.activeNl'), color: '#328048' },
            { key: 'activeEn', label: t('growth.activeEn'), color: '#d9822f' },
          ]}
        />
      </Box>
      <Box>
        <Typography variant="delta" tag="h2">
          {t('growth.changesTitle')}
        </Typography>
        <div aria-hidden="true" style={{ width: '100%', height: 240 }} data-testid="desk-growth-changes">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={timed(rows)} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis
                dataKey="at"
                type="number"
                scale="time"
                domain={['dataMin - 43200000', 'dataMax + 43200000']}
                tickFormatter={label}
                minTickGap={24}
                fontSize={11}
              />
              <YAxis allowDecimals={false} width={40} fontSize={11} />
              <Tooltip labelFormatter={(at) => label(Number(at))} />
              <Legend />
              {CHANGES.map(({ key, label: name, color }) => (
                <Bar key={key} dataKey={key} name={t(name)} fill={color} stackId="changes" isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      </Box>
      <MonthTable rows={rows} />
    </Flex>
  );
}

/**
 * "Groei / Growth": twelve months of growth snapshots (counts only, no person): active readers per
 * language, and each day's sign-ups, confirmations, unsubscribes, bounces and spam reports, with a
 * CSV download of the same days. For roles holding plugin::desk.statistics (its menu link too).
 */
export function StatisticsPage() {
  const t = useDeskText();
  const errorMessage = useErrorMessage();
  const { get } = useFetchClient();
  const { rows, error } = useGrowth(PAGE_DAYS);
  const [busy, setBusy] = React.useState(false);
  const [downloadError, setDownloadError] = React.useState<string | null>(null);

  const downloadCsv = async () => {
    setBusy(true);
    setDownloadError(null);
    try {
      const { data } = await get(`/desk/statistics/growth.csv?days=${PAGE_DAYS}`, { responseType: 'text' });
      saveFile(`groei-${PAGE_DAYS}-dagen.csv`, new Blob([data], { type: 'text/csv;charset=utf-8' }));
    } catch (failure) {
      setDownloadError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page.Main>
      <Page.Title>{t('growth.title')}</Page.Title>
      <Layouts.Header
        title={t('growth.title')}
        subtitle={t('growth.subtitle')}
        primaryAction={
          <Button startIcon={<Download />} onClick={downloadCsv} loading={busy} disabled={!rows}>
            {t('growth.csv')}
          </Button>
        }
      />
      <Layouts.Content>
        <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
          {downloadError ? <GrowthError message={downloadError} /> : null}
          {error ? <GrowthError message={error} /> : rows ? <Charts rows={rows} /> : <Typography>{t('growth.loading')}</Typography>}
        </Box>
        <Box background="neutral0" padding={6} marginTop={6} shadow="filterShadow" hasRadius>
          <MostRead days={MOST_READ_DAYS} />
        </Box>
      </Layouts.Content>
    </Page.Main>
  );
}

export default StatisticsPage;
