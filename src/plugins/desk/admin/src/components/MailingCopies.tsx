import * as React from 'react';
import { Button, Typography } from '@strapi/design-system';
import { Duplicate, PaperPlane } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useNavigate } from 'react-router-dom';
import { mailingPath, type Kind } from '../api';
import { editPath, useDeskText, useErrorMessage } from '../lib';
import { DeskDialog } from './SendDialogs';

interface Target {
  kind: Kind;
  model: string;
  documentId: string;
}

/** "Dupliceren": a new draft with this mailing's content and audience; the editor continues in the copy. */
export function DuplicateButton({ kind, model, documentId }: Target) {
  const t = useDeskText();
  const errorMessage = useErrorMessage();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const navigate = useNavigate();
  const [busy, setBusy] = React.useState(false);
  const duplicate = async () => {
    setBusy(true);
    try {
      const { data } = await post<{ data: { documentId: string } }>(mailingPath(kind, documentId, 'duplicate'), {});
      toggleNotification({ type: 'success', message: t('duplicate.done') });
      navigate(editPath(model, data.data.documentId));
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button fullWidth variant="secondary" startIcon={<Duplicate />} loading={busy} onClick={() => void duplicate()}>
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
  const errorMessage = useErrorMessage();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const navigate = useNavigate();
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      const { data } = await post<{ data: { documentId: string } }>(mailingPath(kind, documentId, 'send-remainder'), {});
      toggleNotification({ type: 'success', message: t('remainder.done') });
      onClose();
      navigate(editPath(model, data.data.documentId));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
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
