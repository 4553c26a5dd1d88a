import type { MailingKind } from './mailing';
import { EDITOR_SETTABLE_MAILING_STATES } from './mailing-state';
import { fieldLabels } from '../../core/field-labels';
import { CONTENT_TYPES } from '../../core/content-types';

/**
 * Who may change what of a mailing (an edition or a campaign), by its state and the acting role:
 * one pure decision for both kinds, applied to every write through Strapi's document service
 * (src/mailings/desk/mailing-rules-guard.ts), so the Content Manager, the REST API and any admin route obey
 * it. The desk's own actions (schedule, send now, cancel, unschedule) and the worker write through
 * the sending engine's store and are checked there.
 *
 *   draft                 editable; engine fields refused; state and send time need the send
 *                         permission (cancelling: the cancel permission)
 *   scheduled             read-only; only unscheduling (back to draft: send permission) or
 *                         cancelling (cancel permission)
 *   sending, sent, failed, cancelled, skipped
 *                         history: read-only, except `keepOutOfArchive` (send permission)
 *
 * Code outside an admin request (the CLI, the edition assembly, tests) has no role: only the
 * history lock and the engine's own states apply to it (it may write engine fields and edit a
 * scheduled mailing, as the engine does).
 */

export interface ActingRole {
  /** An admin request (the Content Manager, an admin token): engine fields and past send times are refused. */
  admin: boolean;
  /** Holds the desk's send permission (`plugin::desk.send`): schedules, unschedules, sets the send time and the archive switch. */
  send: boolean;
  /** Holds the desk's cancel permission (`plugin::desk.cancel`). */
  cancel: boolean;
}

/** Product code outside an admin request. */
export const PRODUCT_CODE: ActingRole = { admin: false, send: true, cancel: true };

export interface MailingChange {
  kind: MailingKind;
  /** `clone`: the Content Manager's "duplicate", a new mailing that copies a stored one. */
  action: 'create' | 'update' | 'clone';
  /** The stored mailing (attribute names), for an update. */
  stored: Record<string, unknown> | null;
  /** What the write sets (the admin panel's form sends every field it has, changed or not). */
  data: Record<string, unknown>;
  role: ActingRole;
  now: number;
}

export type Verdict =
  /** Allowed; `data` is what may be written (a locked mailing's save is reduced to the one change it may make). */
  | { allowed: true; data: Record<string, unknown> }
  /** `forbidden`: this role may not; `refused`: nobody may, in this state. */
  | { allowed: false; reason: 'forbidden' | 'refused'; message: string };

/** The attribute holding a mailing's send time. */
export const SEND_TIME_FIELD: Record<MailingKind, string> = { edition: 'scheduledAt', campaign: 'sendAt' };

/** Counters the sending engine keeps (src/mailings/engine/knex-tables.ts COUNTERS). */
const DELIVERY_COUNTS = [
  'recipientsCount',
  'queuedCount',
  'submittedCount',
  'failedCount',
  'suppressedCount',
  'unknownCount',
  'cancelledCount',
  'variantsCount',
];
/** Counters SendGrid's events move, for days after a send (src/mailings/engine/delivery-statistics.ts). */
const EVENT_COUNTS = [
  'deliveredCount',
  'deferredCount',
  'bouncedCount',
  'droppedCount',
  'spamReportsCount',
  'unsubscribesCount',
  'opensCount',
  'machineOpensCount',
  'clicksCount',
];

/**
 * Engine fields: written only by the sending engine, the event webhook and the edition assembly;
 * read-only in the admin panel (src/boot/admin-layouts.ts). An admin write that changes one
 * is refused (the form's unchanged copy is no change).
 */
export const ENGINE_FIELDS: Record<MailingKind, readonly string[]> = {
  campaign: [...DELIVERY_COUNTS, ...EVENT_COUNTS, 'plannedAt', 'sentAt', 'notes', 'remainderOf'],
  edition: [...DELIVERY_COUNTS, ...EVENT_COUNTS, 'plannedAt', 'sentAt', 'notes', 'periodStart', 'cutoff', 'periodKey', 'remainderOf'],
};

const NAMES: Record<MailingKind, { en: string; nl: string }> = { edition: { en: 'edition', nl: 'editie' }, campaign: { en: 'campaign', nl: 'campagne' } };
const STATE_NL: Record<string, string> = {
  draft: 'concept',
  scheduled: 'ingepland',
  sending: 'wordt verzonden',
  sent: 'verzonden',
  failed: 'mislukt',
  cancelled: 'geannuleerd',
  skipped: 'overgeslagen',
};

