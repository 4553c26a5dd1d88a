import * as React from 'react';
import { adminApi, useFetchClient } from '@strapi/strapi/admin';

/**
 * The desk's admin routes (src/plugins/desk/server/src/routes.ts). Reads go through the admin's
 * fetch client; the four actions that change a mailing's state go through the admin's data layer
 * (RTK Query, on the same fetch client) so that the content manager's cached document is
 * invalidated and the edit view shows the new state instead of saving the old one back.
 */
/*
 * The answers' shapes are the server's own types (type-only imports, erased from the bundle), so
 * the admin panel and the routes cannot drift apart.
 */
export type { MailingKind as Kind } from '../../../../mailings/engine/mailing';
export type { MailingProgress } from '../../../../mailings/desk/progress';
export type { AwaitingBatch } from '../../../../mailings/engine/mailing';
export type { Audience, PreviewVariant } from '../../../../mailings/desk/desk';
export type { NextEditionItem } from '../../../../mailings/desk/editorial-actions';
import type { MailingKind as Kind } from '../../../../mailings/engine/mailing';
import type { MailingProgress } from '../../../../mailings/desk/progress';

export const mailingPath = (kind: Kind, documentId: string, action: string) => `/desk/mailings/${kind}/${encodeURIComponent(documentId)}/${action}`;

interface Target {
  kind: Kind;
  model: string;
  documentId: string;
}

const documentTags = ({ model, documentId }: Target) => [{ type: 'Document' as const, id: `${model}_${documentId}` }];

const deskApi = adminApi.enhanceEndpoints({ addTagTypes: ['Document'] }).injectEndpoints({
  endpoints: (builder) => ({
    deskSchedule: builder.mutation<{ data: { state: string; sendAt: string } }, Target & { sendAt: string }>({
      query: ({ kind, documentId, sendAt }) => ({ url: mailingPath(kind, documentId, 'schedule'), method: 'POST', data: { sendAt } }),
      invalidatesTags: (_result, _error, target) => documentTags(target),
    }),
    deskSendNow: builder.mutation<{ data: { state: string } }, Target>({
      query: ({ kind, documentId }) => ({ url: mailingPath(kind, documentId, 'send-now'), method: 'POST', data: {} }),
      invalidatesTags: (_result, _error, target) => documentTags(target),
    }),
    deskUnschedule: builder.mutation<{ data: { state: string } }, Target>({
      query: ({ kind, documentId }) => ({ url: mailingPath(kind, documentId, 'unschedule'), method: 'POST', data: {} }),
      invalidatesTags: (_result, _error, target) => documentTags(target),
    }),
    deskCancel: builder.mutation<{ data: { outcome: 'cancelled' | 'stopping' | 'too-late' } }, Target>({
      query: ({ kind, documentId }) => ({ url: mailingPath(kind, documentId, 'cancel'), method: 'POST', data: {} }),
      invalidatesTags: (_result, _error, target) => documentTags(target),
    }),
    /** Nothing to fetch: it only makes the edit view reload the document (its counts) once a send has ended. */
    deskRefreshDocument: builder.mutation<null, Target>({
      queryFn: () => ({ data: null }),
      invalidatesTags: (_result, _error, target) => documentTags(target),
    }),
  }),
  overrideExisting: false,
});

export const { useDeskScheduleMutation, useDeskSendNowMutation, useDeskUnscheduleMutation, useDeskCancelMutation, useDeskRefreshDocumentMutation } = deskApi;

/** While scheduled or sending: the bar and counts move by the second. */
const ACTIVE_POLL_MS = 2000;
/**
 * After the send (sent, or cancelled or failed with mail submitted): SendGrid's events keep coming
 * for minutes to days (deferrals retried for up to 72 h, late opens, spam reports), so an open
 * panel keeps its statistics current, slowly: one cheap read of one row every 30 s, and none while
 * the browser tab is hidden. A mailing that never submitted anything has no events to wait for.
 */
const STATISTICS_POLL_MS = 30_000;
const RETRY_MS = 5000;

/** How long until the next read of this progress, or null: it will not change any more. */
export function nextPollMs(progress: MailingProgress): number | null {
  if (progress.state === 'scheduled' || progress.state === 'sending') return ACTIVE_POLL_MS;
  if (progress.submitted > 0 || progress.unknown > 0 || progress.awaitingResolution.length > 0) return STATISTICS_POLL_MS;
  return null;
}

/**
 * The mailing's progress, read when the panel opens, then every 2 s while it is scheduled or
 * sending (the panel updates without a reload) and every 30 s after a send (nextPollMs); `reload`
 * after an action.
 */
export function useProgress(target: Target | null) {
  const { get } = useFetchClient();
  const [progress, setProgress] = React.useState<MailingProgress | null>(null);
  const [tick, setTick] = React.useState(0);
  const [refreshDocument] = useDeskRefreshDocumentMutation();
  const kind = target?.kind;
  const documentId = target?.documentId;
  const model = target?.model;
  const reload = React.useCallback(() => setTick((n) => n + 1), []);

  React.useEffect(() => {
    if (!kind || !documentId) return;
    let stopped = false;
    let timer: number | undefined;
    let wasActive = false;
    const load = async () => {
      try {
        const { data } = await get<{ data: MailingProgress }>(mailingPath(kind, documentId, 'progress'));
        if (stopped) return;
        setProgress(data.data);
        const active = data.data.state === 'scheduled' || data.data.state === 'sending';
        // The send just ended: the edit view's own fields (state, counts) are stale; reload them once.
        if (wasActive && !active && model) void refreshDocument({ kind, documentId, model });
        wasActive = active;
        const next = nextPollMs(data.data);
        if (next !== null) timer = window.setTimeout(poll, next);
      } catch {
        if (!stopped) timer = window.setTimeout(poll, RETRY_MS);
      }
    };
    // A hidden tab skips the slow reads (no one is looking); the next visible tick reads again.
    const poll = () => {
      if (document.visibilityState === 'hidden' && !wasActive) timer = window.setTimeout(poll, STATISTICS_POLL_MS);
      else void load();
    };
    void load();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [get, kind, documentId, model, tick, refreshDocument]);

  return { progress, reload };
}
