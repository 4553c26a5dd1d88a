/**
 * The content manager's edit view shows a mailing that is sending or history (sent, failed,
 * cancelled, skipped) read-only: the desk's Sending panel, which knows the mailing's state, marks
 * the page's address with this flag, and the edit view's layout hook (src/admin/edit/edit-layout.ts)
 * then disables every field. Strapi hands the layout hook nothing of the document (and the i18n
 * plugin's handler drops the query it is given), but runs it again whenever the address's query
 * changes: so the address is where the two meet. The server refuses a change to history all the same
 * (mailing rules); this spares the editor typing into a form that cannot be saved.
 */
export const READ_ONLY_FLAG = { plugin: 'desk', key: 'history' } as const;

/** Whether an address's query (`?a=b&...`, with or without the `?`) carries the flag. */
export function isMarkedReadOnly(search: string): boolean {
  return new URLSearchParams(search).get(`plugins[${READ_ONLY_FLAG.plugin}][${READ_ONLY_FLAG.key}]`) === 'true';
}
