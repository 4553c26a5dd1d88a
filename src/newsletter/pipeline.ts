import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { MailDataRequired } from '@sendgrid/mail';
import type { Logger } from '../infra/log';
import type { RenderedMail } from '../mail/renderer';
import type { EditionVariantModel } from '../mail/edition-renderer';
import { toSendGridRequest } from '../mail/outgoing-mail';
import { classifySendFailure } from '../mail/send-failure';
import { itemKey, selectEditionItems, editionTitle, type EditionItemRef, type Locale } from './assembly';
import { BatchPlanner, type Batch } from '../sending/batching';
import { editionText, publishedCandidates, resolveItems, themeInfos, type LinkSettings } from './content';
import { editionRecipient, type EditionRecipient } from './recipients';
import { BATCHES, DELIVERIES, VARIANTS, moveCounts } from './store';
import type { EditionState } from './edition-state';
import type { SubscriberState } from '../domain/subscriber-state';
import { buildVariantModel, variantFor, variantKey, parseVariantKey } from './variants';

/**
 * The newsletter pipeline: assemble an edition, plan it (variants rendered once, delivery records
 * and batches written in one transaction), send its batches, finish it. Strapi and SendGrid come in
 * as dependencies; BullMQ is the caller's business (workers/newsletter.ts).
 */
export interface NewsletterSettings extends LinkSettings {
  from: { email: string; name?: string };
  timeZone: string;
  batchSize: number;
  reviewHours: number;
  /** How long a worker may hold a batch it is sending before others consider its fate unknown. */
  leaseMs: number;
}

export interface NewsletterDeps {
  strapi: Core.Strapi;
  db: Knex;
  render(model: EditionVariantModel): Promise<RenderedMail>;
  send(mail: MailDataRequired): Promise<{ messageId: string | null }>;
  settings: NewsletterSettings;
  tokenSecret: string;
  log: Logger;
}

export interface EditionRow {
  id: number;
  document_id: string;
  state: EditionState;
  cutoff: unknown;
  scheduled_at: unknown;
  items: unknown;
  intro_nl: string | null;
  intro_en: string | null;
}

const PAGE_SIZE = 5000;
const INSERT_ROWS = 500;
const TERMINAL_BATCH = ['submitted', 'failed', 'unknown'];

export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value;
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) return new Date(Number(value));
  return new Date(String(value));
}

export function parseJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as T;
    } catch {
      return fallback;
    }
  }
  return value as T;
}

// ---------------------------------------------------------------- assemble

export type AssembleResult = { editionId: number; documentId: string; state: EditionState; items: number; created: boolean };

/**
 * Creates the edition for one period (idempotent per period key: a second call, from another
 * worker or a retried job, returns the existing edition). Empty periods become `skipped` editions,
 * so editors see that nothing was sent and why.
 */
export async function assembleEdition(deps: NewsletterDeps, options: { now: Date; periodKey: string }): Promise<AssembleResult> {
  const { db, strapi } = deps;
  const existing = await db('editions').where({ period_key: options.periodKey }).first('id', 'document_id', 'state', 'items');
  if (existing) return { editionId: existing.id, documentId: existing.document_id, state: existing.state, items: parseJson<unknown[]>(existing.items, []).length, created: false };

  // Cancelled editions do not move the window on: what they held goes into the next one.
  const counted = await db('editions').whereNot({ state: 'cancelled' }).select('cutoff', 'items');
  const previousCutoff = counted.map((row) => toDate(row.cutoff)).filter((date): date is Date => date !== null).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  const alreadySent = new Set(counted.flatMap((row) => parseJson<EditionItemRef[]>(row.items, []).map(itemKey)));
  const items = selectEditionItems(await publishedCandidates(strapi, { after: previousCutoff, until: options.now }), { after: previousCutoff, until: options.now }, alreadySent);

  const state: EditionState = items.length > 0 ? 'scheduled' : 'skipped';
  const scheduledAt = new Date(options.now.getTime() + deps.settings.reviewHours * 3600_000);
  const data = {
    title: editionTitle(options.now, 'nl', deps.settings.timeZone),
    state,
    periodStart: previousCutoff?.toISOString() ?? null,
    cutoff: options.now.toISOString(),
    periodKey: options.periodKey,
    scheduledAt: items.length > 0 ? scheduledAt.toISOString() : null,
    items,
    notes: items.length > 0 ? null : `Niets nieuws gepubliceerd sinds ${previousCutoff?.toISOString() ?? 'het begin'}: deze editie wordt niet verstuurd. / Nothing new was published since then: this edition is not sent.`,
  };
  try {
    const created = (await strapi.documents('api::edition.edition').create({ data } as never)) as unknown as { id: number; documentId: string };
    deps.log('info', items.length > 0 ? 'edition.assembled' : 'edition.skipped', { editionId: created.id, items: items.length, scheduledAt: data.scheduledAt });
    return { editionId: created.id, documentId: created.documentId, state, items: items.length, created: true };
  } catch (error) {
    const raced = await db('editions').where({ period_key: options.periodKey }).first('id', 'document_id', 'state', 'items');
    if (!raced) throw error;
    return { editionId: raced.id, documentId: raced.document_id, state: raced.state, items: parseJson<unknown[]>(raced.items, []).length, created: false };
  }
}

