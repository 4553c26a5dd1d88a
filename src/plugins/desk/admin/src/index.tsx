import * as React from 'react';
import type { StrapiApp } from '@strapi/strapi/admin';
import { Eye, Server, TrendUp, Upload } from '@strapi/icons';
import { GdprActions, SUBSCRIBER_UID, useMayUseGdpr } from './components/GdprActions';
import { SendingPanel } from './components/SendingPanel';
import { WelcomeMailPanel } from './components/WelcomeMailPanel';
import { AssembleEditionAction } from './components/AssembleEdition';
import { SubscribersListAction } from './components/SubscribersListAction';
import { MAILING_MODELS, PLUGIN_ID, WELCOME_MAIL_MODEL, previewModal, useDeskPermissions, useDeskText } from './lib';
import { DESK_ACTIONS } from '../../../../mailings/desk/permissions';
import en from './translations/en.json';

/**
 * The editors' desk, admin part. Everything goes through the Content Manager's own extension
 * APIs for the edit view: a header action ("Voorbeeld" / "Preview") and side panels ("Verzending"
 * with live progress and the send buttons on editions and campaigns; preview and test of the
 * welcome mail; GDPR on subscribers). Each
 * returns null (nothing shown) for other content types, for a document not saved yet, and for
 * roles without the desk's action.
 */
interface EditViewProps {
  model: string;
  documentId?: string;
  document?: Record<string, unknown>;
}

type Description<T> = T | null;
interface ContentManagerApis {
  addDocumentHeaderAction(actions: (previous: unknown[]) => unknown[]): void;
  addEditViewSidePanel(panels: (previous: unknown[]) => unknown[]): void;
}

const isSaved = (documentId?: string): documentId is string => Boolean(documentId) && documentId !== 'create';

function PreviewHeaderAction({ model, documentId }: EditViewProps): Description<{ label: string; icon: React.ReactNode; onClick: () => void }> {
  const t = useDeskText();
  const { canPreview } = useDeskPermissions();
  if (!MAILING_MODELS[model] || !isSaved(documentId) || !canPreview) return null;
  return { label: t('action.preview'), icon: <Eye />, onClick: () => previewModal.open() };
}

function SendingSidePanel({ model, documentId, document }: EditViewProps): Description<{ title: string; content: React.ReactNode }> {
  const t = useDeskText();
  const kind = MAILING_MODELS[model];
  if (!kind || !isSaved(documentId)) return null;
  const title = typeof document?.title === 'string' ? document.title : '';
  return { title: t('panel.title'), content: <SendingPanel kind={kind} model={model} documentId={documentId} title={title} /> };
}

function WelcomeSidePanel({ model }: EditViewProps): Description<{ title: string; content: React.ReactNode }> {
  const t = useDeskText();
  if (model !== WELCOME_MAIL_MODEL) return null;
  return { title: t('welcome.panelTitle'), content: <WelcomeMailPanel /> };
}

function GdprSidePanel({ model, documentId }: EditViewProps): Description<{ title: string; content: React.ReactNode }> {
  const t = useDeskText();
  const mayUseGdpr = useMayUseGdpr();
  if (model !== SUBSCRIBER_UID || !isSaved(documentId) || !mayUseGdpr) return null;
  return { title: t('gdpr.panelTitle'), content: <GdprActions documentId={documentId} /> };
}

export default {
  register(app: StrapiApp) {
    app.registerPlugin({ id: PLUGIN_ID, name: PLUGIN_ID });
    // The queue dashboard's way in, for roles holding plugin::desk.queues only.
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}/queues`,
      icon: Server,
      intlLabel: { id: `${PLUGIN_ID}.queues.menu`, defaultMessage: 'Queues' },
      permissions: [{ action: DESK_ACTIONS.queues, subject: null }],
      Component: () => import('./pages/QueuesPage'),
    });
    // Audience growth (counts only), for roles holding plugin::desk.statistics: a page and a home widget.
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}/statistics`,
      icon: TrendUp,
      intlLabel: { id: `${PLUGIN_ID}.growth.menu`, defaultMessage: en['growth.menu'] },
      permissions: [{ action: DESK_ACTIONS.statistics, subject: null }],
      Component: () => import('./pages/StatisticsPage'),
    });
    // The subscriber list in and out, for roles holding plugin::desk.subscribers.
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}/subscribers`,
      icon: Upload,
      intlLabel: { id: `${PLUGIN_ID}.list.menu`, defaultMessage: en['list.menu'] },
      permissions: [{ action: DESK_ACTIONS.subscribers, subject: null }],
      Component: () => import('./pages/SubscribersPage'),
    });
    app.widgets.register({
      id: 'growth',
      pluginId: PLUGIN_ID,
      icon: TrendUp,
      title: { id: `${PLUGIN_ID}.growth.widgetTitle`, defaultMessage: en['growth.widgetTitle'] },
      link: { label: { id: `${PLUGIN_ID}.growth.widgetLink`, defaultMessage: en['growth.widgetLink'] }, href: `/plugins/${PLUGIN_ID}/statistics` },
      component: async () => (await import('./components/GrowthWidget')).GrowthWidget,
      permissions: [{ action: DESK_ACTIONS.statistics }],
    });
  },

  bootstrap(app: Pick<StrapiApp, 'getPlugin'>) {
    const contentManager = app.getPlugin('content-manager').apis as unknown as ContentManagerApis;
    contentManager.addDocumentHeaderAction((actions) => [PreviewHeaderAction, ...actions]);
    contentManager.addEditViewSidePanel((panels) => [...panels, SendingSidePanel, WelcomeSidePanel, GdprSidePanel]);
    // "Editie samenstellen" beside the editions list's own buttons (the component shows itself only there).
    app.getPlugin('content-manager').injectComponent('listView', 'actions', { name: 'desk-assemble-edition', Component: AssembleEditionAction });
    app.getPlugin('content-manager').injectComponent('listView', 'actions', { name: 'desk-subscriber-list', Component: SubscribersListAction });
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = (await import(`./translations/${locale}.json`)) as { default: Record<string, string> };
          return { locale, data: Object.fromEntries(Object.entries(data).map(([key, text]) => [`${PLUGIN_ID}.${key}`, text])) };
        } catch {
          return { locale, data: {} };
        }
      }),
    );
  },
};
