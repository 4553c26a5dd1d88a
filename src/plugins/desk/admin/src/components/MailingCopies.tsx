import * as React from 'react';
import { Button, Typography } from '@strapi/design-system';
import { Duplicate, PaperPlane } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { mailingPath, type Kind } from '../api';
import { useCreateAndOpen, useDeskText } from '../lib';
import { DeskDialog } from './SendDialogs';

interface Target {
  kind: Kind;
  model: string;
  documentId: string;
}

/** "Dupliceren": a new draft with this mailing's content and audience; the editor continues in the copy. */
export function DuplicateButton({ kind, model, documentId }: Target) {
  const t = useDeskText();
  const { toggleNotification } = useNotification();
  const { run, busy, error } = useCreateAndOpen(model, () => t('duplicate.done'));
  // A refusal here has no dialog to stand in: it is a notification.
  React.useEffect(() => {
    if (error) toggleNotification({ type: 'danger', message: error });
  }, [error, toggleNotification]);
  return (
    <Button fullWidth variant="secondary" startIcon={<Duplicate />} loading={busy} onClick={() => void run(mailingPath(kind, documentId, 'duplicate'))}>
      {t('action.duplicate')}
    </Button>
  );
}

/**
 * "Versturen naar wie hem nog niet kreeg": says what happens (a copy, sent now, to the readers of
 * the audience who did not get this one), then POST .../send-remainder and opens the copy, whose
 * panel shows its progress.
 */
export function RemainderDialog({ kind, model, documentId, onClose }: Target & { onClose: () => void }) {
  const t = useDeskText();
  const { run, busy, error } = useCreateAndOpen(model, () => t('remainder.done'), onClose);
  const send = () => run(mailingPath(kind, documentId, 'send-remainder'));
  return (
    <DeskDialog
      title={t('remainder.title')}
      onClose={onClose}
      confirm={
        <Button fullWidth variant="success" startIcon={<PaperPlane />} loading={busy} onClick={() => void send()}>
          {t('remainder.confirm')}
        </Button>
      }
    >
      <Typography>{t('remainder.body')}</Typography>
      {error ? <Typography textColor="danger600">{error}</Typography> : null}
    </DeskDialog>
  );
}
