import * as React from 'react';
import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { useDeskText, useErrorMessage } from '../lib';

/**
 * "Wachtrijen / Queues": the way into the queue dashboard (Bull Board, served by the CMS at
 * /queue-board). The button asks the desk for a pass (an admin route that needs
 * `plugin::desk.queues`), which comes back as a cookie for the dashboard's path, then opens it.
 */
export function QueuesPage() {
  const t = useDeskText();
  const errorMessage = useErrorMessage();
  const { post } = useFetchClient();
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);

  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      const { data } = await post<{ data: { url: string } }>('/desk/queue-pass');
      window.location.assign(data.data.url);
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };

  return (
    <Page.Main>
      <Page.Title>{t('queues.title')}</Page.Title>
      <Layouts.Header title={t('queues.title')} subtitle={t('queues.subtitle')} />
      <Layouts.Content>
        <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
          <Flex direction="column" alignItems="flex-start" gap={4}>
            <Typography>{t('queues.explanation')}</Typography>
            <Button onClick={open} loading={busy}>
              {t('queues.open')}
            </Button>
            {error ? (
              <Typography textColor="danger600" role="alert">
                {error}
              </Typography>
            ) : null}
          </Flex>
        </Box>
      </Layouts.Content>
    </Page.Main>
  );
}

export default QueuesPage;
