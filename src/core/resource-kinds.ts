/** The kinds of resource an editor chooses from (the resource schema's `kind`): the one list. */
export const RESOURCE_KINDS = ['article', 'book', 'tool', 'video', 'report', 'bundle'] as const;

export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export function isResourceKind(value: unknown): value is ResourceKind {
  return typeof value === 'string' && (RESOURCE_KINDS as readonly string[]).includes(value);
}
