import { isMarkedReadOnly } from '../../core/admin-query';

type Rows = unknown[][];

const disabledRows = (rows: unknown): unknown =>
  Array.isArray(rows) ? (rows as Rows).map((row) => (Array.isArray(row) ? row.map((field) => ({ ...(field as object), disabled: true })) : row)) : rows;

/**
 * For the content manager's `Admin/CM/pages/EditView/mutate-edit-view-layout` hook: when the page's
 * address marks a mailing that can no longer change (src/core/admin-query.ts), every field
 * of the form and of its components is disabled. New objects only: Strapi caches the layout.
 */
export function readOnlyWhenMarked<T extends { layout: { layout: unknown; components?: unknown } }>(args: T): T {
  const search = (globalThis as { location?: { search: string } }).location?.search ?? '';
  if (!isMarkedReadOnly(search)) return args;
  const components = args.layout.components as Record<string, { layout?: unknown }> | undefined;
  return {
    ...args,
    layout: {
      ...args.layout,
      layout: Array.isArray(args.layout.layout) ? args.layout.layout.map(disabledRows) : args.layout.layout,
      components:
        components && typeof components === 'object'
          ? Object.fromEntries(Object.entries(components).map(([uid, component]) => [uid, { ...component, layout: disabledRows(component.layout) }]))
          : components,
    },
  };
}
