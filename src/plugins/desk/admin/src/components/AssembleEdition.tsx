import * as React from 'react';
import { Badge, Box, Button, Flex, Typography } from '@strapi/design-system';
import { Sparkle } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { useLocation, useParams } from 'react-router-dom';
import type { NextEditionItem } from '../api';
import { DeskDialog } from './SendDialogs';
import { MAILING_MODELS, useCreateAndOpen, useDeskPermissions, useDeskText, useErrorMessage, useFormatTime, type MessageKey } from '../lib';

interface NextEdition {
  after: string | null;
  until: string;
  items: NextEditionItem[];
}

/**
 * "Editie samenstellen" on the editions list: shows what an edition made now would hold (the items
 * published since the last edition's cut-off), then makes it as a draft and opens it, where the
 * editors review, preview, test and schedule it. Only for roles holding the desk's assemble action.
 */
export function AssembleEditionAction() {
  const t = useDeskText();
  const { slug } = useParams<{ slug: string }>();
  const { canAssemble } = useDeskPermissions();
  const location = useLocation();
  // The home page's "Editie samenstellen" opens the list with ?assemble=1: the dialog opens at once.
  const [open, setOpen] = React.useState(() => new URLSearchParams(location.search).get('assemble') === '1');
  if (!slug || MAILING_MODELS[slug] !== 'edition' || !canAssemble) return null;
  return (
    <>
      <Button variant="secondary" startIcon={<Sparkle />} onClick={() => setOpen(true)}>
        {t('assemble.action')}
      </Button>
      {open ? <AssembleDialog model={slug} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function AssembleDialog({ model, onClose }: { model: string; onClose: () => void }) {
  const t = useDeskText();
  const formatTime = useFormatTime();
  const errorMessage = useErrorMessage();
  const { get } = useFetchClient();
  const [next, setNext] = React.useState<NextEdition | null>(null);
  const [unreadable, setUnreadable] = React.useState<string | null>(null);

  React.useEffect(() => {
    let stopped = false;
    get<{ data: NextEdition }>('/desk/editions/next').then(
      ({ data }) => !stopped && setNext(data.data),
      (failure: unknown) => !stopped && setUnreadable(errorMessage(failure)),
    );
    return () => {
      stopped = true;
    };
  }, [get, errorMessage]);

  const {
    run: assemble,
    busy,
    error: refused,
  } = useCreateAndOpen<{ documentId: string; items: number }>(model, (created) => t('assemble.done', { count: created.items }), onClose);

  return (
    <DeskDialog
      title={t('assemble.title')}
      onClose={onClose}
      confirm={
        <Button fullWidth disabled={!next || next.items.length === 0} loading={busy} onClick={() => void assemble('/desk/editions/assemble')}>
          {t('assemble.confirm')}
        </Button>
      }
    >
      <Flex direction="column" alignItems="stretch" gap={3} data-testid="desk-next-edition">
        {next === null && !unreadable ? <Typography>{t('assemble.loading')}</Typography> : null}
        {next ? <Typography>{next.after ? t('assemble.window', { after: formatTime(next.after) }) : t('assemble.windowFirst')}</Typography> : null}
        {next && next.items.length === 0 ? <Typography fontWeight="semiBold">{t('assemble.empty')}</Typography> : null}
        {next && next.items.length > 0 ? (
          <Box tag="ol" paddingLeft={4}>
            {next.items.map((item) => (
              <li key={`${item.type}:${item.documentId}`}>
                <Flex gap={2} paddingBottom={1}>
                  <Typography>{item.title}</Typography>
                  <Badge>{t(`kind.${item.type}` as MessageKey)}</Badge>
                  <Typography variant="pi" textColor="neutral600">
                    {formatTime(item.publishedAt)}
                  </Typography>
                </Flex>
              </li>
            ))}
          </Box>
        ) : null}
        {unreadable || refused ? <Typography textColor="danger600">{unreadable ?? refused}</Typography> : null}
      </Flex>
    </DeskDialog>
  );
}
