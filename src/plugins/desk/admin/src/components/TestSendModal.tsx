import * as React from 'react';
import { Button, Field, Flex, Modal, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { mailingPath, type Kind } from '../api';
import { useDeskText, useErrorMessage } from '../lib';

/**
 * A test send to up to 5 typed addresses in one language: POST .../test-send. The server checks
 * the addresses (its message, naming the invalid ones, is shown under the field) and sends
 * through the real provider path with [TEST] in the subject, without deliveries.
 */
export function TestSendModal({ kind, documentId, onClose }: { kind: Kind; documentId: string; onClose: () => void }) {
  const t = useDeskText();
  const errorMessage = useErrorMessage();
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
      const { data } = await post<{ data: { sent: number } }>(mailingPath(kind, documentId, 'test-send'), { addresses, locale });
      toggleNotification({ type: 'success', message: t('testSend.sent', { count: data.data.sent }) });
      onClose();
    } catch (failure) {
      setError(errorMessage(failure));
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
