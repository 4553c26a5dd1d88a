import * as React from 'react';
import { Badge, Box, Button, Flex, Typography } from '@strapi/design-system';
import { Eye, Mail, Clock, PaperPlane, Cross, Pencil } from '@strapi/icons';
import { mailingPath, useProgress, type Kind, type MailingProgress } from '../api';
import { previewModal, useDeskPermissions, useDeskText, useFormatTime, usePreviewModalOpen, type MessageKey } from '../lib';
import { PreviewModal } from './PreviewModal';
import { CountRow } from './CountRow';
import { DeliveryStatistics } from './DeliveryStatistics';
import { ItemCounts } from './ItemCounts';
import { CancelDialog, ScheduleDialog, SendNowDialog, UnscheduleDialog } from './SendDialogs';
import { DuplicateButton, RemainderDialog } from './MailingCopies';
import { hasRemainder } from '../../../../../mailings/engine/mailing-state';
import { TestSendModal } from './TestSendModal';
import { useQueryParams } from '@strapi/strapi/admin';
import { READ_ONLY_FLAG, isMarkedReadOnly } from '../../../../../core/admin-query';

const COUNTS = ['recipients', 'queued', 'submitted', 'failed', 'suppressed', 'unknown', 'cancelled'] as const;
const EDITABLE = new Set(['draft', 'scheduled']);
const CANCELLABLE = new Set(['scheduled', 'sending']);
const LOCKED = new Set(['sending', 'sent', 'failed', 'cancelled', 'skipped']);

type Open = 'test' | 'schedule' | 'send-now' | 'unschedule' | 'cancel' | 'remainder' | null;

/**
 * The "Verzending / Sending" side panel of an edition's or campaign's edit view: live progress
 * (state, send time, counts, a bar; polled every 2 s while scheduled or sending), SendGrid's
 * delivery statistics (polled every 30 s after the send, see useProgress) and the desk's buttons,
 * each shown only to roles holding its action. Also renders the preview modal opened by
 * the header's "Voorbeeld" action.
 */
