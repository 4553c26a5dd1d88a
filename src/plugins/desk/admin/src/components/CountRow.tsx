import * as React from 'react';
import { Flex, Typography } from '@strapi/design-system';

/** One "label: number" line of a `<dl>` in the sending panel; the number is found by its test id. */
export function CountRow({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <Flex justifyContent="space-between" gap={2}>
      <Typography tag="dt" variant="pi" textColor="neutral600">
        {label}
      </Typography>
      <Typography tag="dd" variant="pi" fontWeight="semiBold" data-testid={testId} margin={0}>
        {value}
      </Typography>
    </Flex>
  );
}
