import * as React from 'react';
import { Box, Field, Flex, Typography } from '@strapi/design-system';
import { useField } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { explainSuppression } from '../../core/domain/suppression-reason';

/**
 * Why a reader gets no more mail: one sentence in the admin's language, with SendGrid's own text in
 * full underneath (the evidence, never cut off). Written by the event webhook, read-only here.
 */
interface SuppressionReasonProps {
  name: string;
  label?: React.ReactNode;
  hint?: React.ReactNode;
}

export function SuppressionReason({ name, label, hint }: SuppressionReasonProps) {
  const field = useField<unknown>(name);
  const { locale, formatMessage } = useIntl();
  const stored = typeof field.value === 'string' ? field.value.trim() : '';
  return (
    <Field.Root name={name} hint={hint}>
      <Flex direction="column" alignItems="stretch" gap={1}>
        <Field.Label>{label}</Field.Label>
        {stored === '' ? (
          <Typography textColor="neutral600">{formatMessage({ id: 'netwerkpost.suppression.none', defaultMessage: '—' })}</Typography>
        ) : (
          <>
            <Typography>{explainSuppression(stored, locale.toLowerCase().startsWith('nl') ? 'nl' : 'en')}</Typography>
            <Box background="neutral100" padding={2} hasRadius>
              <Typography variant="pi" textColor="neutral700" tag="p" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {formatMessage({ id: 'netwerkpost.suppression.original', defaultMessage: 'SendGrid:' })} <span lang="en">{stored}</span>
              </Typography>
            </Box>
          </>
        )}
        <Field.Hint />
      </Flex>
    </Field.Root>
  );
}