export function SendingPanel({ kind, model, documentId, title }: { kind: Kind; model: string; documentId: string; title: string }) {
  const t = useDeskText();
  const formatTime = useFormatTime();
  const can = useDeskPermissions();
  const target = React.useMemo(() => ({ kind, model, documentId }), [kind, model, documentId]);
  const { progress, reload } = useProgress(target);
  const previewOpen = usePreviewModalOpen();
  const [open, setOpen] = React.useState<Open>(null);
  const close = () => setOpen(null);
  const done = () => {
    setOpen(null);
    reload();
  };
  React.useEffect(() => () => previewModal.close(), []);
  // Sending or history: the form becomes read-only too (src/core/admin-query.ts). Never undone: a
  // mailing that is sending or history stays so.
  const [{ query, rawQuery }, setQuery] = useQueryParams<{ plugins?: Record<string, unknown> }>();
  const locked = Boolean(progress && LOCKED.has(progress.state));
  const marked = isMarkedReadOnly(rawQuery);
  React.useEffect(() => {
    if (locked && !marked) setQuery({ plugins: { ...query.plugins, [READ_ONLY_FLAG.plugin]: { [READ_ONLY_FLAG.key]: 'true' } } }, 'push', true);
  }, [locked, marked, query.plugins, setQuery]);

  return (
    <Flex direction="column" alignItems="stretch" gap={3} width="100%">
      {progress ? <Progress progress={progress} formatTime={formatTime} /> : null}
      {progress ? <DeliveryStatistics progress={progress} formatTime={formatTime} /> : null}
      {progress ? <ItemCounts kind={kind} documentId={documentId} sent={progress.submitted > 0 || progress.unknown > 0} /> : null}
      {/* History is read-only (src/mailings/engine/mailing-rules.ts): said before an editor types in the form, not after a refused save. */}
      {progress && LOCKED.has(progress.state) ? (
        <Typography variant="pi" textColor="neutral700" data-testid="desk-locked">
          {t('panel.locked')}
        </Typography>
      ) : null}
      {can.canPreview ? (
        <Button fullWidth variant="secondary" startIcon={<Eye />} onClick={() => previewModal.open()}>
          {t('action.preview')}
        </Button>
      ) : null}
      {can.canSendTest ? (
        <Button fullWidth variant="secondary" startIcon={<Mail />} onClick={() => setOpen('test')}>
          {t('action.sendTest')}
        </Button>
      ) : null}
      {can.canSend && progress && EDITABLE.has(progress.state) ? (
        <>
          <Button fullWidth variant="secondary" startIcon={<Clock />} onClick={() => setOpen('schedule')}>
            {t('action.schedule')}
          </Button>
          <Button fullWidth variant="success-light" startIcon={<PaperPlane />} onClick={() => setOpen('send-now')}>
            {t('action.sendNow')}
          </Button>
        </>
      ) : null}
      {/* A scheduled mailing is read-only (src/mailings/engine/mailing-rules.ts): unscheduling makes it a draft to edit. */}
      {can.canSend && progress?.state === 'scheduled' ? (
        <Button fullWidth variant="secondary" startIcon={<Pencil />} onClick={() => setOpen('unschedule')}>
          {t('action.unschedule')}
        </Button>
      ) : null}
      {can.canCancel && progress && CANCELLABLE.has(progress.state) ? (
        <Button fullWidth variant="danger-light" startIcon={<Cross />} onClick={() => setOpen('cancel')}>
          {t('action.cancel')}
        </Button>
      ) : null}
      {can.canSend && progress && hasRemainder(progress.state, progress) ? (
        <Button fullWidth variant="success-light" startIcon={<PaperPlane />} onClick={() => setOpen('remainder')}>
          {t('action.sendRemainder')}
        </Button>
      ) : null}
      {can.canDuplicate ? <DuplicateButton {...target} /> : null}
      {previewOpen && can.canPreview ? (
        <PreviewModal path={mailingPath(kind, documentId, 'preview')} themed={kind === 'edition'} title={title} onClose={() => previewModal.close()} />
      ) : null}
      {open === 'test' ? <TestSendModal path={mailingPath(kind, documentId, 'test-send')} onClose={close} /> : null}
      {open === 'schedule' ? <ScheduleDialog {...target} onClose={close} onDone={done} /> : null}
      {open === 'send-now' ? <SendNowDialog {...target} onClose={close} onDone={done} /> : null}
      {open === 'unschedule' ? <UnscheduleDialog {...target} onClose={close} onDone={done} /> : null}
      {open === 'cancel' && progress ? <CancelDialog {...target} progress={progress} onClose={close} onDone={done} /> : null}
      {open === 'remainder' ? <RemainderDialog {...target} onClose={close} /> : null}
    </Flex>
  );
}

function Progress({ progress, formatTime }: { progress: MailingProgress; formatTime: (iso: string) => string }) {
  const t = useDeskText();
  const percent = Math.round(progress.ratio * 100);
  return (
    <Flex direction="column" alignItems="stretch" gap={2} data-testid="desk-progress">
      <Flex gap={2} wrap="wrap">
        <Badge data-testid="desk-state" data-state={progress.state}>
          {t(`state.${progress.state}` as MessageKey)}
        </Badge>
        {progress.sendAt ? (
          <Typography variant="pi" textColor="neutral600">
            {t('progress.sendAt', { time: formatTime(progress.sendAt) })}
          </Typography>
        ) : null}
      </Flex>
      {/* The design system's ProgressBar is white on dark and sets no aria-valuenow: a bar of our own on the light panel. */}
      <Box
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-label={t('progress.label', { settled: progress.settled, recipients: progress.recipients })}
        background="neutral150"
        hasRadius
        height="0.8rem"
        overflow="hidden"
      >
        <Box background={progress.state === 'failed' ? 'danger500' : 'success500'} height="100%" style={{ width: `${percent}%`, transition: 'width 0.3s' }} />
      </Box>
      <Typography variant="pi" textColor="neutral600">
        {t('progress.label', { settled: progress.settled, recipients: progress.recipients })}
      </Typography>
      <Box tag="dl" margin={0}>
        {COUNTS.map((count) => (
          <CountRow key={count} label={t(`count.${count}` as MessageKey)} value={progress[count]} testId={`desk-count-${count}`} />
        ))}
      </Box>
      {progress.notes ? (
        <Typography variant="pi" textColor="neutral700">
          {t('progress.notes', { notes: progress.notes })}
        </Typography>
      ) : null}
    </Flex>
  );
}
