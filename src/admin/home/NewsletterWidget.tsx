import * as React from 'react';
import { Box, Flex, LinkButton, Typography } from '@strapi/design-system';
import { Plus, Sparkle } from '@strapi/icons';
import { useAuth, useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link } from 'react-router-dom';
import { CONTENT_TYPES } from '../../core/content-types';
import { DESK_ACTIONS } from '../../mailings/desk/permissions';

/**
 * The home page's "Nieuwsbrief" widget: what an editor opens the admin panel for. The two ways to
 * start a mailing ("Nieuwe campagne", and "Editie samenstellen" for roles that may assemble), the
 * number of active readers, the next scheduled send (edition or campaign) and the latest editions
 * and campaigns with their state, each a link to its edit view. Read through the content manager's
 * own list API, so it shows exactly what the user may read (no route of ours, no second permission
 * check): an Author, who may not read subscribers, sees no reader count.
 */
const EDITION = CONTENT_TYPES.edition;
const CAMPAIGN = CONTENT_TYPES.campaign;

export const newsletterWidgetMessageIds = {
  title: 'netwerkpost.widget.newsletter.title',
  next: 'netwerkpost.widget.newsletter.next',
  nothingScheduled: 'netwerkpost.widget.newsletter.nothing-scheduled',
  recent: 'netwerkpost.widget.newsletter.recent',
  none: 'netwerkpost.widget.newsletter.none',
  edition: 'netwerkpost.widget.newsletter.edition',
  campaign: 'netwerkpost.widget.newsletter.campaign',
  newCampaign: 'netwerkpost.widget.newsletter.new-campaign',
  assemble: 'netwerkpost.widget.newsletter.assemble',
  readers: 'netwerkpost.widget.newsletter.readers',
} as const;

export const newsletterWidgetMessages: Record<'nl' | 'en', Record<keyof typeof newsletterWidgetMessageIds, string>> = {
  nl: {
    title: 'Nieuwsbrief',
    next: 'Volgende verzending',
    nothingScheduled: 'Niets gepland.',
    recent: 'Laatste edities en campagnes',
    none: 'Nog geen edities of campagnes.',
    edition: 'Editie',
    campaign: 'Campagne',
    newCampaign: 'Nieuwe campagne',
    assemble: 'Editie samenstellen',
    readers: '{count, plural, one {# actieve lezer} other {# actieve lezers}}',
  },
  en: {
    title: 'Newsletter',
    next: 'Next send',
    nothingScheduled: 'Nothing scheduled.',
    recent: 'Latest editions and campaigns',
    none: 'No editions or campaigns yet.',
    edition: 'Edition',
    campaign: 'Campaign',
    newCampaign: 'New campaign',
    assemble: 'Assemble edition',
    readers: '{count, plural, one {# active reader} other {# active readers}}',
  },
};

interface Mailing {
  kind: 'edition' | 'campaign';
  documentId: string;
  title: string;
  state: string;
  /** Send time (edition: scheduledAt, campaign: sendAt). */
  at: string | null;
  updatedAt: string;
}

interface ListAnswer {
  results: Array<{ documentId: string; title: string; state: string; scheduledAt?: string | null; sendAt?: string | null; updatedAt: string }>;
}

/** Where the editions list opens its "Editie samenstellen" dialog at once (plugin desk, AssembleEdition). */
const ASSEMBLE_PATH = `/content-manager/collection-types/${EDITION}?assemble=1`;
const NEW_CAMPAIGN_PATH = `/content-manager/collection-types/${CAMPAIGN}/create`;

