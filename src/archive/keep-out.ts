/**
 * A sent mailing is history and cannot be changed, except for one switch: editors may keep it out
 * of the public archive (or put it back) at any time, since that is often decided after it went
 * out. The admin panel saves the whole form, so a save of a locked mailing counts as "only the
 * switch" when every other plain field editors write equals the stored value; components and
 * relations come back as the admin panel's own structures and cannot change in a locked form.
 */
export function archiveSwitchOnly(data: Record<string, unknown>, stored: Record<string, unknown>): { keepOutOfArchive: boolean } | null {
  if (typeof data.keepOutOfArchive !== 'boolean' || data.keepOutOfArchive === Boolean(stored.keepOutOfArchive)) return null;
  for (const [field, value] of Object.entries(data)) {
    if (field === 'keepOutOfArchive' || !(field in stored) || WRITTEN_BY_THE_SYSTEM.test(field)) continue;
    if (value !== null && typeof value === 'object') continue;
    if (!samePlainValue(value, stored[field])) return null;
  }
  return { keepOutOfArchive: data.keepOutOfArchive };
}

/**
 * Fields the engine, the event webhook or Strapi write (read-only in the admin panel): they move
 * while a form is open (SendGrid's events arrive for days), so a form's stale copy is no change.
 */
const WRITTEN_BY_THE_SYSTEM = /Count$|^(?:id|documentId|state|sentAt|plannedAt|notes|createdAt|updatedAt|publishedAt|createdBy|updatedBy|locale|periodKey)$/;

function samePlainValue(given: unknown, stored: unknown): boolean {
  if ((given === null || given === undefined || given === '') && (stored === null || stored === undefined || stored === '')) return true;
  if (stored instanceof Date || typeof stored === 'string') {
    const a = Date.parse(String(given));
    const b = stored instanceof Date ? stored.getTime() : Date.parse(stored);
    if (typeof given === 'string' && typeof stored === 'string' && given === stored) return true;
    return Number.isFinite(a) && Number.isFinite(b) && a === b && /\d{4}-\d{2}-\d{2}/.test(String(given));
  }
  return given === stored || String(given) === String(stored);
}
