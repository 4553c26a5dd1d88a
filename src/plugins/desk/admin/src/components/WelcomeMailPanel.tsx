import * as React from 'react';
import { Button, Flex, Typography } from '@strapi/design-system';
import { Eye, Mail } from '@strapi/icons';
import { useDeskPermissions, useDeskText } from '../lib';
import { PreviewModal } from './PreviewModal';
import { TestSendModal } from './TestSendModal';

/** The welcome mail's desk routes (src/plugins/desk/server/src/routes.ts). */
const WELCOME_PATH = '/desk/welcome-mail';

/**
 * The "Welkomstmail / Welcome mail" side panel of the welcome mail's edit view: what the mail is
 * for, its preview (each language with a text) and a test send, for roles holding those actions.
 */
export function WelcomeMailPanel() {
  const t = useDeskText();
  const can = useDeskPermissions();
  const [open, setOpen] = React.useState<'preview' | 'test' | null>(null);
  const close = () => setOpen(null);
  return (
    <Flex direction="column" alignItems="stretch" gap={3} width="100%">
      <Typography variant="pi" textColor="neutral700">
        {t('welcome.note')}
      </Typography>
      {can.canPreview ? (
        <Button fullWidth variant="secondary" startIcon={<Eye />} onClick={() => setOpen('preview')}>
          {t('action.preview')}
        </Button>
      ) : null}
      {can.canSendTest ? (
        <Button fullWidth variant="secondary" startIcon={<Mail />} onClick={() => setOpen('test')}>
          {t('action.sendTest')}
        </Button>
      ) : null}
      {open === 'preview' ? <PreviewModal path={`${WELCOME_PATH}/preview`} themed={false} title={t('welcome.previewTitle')} onClose={close} /> : null}
      {open === 'test' ? <TestSendModal path={`${WELCOME_PATH}/test-send`} onClose={close} /> : null}
    </Flex>
  );
}
