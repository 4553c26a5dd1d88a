import * as React from 'react';
import { Button, Dialog, Flex } from '@strapi/design-system';
import { Download, Trash } from '@strapi/icons';
import {
  adminApi,
  ConfirmDialog,
  isFetchError,
  unstable_useContentManagerContext as useContentManagerContext,
  useAPIErrorHandler,
  useDocumentRBAC,
  useFetchClient,
  useNotification,
} from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useNavigate } from 'react-router-dom';

const SUBSCRIBER_UID = 'api::subscriber.subscriber';
const LIST_PATH = `/content-manager/collection-types/${SUBSCRIBER_UID}`;

/** Message ids; the Dutch and English texts are in src/admin/app.tsx (`gdprMessages`). */
export const gdprMessageIds = {
  export: 'netwerkpost.gdpr.export',
  erase: 'netwerkpost.gdpr.erase',
  confirmTitle: 'netwerkpost.gdpr.erase.confirm.title',
  confirmBody: 'netwerkpost.gdpr.erase.confirm.body',
  confirmButton: 'netwerkpost.gdpr.erase.confirm.button',
  exported: 'netwerkpost.gdpr.exported',
  erased: 'netwerkpost.gdpr.erased',
} as const;

type GdprMessageKey = keyof typeof gdprMessageIds;

/** The English texts, also the fallback when a translation is missing. */
export const gdprDefaultMessages: Record<GdprMessageKey, string> = {
  export: 'Export data',
  erase: 'Erase subscriber',
  confirmTitle: 'Erase this subscriber?',
  confirmBody: 'This permanently removes the subscriber, their consent record and their delivery records. It cannot be undone.',
  confirmButton: 'Erase permanently',
  exported: 'Subscriber data exported',
  erased: 'Subscriber erased',
};

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
      query: ({ documentId }) => ({ url: `/admin/gdpr/subscribers/${encodeURIComponent(documentId)}/erase`, method: 'POST' }),
      invalidatesTags: () => [
        // Not the entry itself: the edit view is still open and would refetch a deleted document.
        { type: 'Document', id: `${SUBSCRIBER_UID}_LIST` },
        'CountDocuments',
        'RecentDocumentList',
      ],
    }),
  }),
});

function download(filename: string, data: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The "Export data" and "Erase subscriber" buttons in the content manager's edit view (zone
 * editView / right-links), for subscribers only, and only for admins who may delete subscribers
 * (the server checks again: /admin/gdpr/subscribers/:documentId/export and .../erase).
 */
export function GdprActions(_props: { slug?: string }) {
  const { formatMessage } = useIntl();
  const { model, id, isCreatingEntry } = useContentManagerContext();
  const canDelete = useDocumentRBAC('GdprActions', (rbac) => rbac.canDelete, false);
  const { get } = useFetchClient();
  const [eraseSubscriber] = gdprApi.useNetwerkpostEraseSubscriberMutation();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const navigate = useNavigate();
  const [busy, setBusy] = React.useState<'export' | 'erase' | null>(null);

  if (model !== SUBSCRIBER_UID || isCreatingEntry || !id || id === 'create' || !canDelete) return null;
  const documentId = id;
  const base = `/admin/gdpr/subscribers/${encodeURIComponent(documentId)}`;
  const t = (key: GdprMessageKey) => formatMessage({ id: gdprMessageIds[key], defaultMessage: gdprDefaultMessages[key] });
  const fail = (error: unknown) => {
    const message = isFetchError(error)
      ? formatAPIError(error)
      : typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string'
        ? error.message
        : String(error);
    toggleNotification({ type: 'danger', message });
  };

  const exportData = async () => {
    setBusy('export');
    try {
      const { data } = await get<unknown>(`${base}/export`);
      download(`subscriber-${documentId}.json`, data);
      toggleNotification({ type: 'success', message: t('exported') });
    } catch (error) {
      fail(error);
    } finally {
      setBusy(null);
    }
  };

  const erase = async () => {
    setBusy('erase');
    const result = await eraseSubscriber({ documentId });
    if ('error' in result) {
      fail(result.error);
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