// ---------------------------------------------------------------- plan

export type PlanResult = { outcome: 'planned'; batches: number[]; recipients: number; variants: number } | { outcome: 'not-due' | 'not-scheduled' | 'missing' | 'skipped' };

/**
 * Claims a due edition and plans it: one keyset scan of the active subscribers, a variant per
 * locale and theme selection met (rendered once), delivery records and batches written in one
 * transaction. A crash before commit leaves the edition `scheduled` for the next attempt; after
 * commit, the batches are in the database and any worker can send them.
 */
export async function planEdition(deps: NewsletterDeps, editionId: number, options: { now?: Date; force?: boolean } = {}): Promise<PlanResult> {
  const { db } = deps;
  const now = options.now ?? new Date();
  const edition = (await db('editions').where({ id: editionId }).first()) as EditionRow | undefined;
  if (!edition) return { outcome: 'missing' };
  if (edition.state !== 'scheduled') return { outcome: 'not-scheduled' };
  const scheduledAt = toDate(edition.scheduled_at);
  if (!options.force && scheduledAt && scheduledAt > now) return { outcome: 'not-due' };

  const items = await resolveItems(deps.strapi, parseJson<EditionItemRef[]>(edition.items, []), deps.settings);
  if (items.length === 0) {
    await db('editions').where({ id: editionId, state: 'scheduled' }).update({ state: 'skipped', notes: 'Geen gepubliceerde items meer in deze editie. / No published items left in this edition.' });
    return { outcome: 'skipped' };
  }
  const themes = await themeInfos(deps.strapi);
  const text = editionText({ cutoff: String(toDate(edition.cutoff)?.toISOString()), introNl: edition.intro_nl, introEn: edition.intro_en }, items, deps.settings.timeZone);
  const editionThemes = new Set(items.flatMap((item) => item.themes));

  const planned = await db.transaction(async (trx) => {
    const claimed = await trx('editions').where({ id: editionId, state: 'scheduled' }).update({ state: 'sending' });
    if (!claimed) return null;
    const planner = new BatchPlanner<number>(deps.settings.batchSize);
    const variants = new Set<string>();
    const batches: number[] = [];
    const writeBatch = async (batch: Batch<number>) => {
      const batchNo = batches.length + 1;
      batches.push(batchNo);
      await trx(BATCHES).insert({ edition_id: editionId, batch_no: batchNo, variant_key: batch.variant, state: 'pending', size: batch.recipients.length, attempts: 0, updated_at: Date.now() });
      // In slices: SQLite refuses a multi-row insert of more than 500 rows (knex writes it as a compound SELECT).
      for (let start = 0; start < batch.recipients.length; start += INSERT_ROWS) {
        await trx(DELIVERIES).insert(batch.recipients.slice(start, start + INSERT_ROWS).map((subscriberId) => ({ edition_id: editionId, subscriber_id: subscriberId, batch_no: batchNo, status: 'queued' })));
      }
    };

    let recipients = 0;
    let lastId = 0;
    for (;;) {
      const page: Array<{ id: number; preferred_locale: Locale; themes: unknown }> = await trx('subscribers')
        .select('id', 'preferred_locale', 'themes')
        .where('state', 'active')
        .andWhere('id', '>', lastId)
        .orderBy('id', 'asc')
        .limit(PAGE_SIZE);
      if (page.length === 0) break;
      for (const subscriber of page) {
        const variant = variantFor(subscriber.preferred_locale === 'en' ? 'en' : 'nl', parseJson<string[]>(subscriber.themes, []), editionThemes);
        const key = variantKey(variant);
        if (!variants.has(key)) {
          variants.add(key);
          const rendered = await deps.render(buildVariantModel(text, items, themes, variant));
          await trx(VARIANTS).insert({ edition_id: editionId, variant_key: key, subject: rendered.subject, html: rendered.html, text: rendered.text });
        }
        const full = planner.add(key, subscriber.id);
        if (full) await writeBatch(full);
      }
      recipients += page.length;
      lastId = page[page.length - 1].id;
    }
    for (const rest of planner.flush()) await writeBatch(rest);
    await trx('editions').where({ id: editionId }).update({ recipients_count: recipients, queued_count: recipients, variants_count: variants.size, planned_at: new Date() });
    return { batches, recipients, variants: variants.size };
  });
  if (!planned) return { outcome: 'not-scheduled' };
  // PostgreSQL has no statistics on the rows just written; without them it may scan the whole edition per batch.
  if (db.client.config.client === 'postgres' || db.client.config.client === 'pg') await db.raw(`ANALYZE ${DELIVERIES}`);
  deps.log('info', 'edition.planned', { editionId, recipients: planned.recipients, batches: planned.batches.length, variants: planned.variants });
  if (planned.batches.length === 0) await finishIfDone(deps, editionId);
  return { outcome: 'planned', ...planned };
}

