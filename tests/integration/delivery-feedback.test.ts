import type { Knex } from 'knex';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MailSink } from '../../scripts/mail-sink/server';
import { createCampaign } from '../../src/mailings/campaign/create';
import { applyFeedback } from '../../src/mailings/feedback/apply';
import type { FeedbackEvent, FeedbackKind, Suppression } from '../../src/mailings/feedback/events';
import { createKnexFeedbackStore } from '../../src/mailings/feedback/knex-store';
import { createJsonLogger } from '../../src/core/infra/log';
import { createMailingDeps } from '../../src/app/mailing-deps';
import type { MailingRef } from '../../src/mailings/engine/mailing';
import { testRedisPrefix } from '../support/redis';
import { useCms } from '../support/harness';

/**
 * SendGrid's events applied to a real database (SQLite, PostgreSQL in CI) for a campaign sent
 * through the real engine to the stand-in: statistics once per reader, duplicates, the suppression
 * rules, a bounce during a send, tracking, and batches of unknown fate resolved both ways.
 */
const PREFIX = testRedisPrefix('delivery-feedback');
const READERS = ['anna', 'bram', 'cem', 'dana', 'eva', 'fleur'];

const app = useCms({
  name: 'delivery-feedback',
  seed: true,
  env: { REDIS_PREFIX: PREFIX, NEWSLETTER_BATCH_SIZE: '2', MAIL_ENGAGEMENT_TRACKING: 'per-mailing' },
});
let sink: MailSink;
let db: Knex;
const quiet = createJsonLogger('test', () => undefined);
const store = () => createKnexFeedbackStore(db);
let nextEvent = 0;

function ev(
  kind: FeedbackKind,
  target: { ref: MailingRef; delivery: number } | { subscriber: number },
  extra: { suppress?: Suppression; id?: string } = {},
): FeedbackEvent {
  const base = { id: extra.id ?? `ev-${++nextEvent}`, kind, at: Math.floor(Date.now() / 1000), ...(extra.suppress ? { suppress: extra.suppress } : {}) };
  return 'subscriber' in target
    ? { ...base, subscriber: target.subscriber }
    : { ...base, mailing: `${target.ref.kind}:${target.ref.id}`, delivery: target.delivery };
}

async function deliveries(ref: MailingRef) {
  const rows: Array<{ id: number; subscriber_id: number; batch_no: number; status: string; feedback: number }> = await db('newsletter_deliveries')
    .where({ mailing_kind: ref.kind, mailing_id: ref.id })
    .orderBy('id')
    .select('id', 'subscriber_id', 'batch_no', 'status', 'feedback');
  const emails = new Map((await db('subscribers').select('id', 'email')).map((row: { id: number; email: string }) => [Number(row.id), row.email]));
  return rows.map((row) => ({ ...row, id: Number(row.id), email: emails.get(Number(row.subscriber_id))! }));
}

const subscriber = (name: string) =>
  db('subscribers')
    .where({ email: `${name}@example.org` })
    .first('id', 'state', 'suppression_reason', 'suppressed_at', 'unsubscribed_at');

/** A new campaign featuring the demo bundle (audience everyone), planned in batches of two: its ref and engine. */
async function planned(fields: Record<string, unknown> = {}) {
  const created = await createCampaign(app.strapi, { title: `Feedback ${++nextEvent}`, features: ['inspiratiebundel-leercultuur'] });
  if (Object.keys(fields).length > 0) await db('campaigns').where({ id: created.id }).update(fields);
  const ref: MailingRef = { kind: 'campaign', id: created.id };
  const deps = createMailingDeps(app.strapi, quiet);
  await deps.engine.schedule(ref, 'now');
  expect(await deps.engine.plan(ref)).toMatchObject({ outcome: 'planned', recipients: READERS.length });
  return { ref, deps, engine: deps.engine };
}

beforeAll(async () => {
  sink = app.sink;
  db = app.strapi.db.connection as unknown as Knex;
  await db('subscribers').update({ state: 'pending' });
  for (const [i, name] of READERS.entries()) {
    await db('subscribers').insert({
      document_id: `feedback-reader-${i}`,
      email: `${name}@example.org`,
      state: 'active',
      preferred_locale: 'nl',
      link_key: `feedback-link-key-${i}-0123456789`,
      created_at: new Date(),
      updated_at: new Date(),
    });
  }
});

beforeEach(() => sink.reset());

