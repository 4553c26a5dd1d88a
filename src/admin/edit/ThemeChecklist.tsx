import * as React from 'react';
import { Box, Checkbox, Field, Flex, Typography } from '@strapi/design-system';
import { useField, useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

/**
 * A subscriber's themes as the editor reads them: a checkbox per theme, by its name in the admin's
 * language, storing the themes' slugs as the sign-up form does (none ticked = everything, stored as
 * empty). A slug that is no theme (any more) stays ticked under its slug, so a save never drops it
 * unseen.
 */
interface ThemeChecklistProps {
  name: string;
  label?: React.ReactNode;
  hint?: React.ReactNode;
  disabled?: boolean;
  required?: boolean;
}

interface ThemeRow {
  slug: string;
  name: string;
}

const THEMES = '/content-manager/collection-types/api::theme.theme';

export function ThemeChecklist({ name, label, hint, disabled, required }: ThemeChecklistProps) {
  const field = useField<unknown>(name);
  const { get } = useFetchClient();
  const { locale, formatMessage } = useIntl();
  const language = locale.toLowerCase().startsWith('nl') ? 'nl' : 'en';
  const [themes, setThemes] = React.useState<ThemeRow[] | null>(null);

  React.useEffect(() => {
    let current = true;
    // Both languages: a theme not yet translated is shown by its other name rather than left out.
    const read = (themeLocale: string) =>
      get<{ results: ThemeRow[] }>(`${THEMES}?page=1&pageSize=100&sort=name:ASC&locale=${themeLocale}`).then((response) => response.data.results);
    Promise.all([read(language), read(language === 'nl' ? 'en' : 'nl')])
      .then(([own, other]) => {
        const byslug = new Map<string, ThemeRow>();
        for (const theme of [...own, ...other]) if (!byslug.has(theme.slug)) byslug.set(theme.slug, { slug: theme.slug, name: theme.name });
        if (current) setThemes([...byslug.values()].sort((a, b) => a.name.localeCompare(b.name, language)));
      })
      .catch(() => current && setThemes([]));
    return () => {
      current = false;
    };
  }, [get, language]);

  const selected = Array.isArray(field.value) ? field.value.filter((slug): slug is string => typeof slug === 'string') : [];
  const unknown = themes ? selected.filter((slug) => !themes.some((theme) => theme.slug === slug)) : [];
  const rows = [...(themes ?? []), ...unknown.map((slug) => ({ slug, name: slug }))];
  const toggle = (slug: string, on: boolean) => {
    const next = on ? [...selected, slug] : selected.filter((value) => value !== slug);
    field.onChange(name, next.length > 0 ? next : null);
  };

  return (
    <Field.Root name={name} hint={hint} required={required} error={field.error}>
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Field.Label>{label}</Field.Label>
        {themes === null ? (
          <Typography variant="pi" textColor="neutral600">
            {formatMessage({ id: 'netwerkpost.themes.loading', defaultMessage: "Thema's laden…" })}
          </Typography>
        ) : (
          <Box role="group" aria-label={typeof label === 'string' ? label : undefined}>
            <Flex direction="column" alignItems="flex-start" gap={2}>
              {rows.map((theme) => (
                <Checkbox
                  key={theme.slug}
                  checked={selected.includes(theme.slug)}
                  disabled={disabled}
                  onCheckedChange={(checked) => toggle(theme.slug, checked === true)}
                >
                  {theme.name}
                </Checkbox>
              ))}
            </Flex>
          </Box>
        )}
        <Field.Hint />
        <Field.Error />
      </Flex>
    </Field.Root>
  );
}