// ---------------------------------------------------------------- send

export class RetryBatchLater extends Error {
  constructor(message: string, readonly delayMs: number) {
    super(message);
  }
}

export type BatchOutcome = 'sent' | 'already-done' | 'busy' | 'unknown' | 'missing';

interface RecipientRow {
  subscriber_id: number;
  document_id: string;
  email: string;
  name: string | null;
  preferred_locale: Locale;
  link_key: string;
  state: SubscriberState;
}

/** Connection failures that prove the request never reached SendGrid: safe to send again. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Sends one batch, exactly once. The batch is leased (`sending`) before the request and settled
 * right after SendGrid's answer; a 400 caused by one address fails that address alone.
 */
export async function sendBatch(deps: NewsletterDeps, editionId: number, batchNo: number, attempt = 1): Promise<BatchOutcome> {
  const { db } = deps;
  const batch = await db(BATCHES).where({ edition_id: editionId, batch_no: batchNo }).first();
  if (!batch) return 'missing';
  if (TERMINAL_BATCH.includes(batch.state)) return 'already-done';
  const now = Date.now();
  if (batch.state === 'sending') {
    if (Number(batch.locked_until) > now) return 'busy';
    await settleUnknown(deps, editionId, batchNo, 'the worker sending this batch stopped before SendGrid answered');
    return 'unknown';
  }
  const leased = await db(BATCHES)
    .where({ id: batch.id, state: 'pending' })
    .update({ state: 'sending', locked_until: now + deps.settings.leaseMs, attempts: db.raw('attempts + 1'), updated_at: now });
  if (!leased) return 'busy';

  const rows: RecipientRow[] = await db(`${DELIVERIES} as d`)
    .join('subscribers as s', 's.id', 'd.subscriber_id')
    .where({ 'd.edition_id': editionId, 'd.batch_no': batchNo, 'd.status': 'queued' })
    .select('d.subscriber_id', 's.document_id', 's.email', 's.name', 's.preferred_locale', 's.link_key', 's.state');
  const gone = rows.filter((row) => row.state !== 'active');
  if (gone.length > 0) await settleDeliveries(deps, editionId, batchNo, gone.map((row) => row.subscriber_id), 'suppressed', 'suppressed_count');

  const { variant, edition } = await plannedVariant(deps, editionId, batch.variant_key);
  const locale = parseVariantKey(batch.variant_key).locale;
  const context = { publicUrl: deps.settings.publicUrl, tokenSecret: deps.tokenSecret, editionDocumentId: edition.document_id, viewUrl: `${deps.settings.publicUrl}/newsletter/editions/${edition.document_id}?variant=${encodeURIComponent(batch.variant_key)}` };
  const toRecipient = (row: RecipientRow): EditionRecipient => ({ subscriberId: row.subscriber_id, subscriberDocumentId: row.document_id, email: row.email, name: row.name, locale, linkKey: row.link_key });

  const groups: RecipientRow[][] = [rows.filter((row) => row.state === 'active')];
  while (groups.length > 0) {
    const group = groups.shift()!;
    if (group.length === 0) continue;
    const request = toSendGridRequest({
      from: deps.settings.from,
      subject: variant.subject,
      html: variant.html,
      text: variant.text,
      recipients: group.map((row) => editionRecipient(toRecipient(row), context)),
      categories: ['edition'],
      customArgs: { edition_id: edition.document_id },
    });
    try {
      const response = await deps.send(request);
      await settleDeliveries(deps, editionId, batchNo, group.map((row) => row.subscriber_id), 'submitted', 'submitted_count', response.messageId);
    } catch (error) {
      const failure = classifySendFailure(error, attempt);
      const code = (error as { code?: unknown }).code;
      if (failure.kind === 'retry') {
        if (failure.status === undefined && !NEVER_SENT.has(String(code))) {
          // A timeout or a dropped connection: SendGrid may have accepted it. Never send it twice.
          await settleDeliveries(deps, editionId, batchNo, group.map((row) => row.subscriber_id), 'unknown', 'unknown_count', null, failure.reason);
          continue;
        }
        await db(BATCHES).where({ edition_id: editionId, batch_no: batchNo }).update({ state: 'pending', locked_until: null, error: failure.reason, updated_at: Date.now() });
        deps.log('warn', 'batch.retry', { editionId, batchNo, status: failure.status, delayMs: failure.delayMs, reason: failure.reason });
        throw new RetryBatchLater(failure.reason, failure.delayMs);
      }
      if (failure.status === 400 && group.length > 1) {
        const index = failure.errors.map((e) => /^personalizations\.(\d+)\./.exec(e.field ?? '')).find(Boolean);
        const culprit = index ? Number(index[1]) : -1;
        if (culprit >= 0 && culprit < group.length) {
          await settleDeliveries(deps, editionId, batchNo, [group[culprit].subscriber_id], 'failed', 'failed_count', null, describe(failure.errors));
          groups.unshift(group.filter((_, i) => i !== culprit));
        } else {
          const half = Math.ceil(group.length / 2);
          groups.unshift(group.slice(0, half), group.slice(half));
        }
        continue;
      }
      // One address refused (400 for a single recipient), or a refusal no split can fix (401, 403, 413).
      const refused = failure.status === 400 ? group : [group, ...groups.splice(0)].flat();
      await settleDeliveries(deps, editionId, batchNo, refused.map((row) => row.subscriber_id), 'failed', 'failed_count', null, `${failure.reason}: ${describe(failure.errors)}`);
      deps.log('error', 'batch.refused', { editionId, batchNo, status: failure.status, recipients: refused.length, errors: failure.errors.slice(0, 3) });
    }
  }
  await db(BATCHES).where({ edition_id: editionId, batch_no: batchNo }).update({ state: await batchOutcome(deps, editionId, batchNo), locked_until: null, updated_at: Date.now() });
  deps.log('info', 'batch.submitted', { editionId, batchNo, recipients: rows.length });
  await finishIfDone(deps, editionId);
  return 'sent';
}

