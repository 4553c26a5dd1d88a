/**
 * Texts Strapi 5.54 shows in the editors' screens but has no Dutch for (its Dutch falls back to
 * English and logs a missing translation in the console). Found by tests/integration/editor-panel-browser.test.ts.
 */
export const strapiDutchGaps: Record<string, string> = {
  'content-manager.plugin.name': 'Inhoud',
  'search.placeholder': 'Zoeken',
  'components.Blocks.blocks.bulletList': 'Opsomming',
  'components.Blocks.blocks.numberList': 'Genummerde lijst',
  'i18n.Settings.locales.modal.locales.label': 'Talen',
};
