import * as React from 'react';
import { Button, Dialog, Field, Flex, TextInput, Typography } from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import {
  mailingPath,
  useDeskCancelMutation,
  useDeskScheduleMutation,
  useDeskSendNowMutation,
  useDeskUnscheduleMutation,
  type Audience,
  type Kind,
  type MailingProgress,
} from '../api';
import { useDeskText, useErrorMessage, useFormatTime } from '../lib';

interface DialogProps {
  kind: Kind;
  model: string;
  documentId: string;
  onClose: () => void;
  onDone: () => void;
}

/** How many readers will get it (GET .../audience when the dialog opens), or why it cannot be sent. */
function AudienceLine({ kind, documentId, onRefusal }: { kind: Kind; documentId: string; onRefusal: (refused: boolean) => void }) {
  const t = useDeskText();
  const errorMessage = useErrorMessage();
  const { get } = useFetchClient();
  const [text, setText] = React.useState<{ message: string; refused: boolean } | null>(null);
  React.useEffect(() => {
    let stopped = false;
    get<{ data: Audience }>(mailingPath(kind, documentId, 'audience')).then(
      ({ data }) => {
        if (stopped) return;
        const refused = data.data.refusal !== null;
        onRefusal(refused);
        setText({
          refused,
          message: refused ? t('audience.refused', { message: data.data.refusal ?? '' }) : t('audience.count', { count: data.data.recipients }),
        });
      },
      (failure: unknown) => !stopped && setText({ refused: true, message: errorMessage(failure) }),
    );
    return () => {
      stopped = true;
    };
  }, [get, kind, documentId, t, errorMessage, onRefusal]);
  return (
    <Typography data-testid="desk-audience" fontWeight="semiBold" textColor={text?.refused ? 'danger600' : 'neutral800'}>
      {text ? text.message : t('audience.loading')}
    </Typography>
  );
}

/** The engine's refusal code of a failed desk request (src/mailings/engine/refusal.ts), if it was one. */
const refusalOf = (error: unknown): string | null => {
  const details = typeof error === 'object' && error !== null && 'details' in error ? (error as { details?: { refusal?: unknown } }).details : undefined;
  return typeof details?.refusal === 'string' ? details.refusal : null;
};

/** Runs one of the state-changing mutations; a refusal's message (and its code) stays in the dialog. */
function useAction(onDone: () => void) {
  const errorMessage = useErrorMessage();
  const { toggleNotification } = useNotification();
  const [error, setError] = React.useState<string | null>(null);
  const [refusal, setRefusal] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState(false);
  const run = async (action: () => Promise<{ data?: unknown; error?: unknown }>, success: (data: unknown) => string) => {
    setBusy(true);
    setError(null);
    setRefusal(null);
    const result = await action();
    setBusy(false);
    if ('error' in result && result.error) {
      setRefusal(refusalOf(result.error));
      return setError(errorMessage(result.error));
    }
    toggleNotification({ type: 'success', message: success(result.data) });
    onDone();
  };
  return { error, refusal, busy, run };
}

/** The desk's confirmation dialog: a title, what will happen, "Terug" and the one button that does it. */
export function DeskDialog({ title, onClose, children, confirm }: { title: string; onClose: () => void; children: React.ReactNode; confirm: React.ReactNode }) {
  const t = useDeskText();
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Content>
        <Dialog.Header>{title}</Dialog.Header>
        <Dialog.Body>
          <Flex direction="column" alignItems="stretch" gap={3} width="100%">
            {children}
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button fullWidth variant="tertiary">
              {t('action.back')}
            </Button>
          </Dialog.Cancel>
          {confirm}
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
}

/**
 * "Inplannen": a send time (the editor's local time) and the audience count; POST .../schedule.
 * A time that has passed is refused (nothing goes out before its time); the dialog then offers
 * "Nu versturen" (POST .../send-now) next to the refusal.
 */
