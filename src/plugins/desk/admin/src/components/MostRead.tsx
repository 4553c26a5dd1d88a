import * as React from 'react';
import { Box, Flex, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { TableHead } from './TableHead';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useDeskText, useErrorMessage } from '../lib';
import type { CountedItem } from './ItemCounts';

/**
 * "Meest gelezen / Most read" on the statistics page: the items opened most over the last `days`,
 * across every mailing (clicks through the mails' counted links) and on the reading pages (views),
 * counted per item and day, never per person (`GET /desk/statistics/most-read`).
 */
export function MostRead({ days }: { days: number }) {
  const t = useDeskText();
  const { get } = useFetchClient();
  const errorMessage = useErrorMessage();
  const { formatNumber } = useIntl();
  const [state, setState] = React.useState<{ items: Array<CountedItem & { views: number }> | null; counting: boolean; error: string | null }>({
    items: null,
    counting: true,
    error: null,
  });

  React.useEffect(() => {
    let live = true;
    get<{ data: Array<CountedItem & { views: number }>; meta: { counting: boolean } }>(`/desk/statistics/most-read?days=${days}`).then(
      ({ data }) => live && setState({ items: data.data, counting: data.meta.counting, error: null }),
      (failure: unknown) => live && setState({ items: null, counting: true, error: errorMessage(failure) }),
    );
    return () => {
      live = false;
    };
  }, [get, days, errorMessage]);

  return (
    <Flex tag="section" direction="column" alignItems="stretch" gap={3} aria-labelledby="desk-most-read-title" data-testid="desk-most-read">
      <Typography id="desk-most-read-title" variant="delta" tag="h2">
        {t('mostRead.title')}
      </Typography>
      <Typography tag="p" variant="pi" textColor="neutral600">
        {t('mostRead.source', { days })}
      </Typography>
      {!state.counting ? (
        <Typography tag="p" variant="pi" textColor="neutral700" data-testid="desk-most-read-off">
          {t('mostRead.off')}
        </Typography>
      ) : null}
      {state.error ? (
        <Typography textColor="danger600" role="alert">
          {state.error}
        </Typography>
      ) : state.items === null ? (
        <Typography>{t('growth.loading')}</Typography>
      ) : state.items.length === 0 ? (
        <Typography data-testid="desk-most-read-empty">{t('mostRead.none')}</Typography>
      ) : (
        <Box>
          <Table colCount={3} rowCount={state.items.length + 1}>
            <TableHead labels={[t('mostRead.item'), t('mostRead.clicks'), t('mostRead.views')]} />
            <Tbody>
              {state.items.map((item) => (
                <Tr key={`${item.kind}:${item.documentId}`} data-testid="desk-most-read-item">
                  <Td>
                    <Typography>
                      {item.url ? (
                        <a href={item.url} target="_blank" rel="noreferrer">
                          {item.title}
                        </a>
                      ) : (
                        item.title
                      )}
                    </Typography>
                  </Td>
                  <Td>
                    <Typography data-testid="desk-most-read-clicks">{formatNumber(item.clicks)}</Typography>
                  </Td>
                  <Td>
                    <Typography data-testid="desk-most-read-views">{formatNumber(item.views)}</Typography>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        </Box>
      )}
    </Flex>
  );
}
