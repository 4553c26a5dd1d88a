import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import type { MailingProgress } from '../api';
import { useDeskText, type MessageKey } from '../lib';
import { CountRow } from './CountRow';

const DELIVERY = ['delivered', 'deferred', 'bounced', 'dropped', 'spamReports', 'unsubscribes'] as const;

/** SendGrid only reports on mail it was given: before anything is submitted (or may have been) there is nothing to show. */
export function hasDeliveryFeedback(progress: MailingProgress): boolean {
  return progress.submitted > 0 || progress.unknown > 0 || progress.awaitingResolution.length > 0;
}

/**
 * The sending panel's "Bezorging / Delivery" section: what SendGrid's Event Webhook reported of
 * this mailing, once per reader; opens and clicks only when the mailing tracked them, shown as
 * estimates (image blocking hides opens, privacy proxies and link scanners add some), with the
 * opens by mail software apart; and the batches of unknown fate still waiting for an event.
 */
export function DeliveryStatistics({ progress, formatTime }: { progress: MailingProgress; formatTime: (iso: string) => string }) {
  const t = useDeskText();
  if (!hasDeliveryFeedback(progress)) return null;
  return (
    <Flex tag="section" direction="column" alignItems="stretch" gap={2} aria-labelledby="desk-delivery-title" data-testid="desk-delivery">
      <Typography id="desk-delivery-title" tag="h3" variant="sigma" textColor="neutral600">
        {t('delivery.title')}
      </Typography>
      <Typography variant="pi" textColor="neutral600">
        {t('delivery.source')}
      </Typography>
      <Box tag="dl" margin={0}>
        {DELIVERY.map((statistic) => (
          <CountRow key={statistic} label={t(`delivery.${statistic}` as MessageKey)} value={progress[statistic]} testId={`desk-delivery-${statistic}`} />
        ))}
      </Box>
      {progress.trackEngagement ? (
        <Engagement progress={progress} />
      ) : (
        <Typography variant="pi" textColor="neutral700" data-testid="desk-engagement-untracked">
          {t('engagement.untracked')}
        </Typography>
      )}
      {progress.awaitingResolution.length > 0 ? <AwaitingResolution progress={progress} formatTime={formatTime} /> : null}
    </Flex>
  );
}

function Engagement({ progress }: { progress: MailingProgress }) {
  const t = useDeskText();
  return (
    <>
      <Box tag="dl" margin={0} data-testid="desk-engagement">
        <CountRow label={t('engagement.opens')} value={progress.opens ?? 0} testId="desk-engagement-opens" />
        <CountRow label={t('engagement.clicks')} value={progress.clicks ?? 0} testId="desk-engagement-clicks" />
      </Box>
      {/* Apart, not added to the opens: a mailbox (e.g. Apple Mail Privacy Protection) fetched the mail, not a person. */}
      <Box tag="dl" margin={0}>
        <CountRow label={t('engagement.machineOpens')} value={progress.machineOpens ?? 0} testId="desk-engagement-machineOpens" />
      </Box>
      <Typography variant="pi" textColor="neutral600">
        {t('engagement.estimates')}
      </Typography>
    </>
  );
}

function AwaitingResolution({ progress, formatTime }: { progress: MailingProgress; formatTime: (iso: string) => string }) {
  const t = useDeskText();
  return (
    <Box role="status" background="warning100" borderColor="warning200" borderStyle="solid" borderWidth="1px" hasRadius padding={3} data-testid="desk-awaiting">
      <Flex direction="column" alignItems="stretch" gap={1}>
        <Typography variant="omega" fontWeight="bold" textColor="warning700">
          {t('awaiting.title')}
        </Typography>
        <Box tag="ul" margin={0} paddingLeft={4} style={{ listStyle: 'disc' }}>
          {progress.awaitingResolution.map((batch) => (
            <li key={batch.batchNo} data-testid={`desk-awaiting-batch-${batch.batchNo}`}>
              <Typography variant="pi" textColor="neutral800">
                {t('awaiting.batch', { batchNo: batch.batchNo, recipients: batch.recipients, since: formatTime(batch.since) })}
              </Typography>
            </li>
          ))}
        </Box>
        <Typography variant="pi" textColor="neutral700">
          {t('awaiting.explanation')}
        </Typography>
      </Flex>
    </Box>
  );
}
