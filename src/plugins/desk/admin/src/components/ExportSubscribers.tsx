import * as React from 'react';
import { Box, Button, Field, Flex, SingleSelect, SingleSelectOption, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { TableHead } from './TableHead';
import { Download } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { CONTENT_TYPES } from '../../../../../core/content-types';
import { SUBSCRIBER_STATES } from '../../../../../core/domain/subscriber-state';
import { saveFile, useDeskText, useErrorMessage, useFormatTime } from '../lib';

const ALL = '';

/** The published themes by slug, named in the admin's language (the content manager's own list). */
function useThemes(): Array<{ slug: string; name: string }> {
  const { get } = useFetchClient();
  const { locale } = useIntl();
  const [themes, setThemes] = React.useState<Array<{ slug: string; name: string }>>([]);
  React.useEffect(() => {
    let stopped = false;
    const language = locale.toLowerCase().startsWith('nl') ? 'nl' : 'en';
    get<{ results: Array<{ slug: string; name: string }> }>(`/content-manager/collection-types/${CONTENT_TYPES.theme}`, {
      params: { page: 1, pageSize: 100, locale: language, sort: 'name:ASC' },
    }).then(
      ({ data }) => !stopped && setThemes(data.results.map(({ slug, name }) => ({ slug, name }))),
      () => undefined,
    );
    return () => {
      stopped = true;
    };
  }, [get, locale]);
  return themes;
}

interface LoggedExport {
  exportedAt: string;
  by: string;
  filter: { state?: string; locale?: string; theme?: string };
  rows: number | null;
}

/** The latest exports as the server logged them (who, when, which filter, how many rows), newest first. */
function ExportLog({ exports, themes }: { exports: LoggedExport[] | null; themes: Array<{ slug: string; name: string }> }) {
  const t = useDeskText();
  const { formatMessage } = useIntl();
  const formatTime = useFormatTime();
  if (exports === null) return null;
  const filterText = ({ state, locale, theme }: LoggedExport['filter']) =>
    [
      state ? formatMessage({ id: state, defaultMessage: state }) : null,
      locale === 'nl' || locale === 'en' ? t(`locale.${locale}`) : null,
      theme ? (themes.find((known) => known.slug === theme)?.name ?? theme) : null,
    ]
      .filter(Boolean)
      .join(' · ') || t('list.logAllReaders');
  return (
    <Flex direction="column" alignItems="stretch" gap={2} data-testid="desk-export-log">
      <Typography variant="delta" tag="h3">
        {t('list.logTitle')}
      </Typography>
      {exports.length === 0 ? (
        <Typography textColor="neutral600">{t('list.logEmpty')}</Typography>
      ) : (
        <Table colCount={4} rowCount={exports.length + 1}>
          <TableHead labels={[t('list.logWhen'), t('list.logWho'), t('list.logFilter'), t('list.logRows')]} />
          <Tbody>
            {exports.map((entry, index) => (
              <Tr key={`${entry.exportedAt}-${index}`}>
                <Td>
                  <Typography>{entry.exportedAt ? formatTime(entry.exportedAt) : ''}</Typography>
                </Td>
                <Td>
                  <Typography>{entry.by}</Typography>
                </Td>
                <Td>
                  <Typography>{filterText(entry.filter)}</Typography>
                </Td>
                <Td>
                  <Typography>{entry.rows === null ? t('list.logUnfinished') : entry.rows}</Typography>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </Flex>
  );
}

/**
 * "Exporteren": the readers matching a state, language and theme (a reader who chose no theme
 * follows every theme, so is in), with their consent details, as a CSV download. The server logs
 * every export (who, when, which filter).
 */
export function ExportSubscribers() {
  const t = useDeskText();
  const { formatMessage } = useIntl();
  const errorMessage = useErrorMessage();
  const { get } = useFetchClient();
  const themes = useThemes();
  const [state, setState] = React.useState(ALL);
  const [locale, setLocale] = React.useState(ALL);
  const [theme, setTheme] = React.useState(ALL);
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  const [exports, setExports] = React.useState<LoggedExport[] | null>(null);
  const loadLog = React.useCallback(() => {
    get<{ data: { exports: LoggedExport[] } }>('/desk/subscribers/exports').then(
      ({ data }) => setExports(data.data.exports),
      () => undefined,
    );
  }, [get]);
  React.useEffect(loadLog, [loadLog]);

  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const params = Object.fromEntries(Object.entries({ state, locale, theme }).filter(([, value]) => value !== ALL));
      const { data } = await get<string>('/desk/subscribers/export', { params, responseType: 'text' });
      saveFile('abonnees.csv', new Blob([data], { type: 'text/csv;charset=utf-8' }));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
      loadLog();
    }
  };

  const select = (name: string, label: string, value: string, onChange: (value: string) => void, options: Array<[string, string]>) => (
    <Box style={{ width: '22rem' }}>
      <Field.Root name={`desk-export-${name}`}>
        <Field.Label>{label}</Field.Label>
        <SingleSelect value={value} onChange={(next: string | number) => onChange(String(next))}>
          <SingleSelectOption value={ALL}>{t('list.all')}</SingleSelectOption>
          {options.map(([optionValue, text]) => (
            <SingleSelectOption key={optionValue} value={optionValue}>
              {text}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </Field.Root>
    </Box>
  );

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Typography variant="delta" tag="h2">
        {t('list.exportTitle')}
      </Typography>
      <Typography tag="p">{t('list.exportHint')}</Typography>
      <Flex wrap="wrap" gap={4}>
        {select(
          'state',
          t('list.filterState'),
          state,
          setState,
          SUBSCRIBER_STATES.map((value) => [value, formatMessage({ id: value, defaultMessage: value })]),
        )}
        {select('locale', t('list.filterLocale'), locale, setLocale, [
          ['nl', t('locale.nl')],
          ['en', t('locale.en')],
        ])}
        {select(
          'theme',
          t('list.filterTheme'),
          theme,
          setTheme,
          themes.map(({ slug, name }) => [slug, name]),
        )}
      </Flex>
      {error ? (
        <Typography role="alert" textColor="danger600">
          {error}
        </Typography>
      ) : null}
      <Box>
        <Button startIcon={<Download />} loading={busy} onClick={download}>
          {t('list.export')}
        </Button>
      </Box>
      <ExportLog exports={exports} themes={themes} />
    </Flex>
  );
}
