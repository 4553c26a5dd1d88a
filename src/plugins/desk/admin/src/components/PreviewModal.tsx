import * as React from 'react';
import { useIntl } from 'react-intl';
import { Box, Button, Flex, Loader, Modal, Tabs, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import type { PreviewVariant } from '../api';
import { useDeskText, useErrorMessage } from '../lib';

const WIDTHS = { desktop: 680, phone: 375 } as const;

/**
 * The mail as readers get it, per variant (an edition: each theme selection that occurs among
 * its readers, per language; a campaign and the welcome mail: their languages), at desktop and
 * phone width, with subject, preheader, plain text and a sample reader's greeting. Rendered by the
 * server with the send's own code (GET `path`, e.g. .../preview); shown in a sandboxed frame (no
 * scripts, no same-origin access). `themed`: the tabs name each variant's themes too (an edition).
 */
export function PreviewModal({ path, themed, title, onClose }: { path: string; themed: boolean; title: string; onClose: () => void }) {
  const t = useDeskText();
  const { locale: adminLocale } = useIntl();
  const errorMessage = useErrorMessage();
  const { get } = useFetchClient();
  const [variants, setVariants] = React.useState<PreviewVariant[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [selected, setSelected] = React.useState<string>('');
  const [view, setView] = React.useState<'desktop' | 'phone' | 'text'>('desktop');

  React.useEffect(() => {
    let stopped = false;
    get<{ data: { variants: PreviewVariant[] } }>(path).then(
      ({ data }) => {
        if (stopped) return;
        setVariants(data.data.variants);
        setSelected(data.data.variants[0]?.key ?? '');
      },
      (failure: unknown) => !stopped && setError(errorMessage(failure)),
    );
    return () => {
      stopped = true;
    };
  }, [get, path, errorMessage]);

  // "Nederlands · thema's Dementie, Jeugd": the themes by their names in the admin's language.
  const label = (variant: PreviewVariant) => {
    const language = t(variant.locale === 'en' ? 'locale.en' : 'locale.nl');
    if (!themed) return language;
    const names = variant.themeNames.map((name) => (adminLocale.startsWith('nl') ? name.nl : name.en));
    return `${language} · ${names.length === 0 ? t('themes.all') : t('themes.some', { themes: names.join(', ') })}`;
  };
  const current = variants?.find((variant) => variant.key === selected);

  return (
    <Modal.Root open onOpenChange={(open) => !open && onClose()}>
      <Modal.Content style={{ maxWidth: '80rem', width: '90vw' }}>
        <Modal.Header closeLabel={t('action.close')}>
          <Modal.Title>{`${t('preview.title')}: ${title}`}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          {error ? (
            <Typography textColor="danger600">{error}</Typography>
          ) : !variants ? (
            <Flex justifyContent="center" padding={6}>
              <Loader>{t('preview.loading')}</Loader>
            </Flex>
          ) : variants.length === 0 ? (
            <Typography data-testid="desk-preview-nothing">{t('preview.nothing')}</Typography>
          ) : (
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Typography variant="pi" textColor="neutral600">
                {t('preview.hint')}
              </Typography>
              <Tabs.Root value={selected} onValueChange={setSelected}>
                <Tabs.List aria-label={t('preview.title')}>
                  {variants.map((variant) => (
                    <Tabs.Trigger key={variant.key} value={variant.key}>
                      {label(variant)}
                    </Tabs.Trigger>
                  ))}
                </Tabs.List>
              </Tabs.Root>
              {current ? <VariantView variant={current} view={view} setView={setView} /> : null}
            </Flex>
          )}
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('action.close')}</Button>
          </Modal.Close>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
}

function VariantView({
  variant,
  view,
  setView,
}: {
  variant: PreviewVariant;
  view: 'desktop' | 'phone' | 'text';
  setView: (view: 'desktop' | 'phone' | 'text') => void;
}) {
  const t = useDeskText();
  const field = (name: string, value: string, testId: string) => (
    <Flex gap={2} alignItems="baseline">
      <Typography variant="sigma" textColor="neutral600" style={{ minWidth: '16rem' }}>
        {name}
      </Typography>
      <Typography data-testid={testId}>{value}</Typography>
    </Flex>
  );
  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Box background="neutral100" padding={3} hasRadius>
        {field(t('preview.subject'), variant.subject, 'desk-preview-subject')}
        {field(t('preview.preheader'), variant.preheader, 'desk-preview-preheader')}
        {field(t('preview.greeting'), variant.greeting, 'desk-preview-greeting')}
      </Box>
      <Tabs.Root value={view} onValueChange={(value) => setView(value as 'desktop' | 'phone' | 'text')} variant="simple">
        <Tabs.List aria-label={t('preview.desktop')}>
          <Tabs.Trigger value="desktop">{t('preview.desktop')}</Tabs.Trigger>
          <Tabs.Trigger value="phone">{t('preview.phone')}</Tabs.Trigger>
          <Tabs.Trigger value="text">{t('preview.text')}</Tabs.Trigger>
        </Tabs.List>
      </Tabs.Root>
      {view === 'text' ? (
        <Box background="neutral0" padding={4} hasRadius borderColor="neutral200" style={{ maxHeight: '60vh', overflow: 'auto' }}>
          <pre data-testid="desk-preview-text" style={{ whiteSpace: 'pre-wrap', fontFamily: 'monospace', fontSize: '1.3rem' }}>
            {variant.text}
          </pre>
        </Box>
      ) : (
        <Flex justifyContent="center" background="neutral150" padding={4} hasRadius>
          <iframe
            title={t('preview.frame', { locale: variant.locale, width: `${WIDTHS[view]}px` })}
            sandbox=""
            srcDoc={variant.html}
            style={{ width: `${WIDTHS[view]}px`, height: '60vh', border: 0, background: 'white' }}
          />
        </Flex>
      )}
    </Flex>
  );
}
