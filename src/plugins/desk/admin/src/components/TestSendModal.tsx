import * as React from 'react';
import { Button, Field, Flex, Modal, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import { isFetchError, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useDeskText, useErrorMessage } from '../lib';

/**
 * A test send to up to 5 typed addresses in one language: POST `path` (.../test-send). The server checks
 * the addresses and refuses what a test may not do (an address this admin may not test to, a
 * recipient budget used up, a mailing already sent or cancelled); its message, in the admin's
 * language when it gives both, is shown under the field. It sends through the real provider path
 * with [TEST] in the subject, without deliveries.
 */

/** A refusal's own text in the admin panel's language, when the server gave it in both (`details.messages`). */
function refusalText(failure: unknown, language: string): string | null {
  if (!isFetchError(failure)) return null;
  const details = (failure.response?.data as { error?: { details?: { messages?: Record<string, unknown> } } } | undefined)?.error?.details;
  const text = details?.messages?.[language.toLowerCase().startsWith('nl') ? 'nl' : 'en'];
  return typeof text === 'string' ? text : null;
}

export function TestSendModal({ path, onClose }: { path: string; onClose: () => void }) {
  const t = useDeskText();
  const errorMessage = useErrorMessage();
  const { locale: language } = useIntl();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [addresses, setAddresses] = React.useState('');
  const [locale, setLocale] = React.useState<'nl' | 'en'>('nl');
  const [error, setError] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState(false);

  const send = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { data } = await post<{ data: { sent: number } }>(path, { addresses, locale });
      toggleNotification({ type: 'success', message: t('testSend.sent', { count: data.data.sent }) });
      onClose();
    } catch (failure) {
      setError(refusalText(failure, language) ?? errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal.Root open onOpenChange={(open) => !open && onClose()}>
      <Modal.Content>
        <form onSubmit={send}>
          <Modal.Header closeLabel={t('action.close')}>
            <Modal.Title>{t('testSend.title')}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Field.Root name="desk-test-addresses" error={error ?? undefined} required>
                <Field.Label>{t('testSend.addresses')}</Field.Label>
                <TextInput value={addresses} onChange={(event: React.ChangeEvent<HTMLInputElement>) => setAddresses(event.target.value)} autoFocus />
                <Field.Error />
              </Field.Root>
              <Field.Root name="desk-test-locale">
                <Field.Label>{t('testSend.locale')}</Field.Label>
                <SingleSelect value={locale} onChange={(value: string | number) => setLocale(value === 'en' ? 'en' : 'nl')}>
                  <SingleSelectOption value="nl">{t('locale.nl')}</SingleSelectOption>
                  <SingleSelectOption value="en">{t('locale.en')}</SingleSelectOption>
                </SingleSelect>
              </Field.Root>
              <Typography variant="pi" textColor="neutral600">
                {t('testSend.hint')}
              </Typography>
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary">{t('action.back')}</Button>
            </Modal.Close>
            <Button type="submit" loading={busy}>
              {t('testSend.submit')}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
}
