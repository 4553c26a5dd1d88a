import * as React from 'react';
import { Box, Flex } from '@strapi/design-system';
import { Layouts, Page } from '@strapi/strapi/admin';
import { ExportSubscribers } from '../components/ExportSubscribers';
import { ImportSubscribers } from '../components/ImportSubscribers';
import { useDeskText } from '../lib';

/**
 * "Abonnees importeren en exporteren": the subscriber list in (a CSV file, checked first) and out
 * (a CSV file by state, language and theme). For roles holding plugin::desk.subscribers (its menu
 * link and the subscribers list's button too); the server checks the same action.
 */
export function SubscribersPage() {
  const t = useDeskText();
  return (
    <Page.Main>
      <Page.Title>{t('list.title')}</Page.Title>
      <Layouts.Header title={t('list.title')} subtitle={t('list.subtitle')} />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
            <ImportSubscribers />
          </Box>
          <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
            <ExportSubscribers />
          </Box>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
}

export default SubscribersPage;