export function ScheduleDialog({ kind, model, documentId, onClose, onDone }: DialogProps) {
  const t = useDeskText();
  const formatTime = useFormatTime();
  const [schedule] = useDeskScheduleMutation();
  const [sendNow] = useDeskSendNowMutation();
  const [when, setWhen] = React.useState('');
  const [refused, setRefused] = React.useState(false);
  const { error, refusal, busy, run } = useAction(onDone);
  const submit = () => {
    const at = new Date(when);
    if (!when || Number.isNaN(at.getTime())) return;
    void run(
      () => schedule({ kind, model, documentId, sendAt: at.toISOString() }),
      () => t('schedule.done', { time: formatTime(at.toISOString()) }),
    );
  };
  return (
    <DeskDialog
      title={t('schedule.title')}
      onClose={onClose}
      confirm={
        <Button fullWidth onClick={submit} loading={busy} disabled={refused || !when}>
          {t('schedule.confirm')}
        </Button>
      }
    >
      <AudienceLine kind={kind} documentId={documentId} onRefusal={setRefused} />
      <Field.Root name="desk-send-at" error={error ?? undefined} required>
        <Field.Label>{t('schedule.when')}</Field.Label>
        <TextInput type="datetime-local" value={when} onChange={(event: React.ChangeEvent<HTMLInputElement>) => setWhen(event.target.value)} />
        <Field.Error />
      </Field.Root>
      {refusal === 'in-the-past' ? (
        <Flex gap={2} alignItems="center" data-testid="desk-past-offer">
          <Typography>{t('schedule.pastOffer')}</Typography>
          <Button
            variant="success-light"
            onClick={() =>
              void run(
                () => sendNow({ kind, model, documentId }),
                () => t('sendNow.done'),
              )
            }
            loading={busy}
          >
            {t('sendNow.confirm')}
          </Button>
        </Flex>
      ) : null}
    </DeskDialog>
  );
}

/** "Planning intrekken": scheduled -> draft, so it can be changed and scheduled again; POST .../unschedule. */
export function UnscheduleDialog({ kind, model, documentId, onClose, onDone }: DialogProps) {
  const t = useDeskText();
  const [unschedule] = useDeskUnscheduleMutation();
  const { error, busy, run } = useAction(onDone);
  return (
    <DeskDialog
      title={t('unschedule.title')}
      onClose={onClose}
      confirm={
        <Button
          fullWidth
          onClick={() =>
            void run(
              () => unschedule({ kind, model, documentId }),
              () => t('unschedule.done'),
            )
          }
          loading={busy}
        >
          {t('unschedule.confirm')}
        </Button>
      }
    >
      <Typography>{t('unschedule.body')}</Typography>
      {error ? <Typography textColor="danger600">{error}</Typography> : null}
    </DeskDialog>
  );
}

/** "Nu versturen": the audience count, then POST .../send-now (the worker starts at once). */
export function SendNowDialog({ kind, model, documentId, onClose, onDone }: DialogProps) {
  const t = useDeskText();
  const [sendNow] = useDeskSendNowMutation();
  const [refused, setRefused] = React.useState(false);
  const { error, busy, run } = useAction(onDone);
  return (
    <DeskDialog
      title={t('sendNow.title')}
      onClose={onClose}
      confirm={
        <Button
          fullWidth
          variant="success"
          onClick={() =>
            void run(
              () => sendNow({ kind, model, documentId }),
              () => t('sendNow.done'),
            )
          }
          loading={busy}
          disabled={refused}
        >
          {t('sendNow.confirm')}
        </Button>
      }
    >
      <AudienceLine kind={kind} documentId={documentId} onRefusal={setRefused} />
      {error ? <Typography textColor="danger600">{error}</Typography> : null}
    </DeskDialog>
  );
}

/** "Verzending annuleren": says what will not be sent; POST .../cancel. */
export function CancelDialog({ kind, model, documentId, progress, onClose, onDone }: DialogProps & { progress: MailingProgress }) {
  const t = useDeskText();
  const [cancel] = useDeskCancelMutation();
  const { error, busy, run } = useAction(onDone);
  const outcome = (data: unknown) => {
    const result = (data as { data?: { outcome?: string } } | undefined)?.data?.outcome;
    return t(result === 'stopping' ? 'cancel.stopping' : result === 'too-late' ? 'cancel.tooLate' : 'cancel.done');
  };
  return (
    <DeskDialog
      title={t('cancel.title')}
      onClose={onClose}
      confirm={
        <Button fullWidth variant="danger" onClick={() => void run(() => cancel({ kind, model, documentId }), outcome)} loading={busy}>
          {t('cancel.confirm')}
        </Button>
      }
    >
      <Typography>{progress.state === 'sending' ? t('cancel.bodySending', { remaining: progress.queued }) : t('cancel.bodyScheduled')}</Typography>
      <Typography textColor="neutral700">{t('cancel.final')}</Typography>
      {error ? <Typography textColor="danger600">{error}</Typography> : null}
    </DeskDialog>
  );
}
