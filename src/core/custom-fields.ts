/**
 * Our own field kinds, registered on the server (src/index.ts) and in the admin (src/admin/app.tsx)
 * under one name: Strapi refuses a schema that uses a custom field the server does not know.
 */
export const THEME_LIST_FIELD = { name: 'theme-list', type: 'json' } as const;
export const SUPPRESSION_REASON_FIELD = { name: 'suppression-reason', type: 'string' } as const;
export const CUSTOM_FIELDS = [THEME_LIST_FIELD, SUPPRESSION_REASON_FIELD];
