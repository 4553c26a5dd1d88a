import * as React from 'react';
import { Badge, Box, Button, Field, Flex, IconButton, TextInput, Typography } from '@strapi/design-system';
import { ArrowDown, ArrowUp, Drag, Plus, Trash } from '@strapi/icons';
import { useField, useFetchClient, useForm } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { PICKED_COMPONENTS, type ItemPickerMessageId } from './item-picker-messages';

/**
 * An edition's items or a campaign's featured items as an editor expects a list of items: each row
 * a title with its type and date, in the mail's order, dragged (or moved with the arrow buttons) to
 * reorder, removed with one click; items added by searching the published ones by title in the
 * admin's language. Drafts are not offered; a row pointing at one (picked before it was unpublished)
 * says so, and the send refuses it.
 *
 * It edits the content manager's own form state (the component list: existing entries keep their
 * id, a new one connects its item as Strapi's relation box would), so Strapi's Save stores it, with
 * the form's "unsaved changes" and validation as for any field. What the form does not hold (the
 * titles of stored entries) comes from the desk (`GET /desk/items/picked`, `GET /desk/items/search`).
 */
interface ItemPickerProps {
  name: string;
  label?: React.ReactNode;
  hint?: React.ReactNode;
  disabled?: boolean;
  required?: boolean;
  attribute?: { component?: string };
}

type Connect = { connect?: Array<{ documentId?: string }> };

interface Entry {
  id?: number;
  __temp_key__?: string;
  label?: string;
  article?: Connect;
  resource?: Connect;
}

interface Item {
  type: 'article' | 'resource';
  kind: string | null;
  documentId: string;
  title: string;
  date: string | null;
  published: boolean;
}

interface Hit extends Omit<Item, 'published'> {
  id: number;
  locale: string;
}

/** The item a new entry connects (what Strapi's relation box would put there). */
const connected = (entry: Entry): { type: 'article' | 'resource'; documentId: string } | null => {
  for (const type of ['article', 'resource'] as const) {
    const documentId = entry[type]?.connect?.[0]?.documentId;
    if (documentId) return { type, documentId };
  }
  return null;
};

