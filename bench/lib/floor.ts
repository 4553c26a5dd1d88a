import type { Knex } from 'knex';
import { signLinkToken } from '../../src/core/domain/tokens';
import { greetingFor } from '../../src/mail/substitutions';
import { isNothingToSend, type MailingProducer, type MailingRecord } from '../../src/mailings/engine/mailing';
import { createDeliveriesTable, DELIVERIES, VARIANTS } from '../../src/mailings/engine/schema';
import type { SinkProcess } from './processes';

/**
 * The floor: the simplest code doing the work no implementation can avoid, on the same database,
 * subscribers and stand-in as the pipeline:
 *  1. one keyset scan of the active subscribers of the audience (pages of 5000 by id), grouped
 *     into per-variant batches of at most the pipeline's batch size (1000 by default) by the
 *     producer's own variant function (the same batches as the pipeline);
 *  2. one bulk insert of their delivery records into a scratch table shaped like
 *     newsletter_deliveries (same columns, primary key and indexes), chunks of 5000 rows (500 on
 *     SQLite, its compound-SELECT limit), one transaction;
 *  3. one request per batch (the same JSON the pipeline sends: per-recipient
 *     substitutions with three signed links, the List-Unsubscribe header, custom_args; the shared
 *     headers and custom_args once per request), built while
 *     timing and posted with plain fetch, 4 in flight.
 * Not in the floor: MJML rendering (the variants' html is read from the pipeline's run before the
 * timer starts), job queues, leases, and settling each batch's deliveries after SendGrid's answer.
 */
export interface FloorResult {
  seconds: number;
  recipientsPerSecond: number;
  scanSeconds: number;
  insertSeconds: number;
  postSeconds: number;
  batches: number;
  recipients: number;
}

const SCRATCH = 'bench_floor_deliveries';
const PAGE = 5000;
/** Rows per INSERT: knex writes a multi-row insert on SQLite as a compound SELECT, which SQLite caps at 500 terms. */
const insertChunk = (db: Knex) => (String(db.client.config.client).includes('sqlite') ? 500 : 5000);

interface Row {
  id: number;
  document_id: string;
  email: string;
  name: string | null;
  preferred_locale: string;
  themes: unknown;
  link_key: string;
}