/** A field as the admin panel labels it (src/core/field-labels.ts), else its name. */
function fieldLabel(kind: MailingKind, field: string, lang: 'en' | 'nl'): string {
  const labels: Record<string, string> = fieldLabels[lang][kind === 'edition' ? CONTENT_TYPES.edition : CONTENT_TYPES.campaign];
  return labels[field] ?? field;
}

/** "an edition", "a campaign". */
const an = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

const refused = (message: string): Verdict => ({ allowed: false, reason: 'refused', message });
const forbidden = (message: string): Verdict => ({ allowed: false, reason: 'forbidden', message });

export function judgeMailingChange(change: MailingChange): Verdict {
  if (change.action === 'clone') {
    // A copy is a new mailing: judged as one, and it starts as a draft that was never sent
    // (else a copy of a sent mailing would carry its state and counts, and join the archive).
    const verdict = judgeMailingChange({ ...change, action: 'create', stored: null });
    return verdict.allowed ? { allowed: true, data: { ...freshMailing(change.kind), ...verdict.data } } : verdict;
  }
  const { kind, role, data } = change;
  const stored = change.action === 'update' ? change.stored : null;
  const name = NAMES[kind];
  const sendTime = SEND_TIME_FIELD[kind];
  const storedState = stored ? String(stored.state) : null;
  const changed = (field: string) => field in data && (stored ? !samePlainValue(data[field], stored[field]) : !isEmptyDefault(data[field]));
  const newState = changed('state') && data.state !== undefined && data.state !== null ? String(data.state) : null;

  if (newState !== null && !(EDITOR_SETTABLE_MAILING_STATES as readonly string[]).includes(newState)) {
    return refused(
      `Editors can set ${an(name.en)} to draft, scheduled or cancelled; sending is done by the worker. / Redacteuren kunnen een ${name.nl} op concept, gepland of geannuleerd zetten; verzenden doet de verzendmachine.`,
    );
  }

  // History: nothing changes, except the archive switch.
  if (storedState !== null && storedState !== 'draft' && storedState !== 'scheduled') {
    const lock = refused(
      `This ${name.en} is ${storedState} and can no longer be changed. / Deze ${name.nl} is ${STATE_NL[storedState] ?? storedState} en kan niet meer worden gewijzigd.`,
    );
    // The engine and SendGrid's events keep moving its engine fields (late events, a batch of unknown
    // fate resolved): a form opened earlier holds older values. They are never written here.
    const others = plainChanges(data, stored!).filter((field) => field !== 'keepOutOfArchive' && !ENGINE_FIELDS[kind].includes(field));
    if (others.length > 0 || !changed('keepOutOfArchive') || typeof data.keepOutOfArchive !== 'boolean') return lock;
    if (!role.send)
      return forbidden(
        `Only an Editor (who may send) can keep ${an(name.en)} out of the archive or put it back. / Alleen een Redacteur (die mag versturen) kan een ${name.nl} uit het archief houden of terugzetten.`,
      );
    return { allowed: true, data: { keepOutOfArchive: data.keepOutOfArchive } };
  }

  // Scheduled: read-only for every role; it can be unscheduled (back to draft) or cancelled.
  if (storedState === 'scheduled' && role.admin) {
    const others = plainChanges(data, stored!).filter((field) => field !== 'state');
    if (others.length > 0 || (newState !== 'draft' && newState !== 'cancelled')) {
      return refused(
        `This ${name.en} is scheduled and cannot be changed; an Editor can unschedule it first ("Unschedule"), then edit and schedule it again. / Deze ${name.nl} is ingepland en kan niet worden gewijzigd; een Redacteur kan eerst de planning intrekken ("Planning intrekken"), daarna bewerken en opnieuw inplannen.`,
      );
    }
    if (newState === 'draft' && !role.send)
      return forbidden(
        `Only an Editor (who may send) can unschedule ${an(name.en)}. / Alleen een Redacteur (die mag versturen) kan de planning van een ${name.nl} intrekken.`,
      );
    if (newState === 'cancelled' && !role.cancel)
      return forbidden(`Only an Editor (who may cancel) can cancel ${an(name.en)}. / Alleen een Redacteur (die mag annuleren) kan een ${name.nl} annuleren.`);
    return { allowed: true, data: newState === 'draft' ? { state: 'draft', [sendTime]: null } : { state: 'cancelled' } };
  }

  // Draft (or a new mailing), or scheduled as written by product code.
  if (role.admin) {
    const engine = ENGINE_FIELDS[kind].filter(changed);
    if (engine.length > 0) {
      const [en, nl] = (['en', 'nl'] as const).map((lang) => engine.map((field) => `"${fieldLabel(kind, field, lang)}"`).join(', '));
      return engine.length === 1
        ? refused(`${en} is kept by the sending engine and cannot be set by hand. / ${nl} houdt de verzendmachine bij en kan niet met de hand worden ingevuld.`)
        : refused(
            `${en} are kept by the sending engine and cannot be set by hand. / ${nl} houdt de verzendmachine bij en kunnen niet met de hand worden ingevuld.`,
          );
    }
  }
  if (newState === 'cancelled' && !role.cancel)
    return forbidden(`Only an Editor (who may cancel) can cancel ${an(name.en)}. / Alleen een Redacteur (die mag annuleren) kan een ${name.nl} annuleren.`);
  if ((newState === 'scheduled' || changed(sendTime)) && !role.send) {
    return forbidden(
      `Only an Editor (who may send) can schedule ${an(name.en)} or set its send time. / Alleen een Redacteur (die mag versturen) kan een ${name.nl} inplannen of het verzendmoment zetten.`,
    );
  }
  if (role.admin && newState === 'scheduled') {
    const at = sendTime in data ? data[sendTime] : stored?.[sendTime];
    const time = at instanceof Date ? at.getTime() : typeof at === 'string' ? Date.parse(at) : NaN;
    if (!Number.isFinite(time)) return refused(`A scheduled ${name.en} needs a send time. / Een ingeplande ${name.nl} heeft een verzendmoment nodig.`);
    if (time < change.now) return refused(pastSendTimeMessage(kind));
  }
  return { allowed: true, data };
}