export function ItemPicker({ name, label, hint, disabled, required, attribute }: ItemPickerProps) {
  const field = useField<Entry[] | undefined>(name);
  const addFieldRow = useForm('ItemPicker', (state) => state.addFieldRow);
  const moveFieldRow = useForm('ItemPicker', (state) => state.moveFieldRow);
  const removeFieldRow = useForm('ItemPicker', (state) => state.removeFieldRow);
  const { get } = useFetchClient();
  const { locale, formatMessage, formatDate } = useIntl();
  const language = locale.toLowerCase().startsWith('nl') ? 'nl' : 'en';
  const kind = PICKED_COMPONENTS[attribute?.component ?? ''] ?? 'edition';
  const say = (id: ItemPickerMessageId, values?: Record<string, string>) => formatMessage({ id, defaultMessage: id }, values);

  const entries = React.useMemo(() => (Array.isArray(field.value) ? field.value : []), [field.value]);
  // Stored entries by their id; items added in this form by their document id.
  const [stored, setStored] = React.useState<Map<number, Item>>(new Map());
  const [added, setAdded] = React.useState<Map<string, Item>>(new Map());

  const missing = entries.filter((entry) => typeof entry.id === 'number' && !stored.has(entry.id)).map((entry) => entry.id as number);
  const missingKey = missing.join(',');
  React.useEffect(() => {
    if (!missingKey) return;
    let current = true;
    get<{ data: { entries: Array<Item & { entryId: number }> } }>(`/desk/items/picked?kind=${kind}&ids=${missingKey}&locale=${language}`)
      .then((response) => {
        if (!current) return;
        setStored((before) => {
          const next = new Map(before);
          for (const entry of response.data.data.entries) next.set(entry.entryId, entry);
          return next;
        });
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [get, kind, language, missingKey]);

  const itemOf = (entry: Entry): Item | undefined => {
    if (typeof entry.id === 'number') return stored.get(entry.id);
    const picked = connected(entry);
    return picked ? added.get(picked.documentId) : undefined;
  };
  const pickedIds = new Set(entries.map((entry) => itemOf(entry)?.documentId ?? connected(entry)?.documentId).filter(Boolean));

  const [searching, setSearching] = React.useState(false);
  const [query, setQuery] = React.useState('');
  const [hits, setHits] = React.useState<Hit[] | null>(null);
  React.useEffect(() => {
    if (!searching) return;
    let current = true;
    setHits(null);
    // Typing settles before asking: one request per pause, not per key.
    const timer = setTimeout(() => {
      get<{ data: { items: Hit[] } }>(`/desk/items/search?q=${encodeURIComponent(query.trim())}&locale=${language}`)
        .then((response) => current && setHits(response.data.data.items))
        .catch(() => current && setHits([]));
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [get, language, query, searching]);

  const typeName = (item: Pick<Item, 'type' | 'kind'>) =>
    say(item.type === 'article' ? 'netwerkpost.items.article' : item.kind === 'bundle' ? 'netwerkpost.items.bundle' : 'netwerkpost.items.resource');
  const dateText = (date: string | null) => (date ? formatDate(date, { day: 'numeric', month: 'short', year: 'numeric' }) : '');

  const add = (hit: Hit) => {
    setAdded((before) => new Map(before).set(hit.documentId, { ...hit, published: true }));
    const relation = {
      connect: [{ id: hit.id, documentId: hit.documentId, locale: hit.locale, apiData: { id: hit.id, documentId: hit.documentId, locale: hit.locale } }],
      disconnect: [],
    };
    addFieldRow(name, { label: hit.title, [hit.type]: relation });
  };

  // What the search found that the list does not hold yet.
  const offered = (hits ?? []).filter((hit) => !pickedIds.has(hit.documentId));
  const [dragging, setDragging] = React.useState<number | null>(null);
  const error = typeof field.error === 'string' ? field.error : undefined;

  return (
    <Field.Root name={name} hint={hint} required={required} error={error}>
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Field.Label>{label ?? say('netwerkpost.items.label')}</Field.Label>
        <Box tag="ol" aria-label={typeof label === 'string' ? label : say('netwerkpost.items.label')} margin={0} padding={0} style={{ listStyle: 'none' }}>
          {entries.length === 0 && (
            <Typography variant="pi" textColor="neutral600">
              {say('netwerkpost.items.empty')}
            </Typography>
          )}
          {entries.map((entry, index) => {
            const item = itemOf(entry);
            const title = item?.title ?? entry.label ?? say('netwerkpost.items.unknown');
            return (
              <Box
                key={entry.__temp_key__ ?? entry.id ?? index}
                tag="li"
                data-item-row=""
                draggable={!disabled}
                onDragStart={() => setDragging(index)}
                onDragOver={(event: React.DragEvent) => event.preventDefault()}
                onDrop={(event: React.DragEvent) => {
                  event.preventDefault();
                  if (dragging !== null && dragging !== index) moveFieldRow(name, dragging, index);
                  setDragging(null);
                }}
                onDragEnd={() => setDragging(null)}
                background={dragging === index ? 'primary100' : 'neutral0'}
                borderColor="neutral200"
                hasRadius
                padding={3}
                marginBottom={2}
              >
                <Flex gap={3} alignItems="center">
                  <Box color="neutral500" title={say('netwerkpost.items.drag')} style={{ cursor: disabled ? 'default' : 'grab' }}>
                    <Drag aria-hidden />
                  </Box>
                  <Flex direction="column" alignItems="flex-start" gap={1} style={{ flex: 1, minWidth: 0 }}>
                    <Typography fontWeight="semiBold" ellipsis>
                      {title}
                    </Typography>
                    <Flex gap={2}>
                      {item && <Badge>{typeName(item)}</Badge>}
                      {item?.date && (
                        <Typography variant="pi" textColor="neutral600">
                          {dateText(item.date)}
                        </Typography>
                      )}
                      {item && !item.published && (
                        <Badge backgroundColor="warning100" textColor="warning700">
                          {say('netwerkpost.items.draft')}
                        </Badge>
                      )}
                    </Flex>
                  </Flex>
                  <IconButton
                    label={say('netwerkpost.items.up', { title })}
                    variant="ghost"
                    disabled={disabled || index === 0}
                    onClick={() => moveFieldRow(name, index, index - 1)}
                  >
                    <ArrowUp />
                  </IconButton>
                  <IconButton
                    label={say('netwerkpost.items.down', { title })}
                    variant="ghost"
                    disabled={disabled || index === entries.length - 1}
                    onClick={() => moveFieldRow(name, index, index + 1)}
                  >
                    <ArrowDown />
                  </IconButton>
                  <IconButton
                    label={say('netwerkpost.items.remove', { title })}
                    variant="ghost"
                    disabled={disabled}
                    onClick={() => removeFieldRow(name, index)}
                  >
                    <Trash />
                  </IconButton>
                </Flex>
              </Box>
            );
          })}
        </Box>
        {!disabled &&
          (searching ? (
            <Box background="neutral100" hasRadius padding={3}>
              <Flex direction="column" alignItems="stretch" gap={2}>
                <Field.Root name={`${name}-search`} hint={say('netwerkpost.items.searchHint')}>
                  <Field.Label>{say('netwerkpost.items.search')}</Field.Label>
                  <TextInput value={query} onChange={(event: React.ChangeEvent<HTMLInputElement>) => setQuery(event.target.value)} autoFocus />
                  <Field.Hint />
                </Field.Root>
                {hits === null ? (
                  <Typography variant="pi" textColor="neutral600">
                    {say('netwerkpost.items.loading')}
                  </Typography>
                ) : offered.length === 0 ? (
                  <Typography variant="pi" textColor="neutral600">
                    {say('netwerkpost.items.noHits')}
                  </Typography>
                ) : (
                  <Box tag="ul" margin={0} padding={0} style={{ listStyle: 'none' }}>
                    {offered.map((hit) => (
                      <Box key={`${hit.type}:${hit.documentId}`} tag="li" paddingTop={1} paddingBottom={1}>
                        <Flex gap={3} alignItems="center">
                          <Flex direction="column" alignItems="flex-start" style={{ flex: 1, minWidth: 0 }}>
                            <Typography ellipsis>{hit.title}</Typography>
                            <Flex gap={2}>
                              <Badge>{typeName(hit)}</Badge>
                              <Typography variant="pi" textColor="neutral600">
                                {dateText(hit.date)}
                              </Typography>
                            </Flex>
                          </Flex>
                          <IconButton label={say('netwerkpost.items.pick', { title: hit.title })} onClick={() => add(hit)}>
                            <Plus />
                          </IconButton>
                        </Flex>
                      </Box>
                    ))}
                  </Box>
                )}
                <Flex justifyContent="flex-end">
                  <Button variant="tertiary" onClick={() => setSearching(false)}>
                    {say('netwerkpost.items.close')}
                  </Button>
                </Flex>
              </Flex>
            </Box>
          ) : (
            <Flex>
              <Button variant="secondary" startIcon={<Plus />} onClick={() => setSearching(true)}>
                {say('netwerkpost.items.add')}
              </Button>
            </Flex>
          ))}
        <Field.Hint />
        <Field.Error />
      </Flex>
    </Field.Root>
  );
}