/** A settled batch is `submitted` if anything went out (or nothing had to), else `unknown` or `failed`. */
async function batchOutcome(deps: NewsletterDeps, editionId: number, batchNo: number): Promise<'submitted' | 'unknown' | 'failed'> {
  const rows: Array<{ status: string; n: number | string }> = await deps.db(DELIVERIES).where({ edition_id: editionId, batch_no: batchNo }).groupBy('status').select('status').count({ n: '*' });
  const count = (status: string) => Number(rows.find((row) => row.status === status)?.n ?? 0);
  if (count('submitted') > 0 || count('failed') + count('unknown') === 0) return 'submitted';
  return count('unknown') > 0 ? 'unknown' : 'failed';
}

/** A planned variant never changes: each worker reads it (and the edition's document id) once. */
const variantCache = new Map<string, Promise<{ variant: { subject: string; html: string; text: string }; edition: { document_id: string } }>>();

function plannedVariant(deps: NewsletterDeps, editionId: number, variantKey: string) {
  const key = `${editionId}|${variantKey}`;
  let cached = variantCache.get(key);
  if (!cached) {
    if (variantCache.size >= 256) variantCache.delete(variantCache.keys().next().value as string);
    cached = Promise.all([
      deps.db(VARIANTS).where({ edition_id: editionId, variant_key: variantKey }).first('subject', 'html', 'text'),
      deps.db('editions').where({ id: editionId }).first('document_id'),
    ]).then(([variant, edition]) => ({ variant, edition }));
    cached.catch(() => variantCache.delete(key));
    variantCache.set(key, cached);
  }
  return cached;
}

function describe(errors: Array<{ message: string; field?: string | null }>): string {
  return errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ').slice(0, 450);
}

