import * as React from 'react';
import { Button } from '@strapi/design-system';
import { Upload } from '@strapi/icons';
import { useRBAC } from '@strapi/strapi/admin';
import { useNavigate, useParams } from 'react-router-dom';
import { CONTENT_TYPES } from '../../../../../core/content-types';
import { DESK_ACTIONS } from '../../../../../mailings/desk/permissions';
import { PLUGIN_ID, useDeskText } from '../lib';

const PERMISSIONS = [{ action: DESK_ACTIONS.subscribers, subject: null }];

/** "Importeren of exporteren" beside the subscribers list's own buttons, for roles that may (the page is also in the menu). */
export function SubscribersListAction() {
  const t = useDeskText();
  const navigate = useNavigate();
  const { slug } = useParams<{ slug: string }>();
  const { allowedActions } = useRBAC(PERMISSIONS);
  if (slug !== CONTENT_TYPES.subscriber || !allowedActions.canSubscribers) return null;
  return (
    <Button variant="secondary" startIcon={<Upload />} onClick={() => navigate(`/plugins/${PLUGIN_ID}/subscribers`)}>
      {t('list.action')}
    </Button>
  );
}
