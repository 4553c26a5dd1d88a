import { MAILING_ITEM_LISTS } from '../../core/content-types';

type MailingKind = keyof typeof MAILING_ITEM_LISTS;

/**
 * Texts of the item picker (ItemPicker.tsx), by language; registered with the admin's translations
 * in src/admin/app.tsx. Apart from the component, which the admin loads only when a form shows it.
 */
export const ITEM_PICKER_FIELD = { name: 'item-picker', type: 'json' } as const;

/** The components whose lists the picker edits, and the mailing kind each belongs to. */
export const PICKED_COMPONENTS: Record<string, MailingKind> = Object.fromEntries(
  (Object.entries(MAILING_ITEM_LISTS) as Array<[MailingKind, { component: string }]>).map(([kind, list]) => [list.component, kind]),
);

export const ITEM_PICKER_MESSAGES = {
  nl: {
    'netwerkpost.items.label': 'Items',
    'netwerkpost.items.description': 'Gepubliceerde nieuwsberichten en bronnen, in volgorde',
    'netwerkpost.items.empty': 'Nog geen items. Voeg een gepubliceerd nieuwsbericht of een bron toe.',
    'netwerkpost.items.add': 'Item toevoegen',
    'netwerkpost.items.close': 'Klaar met toevoegen',
    'netwerkpost.items.search': 'Zoek op titel',
    'netwerkpost.items.searchHint': 'Alleen gepubliceerde nieuwsberichten, bronnen en bundels; de nieuwste eerst',
    'netwerkpost.items.noHits': 'Niets gevonden dat gepubliceerd is en nog niet in de lijst staat.',
    'netwerkpost.items.loading': 'Laden…',
    'netwerkpost.items.pick': 'Toevoegen: {title}',
    'netwerkpost.items.up': 'Omhoog: {title}',
    'netwerkpost.items.down': 'Omlaag: {title}',
    'netwerkpost.items.remove': 'Verwijderen: {title}',
    'netwerkpost.items.drag': 'Sleep om de volgorde te wijzigen',
    'netwerkpost.items.draft': 'Concept: niet gepubliceerd, gaat niet mee',
    'netwerkpost.items.article': 'Nieuws',
    'netwerkpost.items.resource': 'Bron',
    'netwerkpost.items.bundle': 'Bundel',
    'netwerkpost.items.unknown': 'Item (opslaan toont de titel)',
  },
  en: {
    'netwerkpost.items.label': 'Items',
    'netwerkpost.items.description': 'Published news articles and resources, in order',
    'netwerkpost.items.empty': 'No items yet. Add a published news article or resource.',
    'netwerkpost.items.add': 'Add an item',
    'netwerkpost.items.close': 'Done adding',
    'netwerkpost.items.search': 'Search by title',
    'netwerkpost.items.searchHint': 'Published news articles, resources and bundles only; newest first',
    'netwerkpost.items.noHits': 'Nothing published found that is not in the list yet.',
    'netwerkpost.items.loading': 'Loading…',
    'netwerkpost.items.pick': 'Add: {title}',
    'netwerkpost.items.up': 'Up: {title}',
    'netwerkpost.items.down': 'Down: {title}',
    'netwerkpost.items.remove': 'Remove: {title}',
    'netwerkpost.items.drag': 'Drag to change the order',
    'netwerkpost.items.draft': 'Draft: not published, will not go out',
    'netwerkpost.items.article': 'News',
    'netwerkpost.items.resource': 'Resource',
    'netwerkpost.items.bundle': 'Bundle',
    'netwerkpost.items.unknown': 'Item (saving shows its title)',
  },
} as const;

export type ItemPickerMessageId = keyof (typeof ITEM_PICKER_MESSAGES)['en'];
