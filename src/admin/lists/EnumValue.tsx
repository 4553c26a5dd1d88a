import { useIntl } from 'react-intl';

/**
 * An enumeration value as the editor reads it (the list view shows raw values otherwise: the edit
 * view translates them, the list's cells do not). Unknown values are shown as they are.
 */
export function EnumValue({ value }: { value: unknown }) {
  const { formatMessage } = useIntl();
  if (typeof value !== 'string' || value === '') return <span>-</span>;
  return <span>{formatMessage({ id: value, defaultMessage: value })}</span>;
}

interface ListHeader {
  name: string;
  attribute?: { type?: string };
  cellFormatter?: unknown;
}

/** For the content manager's list-view hook: enumeration columns show their translated value. */
export function translateEnumColumns<T extends { displayedHeaders: ListHeader[] }>(args: T): T {
  return {
    ...args,
    displayedHeaders: args.displayedHeaders.map((header) =>
      header.attribute?.type === 'enumeration' && !header.cellFormatter
        ? { ...header, cellFormatter: (row: Record<string, unknown>) => <EnumValue value={row[header.name]} /> }
        : header,
    ),
  };
}