describe('applying SendGrid events', () => {
  it('counts each statistic once per reader; duplicates and repeats change nothing', async () => {
    const { ref, engine } = await planned();
    for (const batch of [1, 2, 3]) expect(await engine.sendBatch(ref, batch)).toBe('submitted');
    const rows = await deliveries(ref);
    const events = rows.flatMap((row) => [ev('processed', { ref, delivery: row.id }), ev('delivered', { ref, delivery: row.id })]);
    const first = await applyFeedback(store(), events);
    expect(first).toMatchObject({ events: 12, duplicates: 0, unmatched: 0 });
    // SendGrid redelivers the same post, and a second `delivered` (another id) for one reader.
    const again = await applyFeedback(store(), [...events, ev('delivered', { ref, delivery: rows[0].id })]);
    expect(again).toMatchObject({ events: 13, duplicates: 12 });
    const row = await db('campaigns').where({ id: ref.id }).first();
    expect(row).toMatchObject({ delivered_count: 6, bounced_count: 0, submitted_count: 6 });
    expect((await engine.status(ref))!.statistics).toMatchObject({ delivered: 6, deferred: 0 });
  });

  it('a late deferred never undoes delivered; opens and clicks only for a mailing that tracks them', async () => {
    const untracked = await planned();
    await untracked.engine.sendBatch(untracked.ref, 1);
    const [a] = await deliveries(untracked.ref);
    const result = await applyFeedback(store(), [
      ev('delivered', { ref: untracked.ref, delivery: a.id }),
      ev('deferred', { ref: untracked.ref, delivery: a.id }),
      ev('open', { ref: untracked.ref, delivery: a.id }),
      ev('click', { ref: untracked.ref, delivery: a.id }),
    ]);
    expect(result.untracked).toBe(2);
    expect(await db('campaigns').where({ id: untracked.ref.id }).first('delivered_count', 'deferred_count', 'opens_count', 'clicks_count')).toEqual({
      delivered_count: 1,
      deferred_count: 1,
      opens_count: 0,
      clicks_count: 0,
    });
    const { deliveryOutcome } = await import('../../src/mailings/engine/delivery-statistics');
    expect(deliveryOutcome((await deliveries(untracked.ref))[0].feedback)).toBe('delivered');

    // The switch alone tracks nothing: the deployment must allow it (MAIL_ENGAGEMENT_TRACKING, read by the privacy statement too).
    const refused = await planned({ track_engagement: true });
    refused.deps.settings.engagementTrackingAllowed = false;
    await refused.engine.sendBatch(refused.ref, 1);
    expect(sink.recipients().at(-1)!.trackingSettings).toMatchObject({ open_tracking: { enable: false }, click_tracking: { enable: false } });
    expect((await refused.engine.status(refused.ref))!.mailing.trackEngagement).toBe(false);

    const tracked = await planned({ track_engagement: true });
    await tracked.engine.sendBatch(tracked.ref, 1);
    expect(sink.recipients().at(-1)!.trackingSettings).toMatchObject({ open_tracking: { enable: true }, click_tracking: { enable: true } });
    const [b] = await deliveries(tracked.ref);
    await applyFeedback(store(), [
      ev('open', { ref: tracked.ref, delivery: b.id }),
      ev('machine-open', { ref: tracked.ref, delivery: b.id }),
      ev('open', { ref: tracked.ref, delivery: b.id }),
      ev('click', { ref: tracked.ref, delivery: b.id }),
    ]);
    expect(await db('campaigns').where({ id: tracked.ref.id }).first('opens_count', 'machine_opens_count', 'clicks_count')).toEqual({
      opens_count: 1,
      machine_opens_count: 1,
      clicks_count: 1,
    });
  });

  it('a bounce during a send excludes that reader from the batches not yet sent', async () => {
    const { ref, engine } = await planned();
    expect(await engine.sendBatch(ref, 1)).toBe('submitted');
    const later = (await deliveries(ref)).find((row) => row.batch_no === 3)!;
    const bounce: Suppression = { state: 'bounced', reason: 'Bounce 5.1.1 Invalid Address: 550 <address> unknown' };
    // From another mail (no custom args of ours): the endpoint found the subscriber by address.
    expect((await applyFeedback(store(), [ev('bounce', { subscriber: later.subscriber_id }, { suppress: bounce })])).suppressed).toBe(1);
    await engine.sendBatch(ref, 2);
    expect(await engine.sendBatch(ref, 3)).toBe('submitted');
    const sent = sink.recipients().map((mail) => mail.email);
    expect(sent).toHaveLength(5);
    expect(sent).not.toContain(later.email);
    expect(await db('campaigns').where({ id: ref.id }).first('suppressed_count', 'submitted_count')).toEqual({ suppressed_count: 1, submitted_count: 5 });
    const record = await db('subscribers').where({ id: later.subscriber_id }).first('state', 'suppression_reason', 'suppressed_at');
    expect(record).toMatchObject({ state: 'bounced', suppression_reason: bounce.reason });
    expect(record.suppressed_at).not.toBeNull();
    await db('subscribers').where({ id: later.subscriber_id }).update({ state: 'active', suppression_reason: null, suppressed_at: null });
  });

  it('suppression rules: a spam report overrides an unsubscribe; a bounce leaves an unsubscribed reader as is; soft bounces only count', async () => {
    const { ref, engine } = await planned();
    for (const batch of [1, 2, 3]) await engine.sendBatch(ref, batch);
    const rows = await deliveries(ref);
    const by = (name: string) => rows.find((row) => row.email === `${name}@example.org`)!;
    const spam: Suppression = { state: 'complained', reason: 'Spam report (marked as spam in the mailbox)' };
    const unsubscribe: Suppression = { state: 'unsubscribed', reason: 'Unsubscribed through the mailbox provider' };
    const bounce: Suppression = { state: 'bounced', reason: 'Bounce 5.1.1' };
    await applyFeedback(store(), [
      ev('unsubscribe', { ref, delivery: by('anna').id }, { suppress: unsubscribe }),
      ev('unsubscribe', { ref, delivery: by('bram').id }, { suppress: unsubscribe }),
      ev('blocked', { ref, delivery: by('cem').id }),
    ]);
    await applyFeedback(store(), [
      ev('spamreport', { ref, delivery: by('anna').id }, { suppress: spam }),
      ev('bounce', { ref, delivery: by('bram').id }, { suppress: bounce }),
    ]);
    expect(await subscriber('anna')).toMatchObject({ state: 'complained', suppression_reason: spam.reason });
    expect(await subscriber('bram')).toMatchObject({ state: 'unsubscribed', suppression_reason: unsubscribe.reason });
    expect((await subscriber('bram')).unsubscribed_at).not.toBeNull();
    expect(await subscriber('cem')).toMatchObject({ state: 'active', suppression_reason: null });
    expect(await db('campaigns').where({ id: ref.id }).first('unsubscribes_count', 'spam_reports_count', 'bounced_count')).toEqual({
      unsubscribes_count: 2,
      spam_reports_count: 1,
      bounced_count: 2,
    });
    await db('subscribers')
      .whereIn('email', ['anna@example.org', 'bram@example.org'])
      .update({ state: 'active', suppression_reason: null, suppressed_at: null });
  });

  it('events naming a mailing or delivery that does not exist are counted and ignored', async () => {
    const result = await applyFeedback(store(), [
      ev('delivered', { ref: { kind: 'edition', id: 999_999 }, delivery: 1 }),
      ev('delivered', { ref: (await planned()).ref, delivery: 999_999_999 }),
    ]);
    expect(result).toMatchObject({ unmatched: 1, accepted: 0 });
  });
});

