/**
 * Texts Strapi 5.54 shows in the editors' screens but has no Dutch for (its Dutch falls back to
 * English and logs a missing translation in the console). Found by the browser tests that scan for them
 * (tests/integration/desk-mailings-browser.test.ts "speaks Dutch on every page", editor-panel-browser.test.ts).
 */
export const strapiDutchGaps: Record<string, string> = {
  'content-manager.plugin.name': 'Inhoud',
  'search.placeholder': 'Zoeken',
  'components.Blocks.blocks.bulletList': 'Opsomming',
  'components.Blocks.blocks.numberList': 'Genummerde lijst',
  'i18n.Settings.locales.modal.locales.label': 'Talen',
  'i18n.list-view.table.header.label': 'Beschikbaar in',
  // Strapi's Dutch says "entries gevonden".
  'content-manager.pages.ListView.header-subtitle': '{number, plural, =0 {Geen items} one {# item} other {# items}} gevonden',
  'app.components.Select.placeholder': 'Kies',
  'content-manager.containers.list.table-headers.status': 'Status',
  // The content manager's Preview page (articles, resources, themes).
  'preview.copy.label': 'Voorbeeldlink kopiëren',
  'preview.tabs.label': 'Versie in het voorbeeld',
  // The media library.
  'app.loading': 'Laden…',
  'upload.modal.url.title': 'Importeren van een webadres',
  'upload.modal.url.upload': 'Uploaden',
  'upload.sidebar.tree.loading': 'Mappen laden…',
};
