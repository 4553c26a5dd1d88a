import * as React from 'react';
import { Box, Button, Field, Flex, SingleSelect, SingleSelectOption, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { TableHead } from './TableHead';
import { Download, File as FileIcon, Upload } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { IMPORT_FIELDS, type ImportField } from '../../../../../gdpr/import/columns';
import { saveFile, useDeskText, useErrorMessage, type MessageKey } from '../lib';

/** What POST /desk/subscribers/import answers (src/plugins/desk/server/src/controllers/subscribers.ts). */
interface ImportAnswer {
  dryRun: boolean;
  columns: { kind: 'mailchimp' | 'laposta' | 'plain' | 'other'; headers: string[]; fields: Partial<Record<ImportField, string>>; separator: string } | null;
  counts: Record<'rows' | 'new' | 'known' | 'invalid' | 'duplicates' | 'suppressed' | 'active' | 'pending', number>;
  mails: { queued: number; limited: number };
  refused: Array<{ row: number; email: string; kind: string; reason: { en: string; nl: string } }>;
  refusedTotal: number;
}

const COUNTS = ['rows', 'new', 'active', 'pending', 'known', 'suppressed', 'invalid', 'duplicates'] as const;
const PROGRESS_MS = 1000;
const NOT_USED = '';

const newImportId = () => `import-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/**
 * "Importeren": choose a CSV file, check it (a dry run: what the import would do, how the columns
 * are read, which rows it refuses and why), correct the columns, then import. The counts come from
 * the server's own import; while it reads, the rows done so far are shown (polled).
 */
export function ImportSubscribers() {
  const t = useDeskText();
  const { formatNumber, locale } = useIntl();
  const language = locale.toLowerCase().startsWith('nl') ? 'nl' : 'en';
  const errorMessage = useErrorMessage();
  const { post, get } = useFetchClient();
  const [file, setFile] = React.useState<File | null>(null);
  const [mapping, setMapping] = React.useState<Partial<Record<ImportField, string>>>({});
  const [checked, setChecked] = React.useState<ImportAnswer | null>(null);
  const [done, setDone] = React.useState<ImportAnswer | null>(null);
  const [stale, setStale] = React.useState(false);
  const [busy, setBusy] = React.useState<'check' | 'import' | 'report' | null>(null);
  const [rowsRead, setRowsRead] = React.useState(0);
  const [error, setError] = React.useState<string | null>(null);
  const fileInput = React.useRef<HTMLInputElement>(null);

  const send = async (fields: Record<string, string>, withMapping: boolean): Promise<ImportAnswer | null> => {
    if (!file) return null;
    const importId = newImportId();
    const form = new FormData();
    form.append('file', file, file.name);
    form.append('importId', importId);
    if (withMapping) form.append('mapping', JSON.stringify(mapping));
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    setRowsRead(0);
    const timer = window.setInterval(() => {
      get<{ data: { rows: number } }>(`/desk/subscribers/import/${importId}/progress`).then(
        ({ data }) => setRowsRead(data.data.rows),
        () => undefined,
      );
    }, PROGRESS_MS);
    try {
      const { data } = await post<{ data: ImportAnswer }>('/desk/subscribers/import', form);
      return data.data;
    } finally {
      window.clearInterval(timer);
    }
  };

  const run = async (kind: 'check' | 'import') => {
    setBusy(kind);
    setError(null);
    try {
      const answer = await send({ dryRun: kind === 'check' ? 'true' : 'false' }, checked !== null);
      if (!answer) return;
      if (kind === 'check') {
        setChecked(answer);
        setMapping(answer.columns?.fields ?? {});
        setStale(false);
        setDone(null);
      } else {
        setDone(answer);
        setChecked(null);
      }
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(null);
    }
  };

  const downloadRefused = async () => {
    if (!file) return;
    setBusy('report');
    setError(null);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      form.append('report', 'csv');
      form.append('language', language);
      form.append('mapping', JSON.stringify(mapping));
      const { data } = await post<{ data: { fileName: string; csv: string } }>('/desk/subscribers/import', form);
      saveFile(data.data.fileName, new Blob([data.data.csv], { type: 'text/csv;charset=utf-8' }));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(null);
    }
  };

  const shown = done ?? checked;
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Typography variant="delta" tag="h2">
        {t('list.importTitle')}
      </Typography>
      <Typography tag="p">{t('list.importHint')}</Typography>
      <Field.Root name="desk-import-file">
        <Field.Label>{t('list.file')}</Field.Label>
        <Flex gap={3}>
          {/* The browser's own file button speaks the browser's language: ours speaks the panel's. */}
          <Button variant="tertiary" startIcon={<FileIcon />} onClick={() => fileInput.current?.click()}>
            {t('list.chooseFile')}
          </Button>
          <Typography textColor="neutral600" data-testid="desk-import-file-name">
            {file ? file.name : t('list.noFile')}
          </Typography>
        </Flex>
        <input
          ref={fileInput}
          id="desk-import-file"
          type="file"
          accept=".csv,text/csv,text/plain"
          style={{ display: 'none' }}
          onChange={(event) => {
            setFile(event.target.files?.[0] ?? null);
            setChecked(null);
            setDone(null);
            setMapping({});
            setError(null);
          }}
        />
      </Field.Root>
      <Flex gap={2}>
        <Button
          variant={checked && !stale ? 'secondary' : 'default'}
          startIcon={<Upload />}
          disabled={!file || busy !== null}
          loading={busy === 'check'}
          onClick={() => run('check')}
        >
          {checked ? t('list.checkAgain') : t('list.check')}
        </Button>
        {busy === 'check' || busy === 'import' ? (
          <Typography role="status" textColor="neutral600">
            {t('list.reading', { rows: rowsRead })}
          </Typography>
        ) : null}
      </Flex>
      {error ? (
        <Typography role="alert" textColor="danger600">
          {error}
        </Typography>
      ) : null}
      {checked?.columns ? <Mapping answer={checked} mapping={mapping} onChange={(next) => (setMapping(next), setStale(true))} /> : null}
      {shown ? (
        <Box>
          <Typography variant="delta" tag="h3">
            {done ? t('list.countsDone') : t('list.countsTitle')}
          </Typography>
          <Table colCount={2} rowCount={COUNTS.length}>
            <Tbody>
              {COUNTS.map((key) => (
                <Tr key={key}>
                  <Td>
                    <Typography>{t(`list.count.${key}` as MessageKey)}</Typography>
                  </Td>
                  <Td>
                    <Typography data-testid={`desk-import-${key}`}>{formatNumber(shown.counts[key])}</Typography>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        </Box>
      ) : null}
      {done ? (
        <Typography role="status" data-testid="desk-import-done">
          {t('list.imported', { created: done.counts.new, mails: done.mails.queued })}
          {done.mails.limited > 0 ? ` ${t('list.limited', { count: done.mails.limited })}` : ''}
        </Typography>
      ) : null}
      {shown && shown.refusedTotal > 0 ? <Refused answer={shown} language={language} onDownload={downloadRefused} downloading={busy === 'report'} /> : null}
      {checked ? (
        checked.counts.new > 0 ? (
          <Box>
            <Button size="L" disabled={stale || busy !== null} loading={busy === 'import'} onClick={() => run('import')}>
              {t('list.import', { count: checked.counts.new })}
            </Button>
          </Box>
        ) : (
          <Typography>{t('list.nothingNew')}</Typography>
        )
      ) : null}
    </Flex>
  );
}

function Mapping({
  answer,
  mapping,
  onChange,
}: {
  answer: ImportAnswer;
  mapping: Partial<Record<ImportField, string>>;
  onChange: (next: Partial<Record<ImportField, string>>) => void;
}) {
  const t = useDeskText();
  const columns = answer.columns!;
  const separator = columns.separator === '\t' ? 'tab' : `"${columns.separator}"`;
  return (
    <Box>
      <Typography variant="delta" tag="h3">
        {t('list.mappingTitle')}
      </Typography>
      <Typography tag="p" data-testid="desk-import-recognised">
        {t('list.recognised', { kind: t(`list.kind.${columns.kind}` as MessageKey), separator })} {t('list.mappingHint')}
      </Typography>
      <Flex wrap="wrap" gap={4} paddingTop={2}>
        {IMPORT_FIELDS.map((field) => (
          <Box key={field} style={{ width: '22rem' }}>
            <Field.Root name={`desk-map-${field}`}>
              <Field.Label>{t(`list.field.${field}` as MessageKey)}</Field.Label>
              <SingleSelect value={mapping[field] ?? NOT_USED} onChange={(value: string | number) => onChange({ ...mapping, [field]: String(value) })}>
                <SingleSelectOption value={NOT_USED}>{t('list.notUsed')}</SingleSelectOption>
                {columns.headers.map((header) => (
                  <SingleSelectOption key={header} value={header}>
                    {header}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Field.Root>
          </Box>
        ))}
      </Flex>
    </Box>
  );
}

function Refused({ answer, language, onDownload, downloading }: { answer: ImportAnswer; language: 'nl' | 'en'; onDownload: () => void; downloading: boolean }) {
  const t = useDeskText();
  return (
    <Box>
      <Flex justifyContent="space-between" alignItems="center">
        <Typography variant="delta" tag="h3">
          {t('list.refusedTitle')}
        </Typography>
        <Button variant="tertiary" startIcon={<Download />} loading={downloading} onClick={onDownload}>
          {t('list.refusedCsv')}
        </Button>
      </Flex>
      {answer.refused.length < answer.refusedTotal ? (
        <Typography tag="p" textColor="neutral600">
          {t('list.refusedMore', { shown: answer.refused.length, total: answer.refusedTotal })}
        </Typography>
      ) : null}
      <Table colCount={3} rowCount={answer.refused.length + 1}>
        <TableHead labels={[t('list.row'), t('list.address'), t('list.reason')]} />
        <Tbody>
          {answer.refused.map((row) => (
            <Tr key={row.row}>
              <Td>
                <Typography>{row.row}</Typography>
              </Td>
              <Td>
                <Typography>{row.email}</Typography>
              </Td>
              <Td>
                <Typography>{row.reason[language]}</Typography>
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    </Box>
  );
}
