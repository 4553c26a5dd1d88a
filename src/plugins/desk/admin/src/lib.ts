import * as React from 'react';
import { isFetchError, useAPIErrorHandler, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useNavigate } from 'react-router-dom';
import { useIntl } from 'react-intl';
import en from './translations/en.json';
import { CONTENT_TYPES } from '../../../../core/content-types';
import { DESK_ACTIONS } from '../../../../mailings/desk/permissions';
import { inLanguage } from '../../../../core/bilingual';

/** The plugin's id: its admin actions are `plugin::desk.*`, its texts `desk.*`, its routes under /desk. */
export const PLUGIN_ID = 'desk';

export type MessageKey = keyof typeof en;

/** The desk's texts, with English as the fallback (both files hold every key: no missing translations). */
export function useDeskText() {
  const { formatMessage } = useIntl();
  return React.useCallback(
    (key: MessageKey, values?: Record<string, string | number>) => formatMessage({ id: `${PLUGIN_ID}.${key}`, defaultMessage: en[key] }, values),
    [formatMessage],
  );
}

/** The content types the desk works on, and what the routes call them. */
export const MAILING_MODELS: Record<string, 'edition' | 'campaign'> = {
  [CONTENT_TYPES.edition]: 'edition',
  [CONTENT_TYPES.campaign]: 'campaign',
};

/** The welcome mail (a single type): the desk previews and tests it. */
export const WELCOME_MAIL_MODEL: string = CONTENT_TYPES.welcomeMail;

const PERMISSIONS = [DESK_ACTIONS.preview, DESK_ACTIONS.sendTest, DESK_ACTIONS.send, DESK_ACTIONS.cancel, DESK_ACTIONS.duplicate, DESK_ACTIONS.assemble].map(
  (action) => ({ action, subject: null }),
);

/** What the signed-in admin may do at the desk (buttons without the permission are hidden; the server refuses them too). */
export function useDeskPermissions() {
  const { allowedActions, isLoading } = useRBAC(PERMISSIONS);
  return {
    isLoading,
    canPreview: Boolean(allowedActions.canPreview),
    canSendTest: Boolean(allowedActions.canSendTest),
    canSend: Boolean(allowedActions.canSend),
    canCancel: Boolean(allowedActions.canCancel),
    canDuplicate: Boolean(allowedActions.canDuplicate),
    canAssemble: Boolean(allowedActions.canAssemble),
  };
}

/** The message of a failed request: the server's own (a refusal, a 400) when it gave one, in the admin's language. */
export function useErrorMessage() {
  const { formatAPIError } = useAPIErrorHandler();
  const { locale } = useIntl();
  return React.useCallback(
    (error: unknown): string => {
      if (isFetchError(error)) {
        // The server's own sentence as it is: Strapi's formatter would look it up as a translation id first.
        const own = (error.response?.data as { error?: { message?: unknown } } | undefined)?.error?.message;
        return inLanguage(typeof own === 'string' && own.trim() !== '' ? own : formatAPIError(error), locale);
      }
      if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return inLanguage(error.message, locale);
      return String(error);
    },
    [formatAPIError, locale],
  );
}

/**
 * The preview modal's open state, shared by the header's "Preview" action (which only describes a
 * button) and the sending panel (which renders the modal): a tiny external store.
 */
let previewOpen = false;
const listeners = new Set<() => void>();
export const previewModal = {
  open() {
    previewOpen = true;
    listeners.forEach((listener) => listener());
  },
  close() {
    previewOpen = false;
    listeners.forEach((listener) => listener());
  },
};
export function usePreviewModalOpen(): boolean {
  return React.useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => previewOpen,
  );
}

/** Where the admin panel edits a document. */
export const editPath = (model: string, documentId: string) => `/content-manager/collection-types/${model}/${encodeURIComponent(documentId)}`;

/** A send time as the editor's browser shows it. */
export function useFormatTime() {
  const { formatDate } = useIntl();
  return (iso: string) => formatDate(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * The desk's actions that make a new mailing ("Editie samenstellen", "Dupliceren", "Versturen naar
 * wie hem nog niet kreeg"): POST, say what was made, and open it; a refusal comes back as `error`,
 * one sentence in the admin's language, and nothing is opened.
 */
export function useCreateAndOpen<T extends { documentId: string }>(model: string, success: (created: T) => string, onOpen?: () => void) {
  const errorMessage = useErrorMessage();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const navigate = useNavigate();
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  const run = async (path: string): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const { data } = await post<{ data: T }>(path, {});
      toggleNotification({ type: 'success', message: success(data.data) });
      onOpen?.();
      navigate(editPath(model, data.data.documentId));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error };
}

/** Hands the browser a file to save (a download the panel received as data, not as a link). */
export function saveFile(fileName: string, contents: Blob): void {
  const url = URL.createObjectURL(contents);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}
