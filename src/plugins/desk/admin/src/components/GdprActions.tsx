import * as React from 'react';
import { Button, Dialog, Flex } from '@strapi/design-system';
import { Download, Trash } from '@strapi/icons';
import { adminApi, ConfirmDialog, useDocumentRBAC, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useNavigate } from 'react-router-dom';
import { saveFile, useDeskText, useErrorMessage, type MessageKey } from '../lib';
import { CONTENT_TYPES } from '../../../../../core/content-types';
import { DESK_ACTIONS } from '../../../../../mailings/desk/permissions';

export const SUBSCRIBER_UID = CONTENT_TYPES.subscriber;
const LIST_PATH = `/content-manager/collection-types/${SUBSCRIBER_UID}`;

interface EraseResponse {
  data: { documentId: string; erased: boolean; removed: { subscribers: number; consentRecords: number; deliveries: number } };
}

/**
 * Erase goes through the admin's data layer (RTK Query, which uses the same fetch client) so it can
 * invalidate the content manager's cached list and entry: the list shown afterwards is fresh.
 */
const gdprApi = adminApi.enhanceEndpoints({ addTagTypes: ['Document', 'CountDocuments', 'RecentDocumentList'] }).injectEndpoints({
  endpoints: (builder) => ({
    netwerkpostEraseSubscriber: builder.mutation<EraseResponse, { documentId: string }>({
      query: ({ documentId }) => ({ url: `/desk/gdpr/subscribers/${encodeURIComponent(documentId)}/erase`, method: 'POST' }),
      invalidatesTags: () => [
        // Not the entry itself: the edit view is still open and would refetch a deleted document.
        { type: 'Document', id: `${SUBSCRIBER_UID}_LIST` },
        'CountDocuments',
        'RecentDocumentList',
      ],
    }),
  }),
});

const GDPR_PERMISSIONS = [{ action: DESK_ACTIONS.gdpr, subject: null }];

/**
 * Whether the signed-in admin may export and erase subscribers: the desk's GDPR action and the
 * content manager's delete on subscribers (the server checks both again).
 */
export function useMayUseGdpr(): boolean {
  const canDelete = useDocumentRBAC('GdprActions', (rbac) => rbac.canDelete, false);
  const { allowedActions } = useRBAC(GDPR_PERMISSIONS);
  return Boolean(canDelete && allowedActions.canGdpr);
}

/**
 * The "Export data" and "Erase subscriber" buttons of the desk's GDPR side panel on a subscriber
 * (GET /desk/gdpr/subscribers/:documentId/export, POST .../erase).
 */
export function GdprActions({ documentId }: { documentId: string }) {
  const text = useDeskText();
  const fail = useErrorMessage();
  const { get } = useFetchClient();
  const [eraseSubscriber] = gdprApi.useNetwerkpostEraseSubscriberMutation();
  const { toggleNotification } = useNotification();
  const navigate = useNavigate();
  const [busy, setBusy] = React.useState<'export' | 'erase' | null>(null);

  const base = `/desk/gdpr/subscribers/${encodeURIComponent(documentId)}`;
  const t = (key: string) => text(`gdpr.${key}` as MessageKey);
  const failed = (error: unknown) => toggleNotification({ type: 'danger', message: fail(error) });

  const exportData = async () => {
    setBusy('export');
    try {
      const { data } = await get<unknown>(`${base}/export`);
      saveFile(`subscriber-${documentId}.json`, new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      toggleNotification({ type: 'success', message: t('exported') });
    } catch (error) {
      failed(error);
    } finally {
      setBusy(null);
    }
  };

  const erase = async () => {
    setBusy('erase');
    const result = await eraseSubscriber({ documentId });
    if ('error' in result) {
      failed(result.error);
      setBusy(null);
      return;
    }
    toggleNotification({ type: 'success', message: t('erased') });
    navigate(LIST_PATH);
  };

  return (
    <Flex direction="column" gap={2} width="100%">
      <Button fullWidth variant="secondary" startIcon={<Download />} onClick={exportData} loading={busy === 'export'} disabled={busy !== null}>
        {t('export')}
      </Button>
      <Dialog.Root>
        <Dialog.Trigger>
          <Button fullWidth variant="danger-light" startIcon={<Trash />} disabled={busy !== null} loading={busy === 'erase'}>
            {t('erase')}
          </Button>
        </Dialog.Trigger>
        <ConfirmDialog
          title={t('confirmTitle')}
          endAction={
            <Dialog.Action>
              <Button fullWidth variant="danger" onClick={erase}>
                {t('confirmButton')}
              </Button>
            </Dialog.Action>
          }
        >
          {t('confirmBody')}
        </ConfirmDialog>
      </Dialog.Root>
    </Flex>
  );
}