export async function runFloor(options: {
  db: Knex;
  sink: SinkProcess;
  apiKey: string;
  /** The mailing the pipeline just sent, and its producer (for its audience and variants: pure functions). */
  mailing: MailingRecord;
  producer: MailingProducer;
  publicUrl: string;
  tokenSecret: string;
  from: { email: string; name?: string };
  concurrency: number;
  /** Recipients per request: the pipeline's batch size. */
  batchSize: number;
}): Promise<FloorResult> {
  const { db, sink, mailing } = options;
  const { kind, id: mailingId } = mailing.ref;
  // Untimed preparation: the scratch table, the rendered variants, the producer's audience and variant function.
  await db.schema.dropTableIfExists(SCRATCH);
  await createDeliveriesTable(db, SCRATCH);
  const variants = new Map<string, { subject: string; html: string; text: string }>(
    (
      (await db(VARIANTS).where({ mailing_kind: kind, mailing_id: mailingId }).select('variant_key', 'subject', 'html', 'text')) as Array<{
        variant_key: string;
        subject: string;
        html: string;
        text: string;
      }>
    ).map((row) => [row.variant_key, row]),
  );
  const prepared = await options.producer.prepare(mailing);
  if (isNothingToSend(prepared)) throw new Error(`floor: ${kind} ${mailingId} has nothing to send`);
  const { count: deliveriesBefore } = (await db(DELIVERIES).where({ mailing_kind: kind, mailing_id: mailingId }).count({ count: '*' }).first()) as {
    count: unknown;
  };
  await sink.reset();

  try {
    const started = performance.now();
    // 1. scan + batching
    const batches: Array<{ variant: string; rows: Row[] }> = [];
    const open = new Map<string, Row[]>();
    const deliveries: Array<{ mailing_kind: string; mailing_id: number; subscriber_id: number; batch_no: number; status: string }> = [];
    const close = (variant: string, rows: Row[]) => {
      batches.push({ variant, rows });
      for (const row of rows) deliveries.push({ mailing_kind: kind, mailing_id: mailingId, subscriber_id: row.id, batch_no: batches.length, status: 'queued' });
    };
    let lastId = 0;
    for (let pages = 0; pages < 10_000_000; pages += 1) {
      let query = db('subscribers')
        .select('id', 'document_id', 'email', 'name', 'preferred_locale', 'themes', 'link_key')
        .where('state', 'active')
        .andWhere('id', '>', lastId);
      if (prepared.audience.preferredLocale) query = query.andWhere('preferred_locale', prepared.audience.preferredLocale);
      const page: Row[] = await query.orderBy('id', 'asc').limit(PAGE);
      if (page.length === 0) break;
      for (const row of page) {
        const themes = typeof row.themes === 'string' ? (JSON.parse(row.themes) as string[]) : ((row.themes as string[] | null) ?? []);
        const key = prepared.variantFor({ id: row.id, preferredLocale: row.preferred_locale, themes });
        if (key === null) continue;
        const rows = open.get(key) ?? [];
        rows.push(row);
        if (rows.length === options.batchSize) {
          open.delete(key);
          close(key, rows);
        } else open.set(key, rows);
      }
      lastId = page[page.length - 1].id;
    }
    for (const [key, rows] of open) close(key, rows);
    const scanned = performance.now();

    // 2. delivery records, one transaction
    await db.transaction(async (trx) => {
      const chunk = insertChunk(db);
      for (let start = 0; start < deliveries.length; start += chunk) await trx(SCRATCH).insert(deliveries.slice(start, start + chunk));
    });
    const inserted = performance.now();

    // 3. one request per batch, built here, 4 in flight
    const viewBase = `${options.publicUrl}/newsletter/${kind}s/${mailing.documentId}?variant=`;
    const producerArgs = { [`${kind}_id`]: mailing.documentId };
    const link = (purpose: 'preferences' | 'unsubscribe', linkKey: string, locale: string) =>
      `${options.publicUrl}/newsletter/${purpose}?token=${encodeURIComponent(signLinkToken({ purpose, linkKey }, options.tokenSecret))}&lang=${locale}`;
    const body = (batch: { variant: string; rows: Row[] }) => {
      const variant = variants.get(batch.variant);
      if (!variant) throw new Error(`no rendered variant ${batch.variant}`);
      const locale = batch.variant === 'en' || batch.variant.startsWith('en|') ? 'en' : 'nl';
      const viewUrl = viewBase + encodeURIComponent(batch.variant);
      return JSON.stringify({
        from: options.from,
        subject: variant.subject,
        content: [
          { type: 'text/plain', value: variant.text },
          { type: 'text/html', value: variant.html },
        ],
        personalizations: batch.rows.map((row, index) => {
          const unsubscribe = link('unsubscribe', row.link_key, locale);
          return {
            to: [{ email: row.email }],
            substitutions: {
              '%greeting%': greetingFor(locale, row.name),
              '%unsubscribe_url%': unsubscribe,
              '%preferences_url%': link('preferences', row.link_key, locale),
              '%view_url%': viewUrl,
            },
            headers: { 'List-Unsubscribe': `<${unsubscribe}>` },
            // The pipeline's per-recipient custom_args: the subscriber and the engine's delivery reference (a stand-in id here).
            custom_args: { subscriber_id: row.document_id, delivery: (index + 1).toString(36) },
          };
        }),
        // What every recipient of the request shares, once (as the pipeline sends it).
        headers: { 'List-Id': 'Zorgnetwerk Rotterdam <nieuwsbrief.example.org>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        categories: [kind],
        custom_args: { ...producerArgs, mailing: `${kind}:${mailingId}` },
      });
    };
    let next = 0;
    const lane = async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        const response = await fetch(`${sink.url}/v3/mail/send`, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
          body: body(batch),
        });
        await response.arrayBuffer();
        if (response.status !== 202) throw new Error(`floor: the stand-in answered ${response.status}`);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, lane));
    const posted = performance.now();

    const recipients = deliveries.length;
    const accepted = (await sink.counts()).recipientsAccepted;
    if (accepted !== recipients) throw new Error(`floor: the stand-in accepted ${accepted} of ${recipients} recipients`);
    if (Number(deliveriesBefore) !== recipients)
      throw new Error(`floor: ${recipients} recipients but the pipeline wrote ${String(deliveriesBefore)} deliveries`);
    const seconds = (posted - started) / 1000;
    return {
      seconds,
      recipientsPerSecond: recipients / seconds,
      scanSeconds: (scanned - started) / 1000,
      insertSeconds: (inserted - scanned) / 1000,
      postSeconds: (posted - inserted) / 1000,
      batches: batches.length,
      recipients,
    };
  } finally {
    await db.schema.dropTableIfExists(SCRATCH);
  }
}
