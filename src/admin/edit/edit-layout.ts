/**
 * The content manager's edit-view layout, changed field by field for its
 * `Admin/CM/pages/EditView/mutate-edit-view-layout` hook (help in one language, the item picker,
 * read-only history). New objects only: Strapi caches the layout it hands over.
 */
import { isMarkedReadOnly } from '../../core/admin-query';
import { ITEM_PICKER_FIELD, PICKED_COMPONENTS } from './item-picker-messages';

type Layout = { layout: unknown; components?: unknown };

/** Each field of the form's panels (rows of fields) through `change`; with `components`, each component's rows too. */
export function mapLayoutFields<T extends { layout: Layout }>(args: T, change: (field: unknown) => unknown, { components }: { components: boolean }): T {
  const rows = (panel: unknown): unknown => (Array.isArray(panel) ? panel.map((row) => (Array.isArray(row) ? row.map(change) : row)) : panel);
  const layout: Layout = { ...args.layout, layout: Array.isArray(args.layout.layout) ? args.layout.layout.map(rows) : args.layout.layout };
  if (components) {
    const known = args.layout.components;
    layout.components =
      known && typeof known === 'object'
        ? Object.fromEntries(
            Object.entries(known as Record<string, { layout?: unknown }>).map(([uid, component]) => [uid, { ...component, layout: rows(component.layout) }]),
          )
        : known;
  }
  return { ...args, layout };
}

/**
 * The lists of PICKED_COMPONENTS are edited with the item picker instead of Strapi's accordion of
 * blank rows with a relation box each. The history page's layout is left as it is (it renders
 * fields read-only, without the form's values).
 */
export function itemPickerInLayout<T extends { layout: Layout }>(args: T): T {
  const path = (globalThis as { location?: { pathname: string } }).location?.pathname ?? '';
  if (path.includes('/history')) return args;
  return mapLayoutFields(
    args,
    (field) => {
      const candidate = field as { type?: string; attribute?: { component?: string } } | null;
      const component = candidate?.attribute?.component;
      if (candidate?.type !== 'component' || !component || !(component in PICKED_COMPONENTS)) return field;
      return { ...candidate, attribute: { ...candidate.attribute, customField: `global::${ITEM_PICKER_FIELD.name}` } };
    },
    { components: false },
  );
}

/**
 * When the page's address marks a mailing that can no longer change (src/core/admin-query.ts),
 * every field of the form and of its components is disabled.
 */
export function readOnlyWhenMarked<T extends { layout: Layout }>(args: T): T {
  const search = (globalThis as { location?: { search: string } }).location?.search ?? '';
  if (!isMarkedReadOnly(search)) return args;
  return mapLayoutFields(args, (field) => ({ ...(field as object), disabled: true }), { components: true });
}
