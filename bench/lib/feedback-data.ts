import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { createFakeSubscribers } from '../../src/ops/fake-subscribers';
import type { MailingRef } from '../../src/mailings/engine/mailing';
import { BATCHES, DELIVERIES, isPostgres } from '../../src/mailings/engine/schema';

/** Recipients per SendGrid request (the worker's NEWSLETTER_BATCH_SIZE default): one message id each. */
export const BATCH_SIZE = 1000;

export interface SentDelivery {
  id: number;
  email: string;
  batchNo: number;
}

export interface SentCampaign {
  ref: MailingRef;
  deliveries: SentDelivery[];
  /** SendGrid's X-Message-Id per batch number (what `sg_message_id` starts with). */
  messageIds: Map<number, string>;
  seconds: number;
}

/**
 * A campaign as it stands after its send: one `campaigns` row in state `sent`, `count` active
 * subscribers, one `submitted` delivery row each (batches of 1000, with a message id) and its
 * batch rows. Bulk, straight into the database (not timed); the subscribers by the product's
 * createFakeSubscribers, the deliveries by one INSERT ... SELECT.
 */
export async function createSentCampaign(db: Knex, count: number, progress: (line: string) => void): Promise<SentCampaign> {
  const started = Date.now();
  const now = new Date();
  let reported = 0;
  await createFakeSubscribers(db, {
    count,
    localeMix: true,
    themesRandom: false,
    themes: [],
    onProgress: (done) => {
      if (done - reported >= Math.max(50_000, count / 4) || done === count) {
        reported = done;
        progress(`subscribers ${done.toLocaleString('en')}/${count.toLocaleString('en')} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      }
    },
  });
  const [campaign] = (await db('campaigns')
    .insert({
      document_id: `benchfeedback${randomBytes(6).toString('hex')}`,
      title: 'Bench: delivery feedback',
      state: 'sent',
      send_at: now,
      planned_at: now,
      sent_at: now,
      track_engagement: false,
      recipients_count: count,
      queued_count: 0,
      submitted_count: count,
      failed_count: 0,
      suppressed_count: 0,
      unknown_count: 0,
      cancelled_count: 0,
      variants_count: 1,
      created_at: now,
      updated_at: now,
      published_at: now,
    })
    .returning('id')) as Array<{ id: number } | number>;
  const ref: MailingRef = { kind: 'campaign', id: Number(typeof campaign === 'object' ? campaign.id : campaign) };
  const submittedAt = now.getTime();
  // Every subscriber (the database is fresh: only the synthetic ones), batch numbers 1, 2, ... by id.
  await db.raw(
    `INSERT INTO ?? (mailing_kind, mailing_id, subscriber_id, batch_no, status, submitted_at, message_id, feedback)
     SELECT 'campaign', ?, id, batch_no, 'submitted', ?, 'bench-' || batch_no, 0
     FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1) / ${BATCH_SIZE} + 1 AS batch_no FROM subscribers) AS numbered`,
    [DELIVERIES, ref.id, submittedAt],
  );
  const rows = (await db(`${DELIVERIES} as d`)
    .join('subscribers as s', 's.id', 'd.subscriber_id')
    .where({ 'd.mailing_kind': ref.kind, 'd.mailing_id': ref.id })
    .orderBy('d.id')
    .select('d.id', 's.email', 'd.batch_no')) as Array<{ id: number | string; email: string; batch_no: number | string }>;
  if (rows.length !== count) throw new Error(`expected ${count} delivery rows, found ${rows.length}`);
  const deliveries = rows.map((row) => ({ id: Number(row.id), email: row.email, batchNo: Number(row.batch_no) }));
  const messageIds = new Map<number, string>();
  const batches = [];
  for (let batchNo = 1; batchNo <= Math.ceil(count / BATCH_SIZE); batchNo += 1) {
    const messageId = randomBytes(16).toString('base64url').slice(0, 22);
    messageIds.set(batchNo, messageId);
    batches.push({
      mailing_kind: ref.kind,
      mailing_id: ref.id,
      batch_no: batchNo,
      variant_key: 'nl',
      state: 'submitted',
      size: Math.min(BATCH_SIZE, count - (batchNo - 1) * BATCH_SIZE),
      attempts: 1,
      message_id: messageId,
      updated_at: submittedAt,
    });
  }
  for (let start = 0; start < batches.length; start += 400) await db(BATCHES).insert(batches.slice(start, start + 400));
  if (isPostgres(db)) await db.raw('ANALYZE');
  return { ref, deliveries, messageIds, seconds: (Date.now() - started) / 1000 };
}

export interface CampaignCounters {
  recipients: number;
  submitted: number;
  delivered: number;
  deferred: number;
  bounced: number;
  dropped: number;
  spamReports: number;
  unsubscribes: number;
}

export async function campaignCounters(db: Knex, ref: MailingRef): Promise<CampaignCounters> {
  const row = (await db('campaigns')
    .where({ id: ref.id })
    .first(
      'recipients_count',
      'submitted_count',
      'delivered_count',
      'deferred_count',
      'bounced_count',
      'dropped_count',
      'spam_reports_count',
      'unsubscribes_count',
    )) as Record<string, number | string | null>;
  const n = (column: string) => Number(row?.[column] ?? 0);
  return {
    recipients: n('recipients_count'),
    submitted: n('submitted_count'),
    delivered: n('delivered_count'),
    deferred: n('deferred_count'),
    bounced: n('bounced_count'),
    dropped: n('dropped_count'),
    spamReports: n('spam_reports_count'),
    unsubscribes: n('unsubscribes_count'),
  };
}