describe('batches of unknown fate (webhook configured, quiet period one minute)', () => {
  async function unknownBatch() {
    const t = await planned();
    t.deps.settings.unknownFateQuietMs = 60_000;
    for (const batch of [1, 3]) expect(await t.engine.sendBatch(t.ref, batch)).toBe('submitted');
    // A worker took batch 2 and died: its lease ran out, nobody knows whether SendGrid got it.
    expect(await t.engine.deps.store.lease(t.ref, 2, Date.now() - 1)).toMatchObject({ batchNo: 2, state: 'sending' });
    expect(await t.engine.sendBatch(t.ref, 2)).toBe('unknown');
    expect((await t.engine.status(t.ref))!.mailing.state).toBe('sending');
    expect((await t.engine.status(t.ref))!.awaitingResolution).toEqual([expect.objectContaining({ batchNo: 2, recipients: 2 })]);
    return t;
  }

  it('an event of one of its deliveries: it arrived; submitted, the mailing finishes, nothing is sent again', async () => {
    const t = await unknownBatch();
    const [row] = (await deliveries(t.ref)).filter((each) => each.batch_no === 2);
    const result = await applyFeedback(store(), [ev('processed', { ref: t.ref, delivery: row.id })]);
    expect(result).toMatchObject({ resolvedBatches: 1, accepted: 1 });
    for (const ref of result.resolved) await t.engine.finish(ref);
    expect(await db('newsletter_batches').where({ mailing_kind: 'campaign', mailing_id: t.ref.id, batch_no: 2 }).first('state')).toEqual({
      state: 'submitted',
    });
    const work = await t.engine.reconcile(new Date(Date.now() + 3_600_000));
    expect(work.resent).toEqual([]);
    expect(await db('campaigns').where({ id: t.ref.id }).first('state', 'submitted_count', 'unknown_count')).toEqual({
      state: 'sent',
      submitted_count: 5,
      unknown_count: 1,
    });
    expect(sink.recipients()).toHaveLength(4);
  });

  it('no event within the quiet period: it never arrived; sent again, once, and the mailing finishes', async () => {
    const t = await unknownBatch();
    expect((await t.engine.reconcile(new Date(Date.now() + 30_000))).resent).toEqual([]);
    const work = await t.engine.reconcile(new Date(Date.now() + 61_000));
    expect(work.resent).toEqual([{ mailing: t.ref, batchNo: 2 }]);
    expect((await t.engine.reconcile(new Date(Date.now() + 120_000))).resent).toEqual([]);
    expect(await t.engine.sendBatch(t.ref, 2)).toBe('submitted');
    const sent = sink.recipients().map((mail) => mail.email);
    expect(sent).toHaveLength(6);
    expect(new Set(sent).size).toBe(6);
    expect(await db('campaigns').where({ id: t.ref.id }).first('state', 'submitted_count', 'unknown_count', 'queued_count')).toEqual({
      state: 'sent',
      submitted_count: 6,
      unknown_count: 0,
      queued_count: 0,
    });
  });
});
