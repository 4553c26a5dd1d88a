import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { mailingPath, type Kind } from '../api';
import { useDeskText, useErrorMessage } from '../lib';

/** An item as the item counts show it (src/site/counts/store.ts): its title and page now, and its counts. */
export interface CountedItem {
  kind: 'article' | 'resource';
  documentId: string;
  title: string;
  url: string | null;
  clicks: number;
  views?: number;
}

/** Clicks keep coming in for days after a send; read again now and then while the panel is open. */
const RELOAD_MS = 60_000;

/**
 * The sending panel's "Geopende items / Items opened" section: this mailing's items, most opened
 * first, with how often each was opened from the mail (clicks through its counted links, per item
 * and day, never per person). Shown once the mailing went out to someone.
 */
export function ItemCounts({ kind, documentId, sent }: { kind: Kind; documentId: string; sent: boolean }) {
  const t = useDeskText();
  const { get } = useFetchClient();
  const errorMessage = useErrorMessage();
  const { formatNumber } = useIntl();
  const [state, setState] = React.useState<{ items: CountedItem[] | null; error: string | null }>({ items: null, error: null });

  React.useEffect(() => {
    if (!sent) return;
    let live = true;
    const load = () =>
      get<{ data: { items: CountedItem[] } }>(mailingPath(kind, documentId, 'item-counts')).then(
        ({ data }) => live && setState({ items: data.data.items, error: null }),
        (failure: unknown) => live && setState({ items: null, error: errorMessage(failure) }),
      );
    void load();
    const timer = window.setInterval(load, RELOAD_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [get, kind, documentId, sent, errorMessage]);

  if (!sent) return null;
  return (
    <Flex tag="section" direction="column" alignItems="stretch" gap={2} aria-labelledby="desk-item-counts-title" data-testid="desk-item-counts">
      <Typography id="desk-item-counts-title" tag="h3" variant="sigma" textColor="neutral600">
        {t('itemCounts.title')}
      </Typography>
      <Typography variant="pi" textColor="neutral600">
        {t('itemCounts.source')}
      </Typography>
      {state.error ? (
        <Typography variant="pi" textColor="danger600" role="alert">
          {state.error}
        </Typography>
      ) : state.items === null ? null : state.items.length === 0 ? (
        <Typography variant="pi" textColor="neutral700" data-testid="desk-item-counts-empty">
          {t('itemCounts.none')}
        </Typography>
      ) : (
        <Box tag="ol" margin={0} paddingLeft={0} style={{ listStyle: 'none' }}>
          {state.items.map((item) => (
            <Flex key={`${item.kind}:${item.documentId}`} tag="li" justifyContent="space-between" gap={2} data-testid="desk-item-count">
              <Typography variant="pi" textColor="neutral800" ellipsis title={item.title}>
                {item.url ? (
                  <a href={item.url} target="_blank" rel="noreferrer">
                    {item.title}
                  </a>
                ) : (
                  item.title
                )}
              </Typography>
              <Typography variant="pi" fontWeight="semiBold" data-testid="desk-item-clicks" aria-label={t('itemCounts.clicks', { count: item.clicks })}>
                {formatNumber(item.clicks)}
              </Typography>
            </Flex>
          ))}
        </Box>
      )}
    </Flex>
  );
}