/** Active readers, or null for a role that may not read subscribers. */
function useActiveReaders(): number | null {
  const { get } = useFetchClient();
  const [count, setCount] = React.useState<number | null>(null);
  React.useEffect(() => {
    let live = true;
    get<{ pagination: { total: number } }>(`/content-manager/collection-types/${CONTENT_TYPES.subscriber}?page=1&pageSize=1&filters[state][$eq]=active`).then(
      ({ data }) => live && setCount(data.pagination.total),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [get]);
  return count;
}

const editPath = (mailing: Mailing) => `/content-manager/collection-types/${mailing.kind === 'edition' ? EDITION : CAMPAIGN}/${mailing.documentId}`;

function useMailings(): { recent: Mailing[]; next: Mailing | null; loading: boolean } {
  const { get } = useFetchClient();
  const [state, setState] = React.useState<{ recent: Mailing[]; next: Mailing | null; loading: boolean }>({ recent: [], next: null, loading: true });
  React.useEffect(() => {
    let live = true;
    const list = async (kind: Mailing['kind'], query: string): Promise<Mailing[]> => {
      try {
        const { data } = await get<ListAnswer>(`/content-manager/collection-types/${kind === 'edition' ? EDITION : CAMPAIGN}?${query}`);
        return data.results.map((row) => ({
          kind,
          documentId: row.documentId,
          title: row.title,
          state: row.state,
          at: (kind === 'edition' ? row.scheduledAt : row.sendAt) ?? null,
          updatedAt: row.updatedAt,
        }));
      } catch {
        return []; // no permission to read that type: show the other
      }
    };
    const recentQuery = 'page=1&pageSize=5&sort=updatedAt:DESC';
    const scheduled = (field: string) => `page=1&pageSize=1&sort=${field}:ASC&filters[state][$eq]=scheduled&filters[${field}][$notNull]=true`;
    void Promise.all([
      list('edition', recentQuery),
      list('campaign', recentQuery),
      list('edition', scheduled('scheduledAt')),
      list('campaign', scheduled('sendAt')),
    ]).then(([editions, campaigns, nextEdition, nextCampaign]) => {
      if (!live) return;
      const recent = [...editions, ...campaigns].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, 6);
      const next = [...nextEdition, ...nextCampaign].filter((m) => m.at).sort((a, b) => (a.at as string).localeCompare(b.at as string))[0] ?? null;
      setState({ recent, next, loading: false });
    });
    return () => {
      live = false;
    };
  }, [get]);
  return state;
}

function MailingLine({ mailing }: { mailing: Mailing }) {
  const { formatMessage, formatDate } = useIntl();
  const kind = formatMessage({ id: newsletterWidgetMessageIds[mailing.kind], defaultMessage: newsletterWidgetMessages.en[mailing.kind] });
  return (
    <Flex justifyContent="space-between" gap={2} paddingTop={1} paddingBottom={1}>
      <Typography ellipsis>
        <Link to={editPath(mailing)}>{mailing.title}</Link> <Typography textColor="neutral600">· {kind}</Typography>
      </Typography>
      <Typography textColor="neutral600" tag="span">
        {formatMessage({ id: mailing.state, defaultMessage: mailing.state })}
        {mailing.at ? ` · ${formatDate(mailing.at, { dateStyle: 'medium', timeStyle: 'short' })}` : ''}
      </Typography>
    </Flex>
  );
}

export function NewsletterWidget() {
  const { formatMessage } = useIntl();
  const { recent, next, loading } = useMailings();
  const readers = useActiveReaders();
  // The signed-in user's own permissions, loaded with the session (the desk's actions have no conditions to check).
  const mayAssemble = useAuth('NewsletterWidget', (auth) => auth.permissions.some((permission) => permission.action === DESK_ACTIONS.assemble));
  const text = (key: keyof typeof newsletterWidgetMessageIds, values?: Record<string, number>) =>
    formatMessage({ id: newsletterWidgetMessageIds[key], defaultMessage: newsletterWidgetMessages.en[key] }, values);
  if (loading) return null;
  return (
    <Flex direction="column" alignItems="stretch" gap={3} data-testid="netwerkpost-newsletter-widget">
      <Flex gap={2} wrap="wrap">
        <LinkButton tag={Link} to={NEW_CAMPAIGN_PATH} startIcon={<Plus />} size="S">
          {text('newCampaign')}
        </LinkButton>
        {mayAssemble ? (
          <LinkButton tag={Link} to={ASSEMBLE_PATH} variant="secondary" startIcon={<Sparkle />} size="S">
            {text('assemble')}
          </LinkButton>
        ) : null}
      </Flex>
      {readers !== null ? (
        <Typography fontWeight="semiBold" data-testid="netwerkpost-active-readers">
          {text('readers', { count: readers })}
        </Typography>
      ) : null}
      <Box>
        <Typography variant="sigma" textColor="neutral600">
          {text('next')}
        </Typography>
        {next ? <MailingLine mailing={next} /> : <Typography tag="p">{text('nothingScheduled')}</Typography>}
      </Box>
      <Box>
        <Typography variant="sigma" textColor="neutral600">
          {text('recent')}
        </Typography>
        {recent.length === 0 ? (
          <Typography tag="p">{text('none')}</Typography>
        ) : (
          recent.map((mailing) => <MailingLine key={`${mailing.kind}:${mailing.documentId}`} mailing={mailing} />)
        )}
      </Box>
    </Flex>
  );
}
