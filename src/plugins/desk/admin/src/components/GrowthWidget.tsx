import * as React from 'react';
import { Flex, Typography } from '@strapi/design-system';
import { useDeskText } from '../lib';
import { ActiveReadersChart, GrowthError, useGrowth, useGrowthSummary, type GrowthSnapshot } from './GrowthChart';

/** Days the home page's chart covers. */
const WIDGET_DAYS = 90;

function Chart({ rows }: { rows: GrowthSnapshot[] }) {
  const t = useDeskText();
  const summary = useGrowthSummary(rows);
  return (
    <Flex direction="column" alignItems="stretch" gap={2} tag="figure" margin={0}>
      <ActiveReadersChart rows={rows} lines={[{ key: 'activeTotal', label: t('growth.activeTotal'), color: '#4945ff' }]} />
      <Typography tag="figcaption" data-testid="desk-growth-summary">
        {summary}
      </Typography>
    </Flex>
  );
}

/**
 * The home page's "Groei" widget: active readers over the last 90 days, with the sentence that says
 * the same in words. Registered for roles holding plugin::desk.statistics only (index.tsx).
 */
export function GrowthWidget() {
  const t = useDeskText();
  const { rows, error } = useGrowth(WIDGET_DAYS);
  if (error) return <GrowthError message={error} />;
  if (!rows) return <Typography textColor="neutral600">{t('growth.loading')}</Typography>;
  return (
    <div data-testid="desk-growth-widget">
      <Chart rows={rows} />
    </div>
  );
}

export default GrowthWidget;