/** What a mailing holds before it is scheduled and sent (an edition keeps its period: its cut-off is required). */
function freshMailing(kind: MailingKind): Record<string, unknown> {
  const engine = ENGINE_FIELDS[kind].filter((field) => field !== 'periodStart' && field !== 'cutoff');
  return {
    state: 'draft',
    [SEND_TIME_FIELD[kind]]: null,
    keepOutOfArchive: false,
    ...Object.fromEntries(engine.map((field) => [field, field.endsWith('Count') ? 0 : null])),
  };
}

/** The refusal of a send time that has passed, offering to send now instead. */
export function pastSendTimeMessage(kind: MailingKind): string {
  const name = NAMES[kind];
  return `This send time has passed; choose a later time, or send the ${name.en} now ("Send now"). / Dit verzendmoment is voorbij; kies een later moment, of verstuur de ${name.nl} nu ("Nu versturen").`;
}

/**
 * The plain fields (not components or relations) whose given value differs from the stored one.
 * Components and relations come back as the admin panel's own structures (entries with ids,
 * connect/disconnect lists) and are not compared: on a locked mailing the save is reduced to the
 * change it may make, so they are never written there.
 */
function plainChanges(data: Record<string, unknown>, stored: Record<string, unknown>): string[] {
  return Object.entries(data)
    .filter(([field, value]) => field in stored && !SYSTEM_FIELDS.has(field) && (value === null || typeof value !== 'object' || value instanceof Date))
    .filter(([field, value]) => !samePlainValue(value, stored[field]))
    .map(([field]) => field);
}

/** Strapi's own fields of every document: never an editor's change. */
const SYSTEM_FIELDS = new Set(['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'createdBy', 'updatedBy', 'locale', 'localizations']);

/** What a new mailing's engine field holds before the engine writes it: the schema's default (0) or nothing. */
function isEmptyDefault(value: unknown): boolean {
  return value === null || value === undefined || value === '' || value === 0 || value === '0';
}

function samePlainValue(given: unknown, stored: unknown): boolean {
  const empty = (value: unknown) => value === null || value === undefined || value === '';
  if (empty(given) || empty(stored)) return empty(given) && empty(stored);
  if (stored instanceof Date || given instanceof Date || (typeof stored === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(stored))) {
    const a = given instanceof Date ? given.getTime() : Date.parse(String(given));
    const b = stored instanceof Date ? stored.getTime() : Date.parse(String(stored));
    return Number.isFinite(a) && a === b;
  }
  if (typeof stored === 'boolean' || typeof given === 'boolean') return asBoolean(given) === asBoolean(stored);
  return given === stored || String(given) === String(stored);
}

/** A boolean as a form or a database may spell it (SQLite stores 0/1). */
const asBoolean = (value: unknown) => value === true || value === 1 || value === '1' || value === 'true';