async function settleDeliveries(deps: NewsletterDeps, editionId: number, batchNo: number, subscriberIds: number[], status: 'submitted' | 'failed' | 'suppressed' | 'unknown', counter: 'submitted_count' | 'failed_count' | 'suppressed_count' | 'unknown_count', messageId: string | null = null, error: string | null = null): Promise<void> {
  if (subscriberIds.length === 0) return;
  await deps.db.transaction(async (trx) => {
    const changed = await trx(DELIVERIES)
      // By batch first: the (edition, batch) index finds at most 1000 rows, whatever the planner's statistics.
      .where({ edition_id: editionId, batch_no: batchNo, status: 'queued' })
      .whereIn('subscriber_id', subscriberIds)
      .update({ status, submitted_at: status === 'submitted' ? Date.now() : null, error: error ?? (messageId ? `message ${messageId}` : null) });
    await moveCounts(trx, editionId, { queued_count: -changed, [counter]: changed });
  });
}

/** A batch whose fate is unknown is not sent again: its recipients are marked and editors are told. */
async function settleUnknown(deps: NewsletterDeps, editionId: number, batchNo: number, reason: string): Promise<void> {
  const queued: Array<{ subscriber_id: number }> = await deps.db(DELIVERIES).where({ edition_id: editionId, batch_no: batchNo, status: 'queued' }).select('subscriber_id');
  await settleDeliveries(deps, editionId, batchNo, queued.map((row) => row.subscriber_id), 'unknown', 'unknown_count', null, reason);
  await deps.db(BATCHES).where({ edition_id: editionId, batch_no: batchNo }).update({ state: 'unknown', locked_until: null, error: reason, updated_at: Date.now() });
  deps.log('warn', 'batch.unknown', { editionId, batchNo, recipients: queued.length, reason });
  await finishIfDone(deps, editionId);
}

/** Once no batch is pending or being sent, the edition is final: sent (or failed, if nothing went out). */
export async function finishIfDone(deps: NewsletterDeps, editionId: number): Promise<boolean> {
  const { db } = deps;
  const open = await db(BATCHES).where({ edition_id: editionId }).whereIn('state', ['pending', 'sending']).count({ n: '*' }).first();
  if (Number(open?.n ?? 0) > 0) return false;
  const edition = await db('editions').where({ id: editionId }).first('state', 'recipients_count', 'submitted_count', 'failed_count', 'unknown_count');
  if (!edition || edition.state !== 'sending') return false;
  const failed = Number(edition.submitted_count) === 0 && Number(edition.failed_count) > 0;
  const unknown = Number(edition.unknown_count);
  const notes = unknown > 0
    ? `${unknown} ontvanger(s) in batches met onbekende afloop: niet opnieuw verstuurd, controleer in SendGrid. / ${unknown} recipient(s) in batches of unknown fate: not sent again, check SendGrid's activity.`
    : null;
  const updated = await db('editions').where({ id: editionId, state: 'sending' }).update({ state: failed ? 'failed' : 'sent', sent_at: new Date(), ...(notes ? { notes } : {}) });
  if (updated) deps.log('info', failed ? 'edition.failed' : 'edition.sent', { editionId, recipients: edition.recipients_count, submitted: edition.submitted_count, failed: edition.failed_count, unknown });
  return updated > 0;
}

// ---------------------------------------------------------------- reconcile

export interface ReconcileResult {
  due: number[];
  batches: Array<{ editionId: number; batchNo: number }>;
}

/**
 * What should be happening according to the database: due editions to plan, unfinished batches to
 * send. Run at worker start and periodically, so that lost queue state (a flushed Redis, a job
 * added by a worker that died) is rebuilt from the source of truth. Job ids are deterministic, so
 * re-adding what is already queued does nothing.
 */
export async function reconcile(deps: NewsletterDeps, now: Date = new Date()): Promise<ReconcileResult> {
  const { db } = deps;
  const scheduled: Array<{ id: number; scheduled_at: unknown }> = await db('editions').where({ state: 'scheduled' }).select('id', 'scheduled_at');
  const due = scheduled.filter((row) => (toDate(row.scheduled_at)?.getTime() ?? Infinity) <= now.getTime()).map((row) => row.id);
  const sending: Array<{ id: number }> = await db('editions').where({ state: 'sending' }).select('id');
  const batches: Array<{ editionId: number; batchNo: number }> = [];
  for (const edition of sending) {
    const open: Array<{ batch_no: number; state: string; locked_until: unknown }> = await db(BATCHES)
      .where({ edition_id: edition.id })
      .whereIn('state', ['pending', 'sending'])
      .select('batch_no', 'state', 'locked_until')
      .orderBy('batch_no');
    for (const batch of open) {
      if (batch.state === 'sending' && Number(batch.locked_until) > now.getTime()) continue;
      batches.push({ editionId: edition.id, batchNo: batch.batch_no });
    }
    if (open.length === 0) await finishIfDone(deps, edition.id);
  }
  return { due, batches };
}
