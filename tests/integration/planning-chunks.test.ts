import type { Knex } from 'knex';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MailSink } from '../../scripts/mail-sink/server';
import { createCampaign } from '../../src/mailings/campaign/create';
import { createJsonLogger } from '../../src/core/infra/log';
import { createFakeSubscribers } from '../../src/ops/fake-subscribers';
import { createMailingDeps } from '../../src/app/mailing-deps';
import { createSendingEngine } from '../../src/mailings/engine/engine';
import type { MailingRef } from '../../src/mailings/engine/mailing';
import { BATCHES, DELIVERIES } from '../../src/mailings/engine/schema';
import type { PlanChunk, SendingStore } from '../../src/mailings/engine/store';
import { testRedisPrefix } from '../support/redis';
import { until } from '../support/until';
import { startWorker } from '../support/worker';
import { useCms } from '../support/harness';

/**
 * Planning in committed chunks on a real database (SQLite, PostgreSQL in CI): a planning stopped
 * half-way (the worker died between two chunks) is resumed by planning again, and a cancel during
 * planning stops it; in both the counts stay exact and nobody gets the campaign twice. A real
 * worker started on a half-planned campaign resumes it by itself (its start-up tick).
 */
const PREFIX = testRedisPrefix('planning-chunks');
const SUBSCRIBERS = 700;

const app = useCms({
  name: 'planning-chunks',
  seed: true,
  env: { REDIS_PREFIX: PREFIX, NEWSLETTER_BATCH_SIZE: '30', NEWSLETTER_TICK_MS: '500', NEWSLETTER_CRON: '0 9 * * 2#1' },
});
let sink: MailSink;
let db: Knex;
const quiet = createJsonLogger('test', () => undefined);

/** The real engine on the real store, with small chunks and a hook that runs before each chunk is written. */
function engineWith(beforeChunk: (ref: MailingRef, chunk: PlanChunk) => Promise<void>) {
  const deps = createMailingDeps(app.strapi, quiet);
  const real = deps.engine.deps.store;
  const store: SendingStore = Object.assign(Object.create(real) as SendingStore, {
    async writePlanChunk(ref: MailingRef, chunk: PlanChunk) {
      await beforeChunk(ref, chunk);
      return real.writePlanChunk(ref, chunk);
    },
  });
  const engine = createSendingEngine({ ...deps.engine.deps, store, settings: { ...deps.engine.deps.settings, planChunkSize: 100 } });
  return { engine, plain: createSendingEngine({ ...deps.engine.deps, settings: { ...deps.engine.deps.settings, planChunkSize: 100 } }) };
}

async function scheduledCampaign(title: string): Promise<MailingRef> {
  const { id } = await createCampaign(app.strapi, { title, features: ['inspiratiebundel-leercultuur'] });
  const ref: MailingRef = { kind: 'campaign', id };
  await createMailingDeps(app.strapi, quiet).engine.schedule(ref, 'now');
  return ref;
}

const row = (ref: MailingRef) => db('campaigns').where({ id: ref.id }).first();
const byMailing = (ref: MailingRef) => ({ mailing_kind: ref.kind, mailing_id: ref.id });
const activeIds = async () => (await db('subscribers').where({ state: 'active' }).orderBy('id').select('id')).map((r: { id: number }) => Number(r.id));
/** Messages per address at the stand-in. */
function receivedPerAddress(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const recipient of sink.recipients()) counts.set(recipient.email, (counts.get(recipient.email) ?? 0) + 1);
  return counts;
}
const plannedIds = async (ref: MailingRef) =>
  (await db(DELIVERIES).where(byMailing(ref)).orderBy('subscriber_id').select('subscriber_id')).map((r: { subscriber_id: number }) => Number(r.subscriber_id));

beforeAll(async () => {
  sink = app.sink;
  db = app.strapi.db.connection as unknown as Knex;
  await createFakeSubscribers(db, { count: SUBSCRIBERS, localeMix: true, themesRandom: true, themes: ['meten-van-leercultuur', 'verandermanagement'] });
});

describe('planning in committed chunks', () => {
  it('stopped half-way, then planned again: resumed, every active reader planned and sent once', async () => {
    const ref = await scheduledCampaign('Planning resumed');
    const { engine, plain } = engineWith(async (_ref, chunk) => {
      if (chunk.sequence === 4) throw new Error('the worker died');
    });
    const sentEarly: number[] = [];
    await expect(engine.plan(ref, { onBatches: async (batchNos) => void sentEarly.push(...batchNos) })).rejects.toThrow('the worker died');

    // Three chunks committed: their batches were handed out, the mailing is still planning.
    const half = await row(ref);
    expect(half).toMatchObject({ state: 'sending', planned_at: null });
    const committed = await plannedIds(ref);
    expect(committed.length).toBeGreaterThan(0);
    expect(Number(half.recipients_count)).toBe(committed.length);
    expect(Number(half.queued_count)).toBe(committed.length);
    expect(Number(half.variants_count)).toBe(2);
    for (const batchNo of sentEarly) expect(await plain.sendBatch(ref, batchNo)).toBe('submitted');
    expect((await row(ref)).state).toBe('sending');
    expect((await plain.reconcile()).planning).toContainEqual(ref);

    const resumed = await plain.plan(ref);
    if (resumed.outcome !== 'planned') throw new Error(`not resumed: ${resumed.outcome}`);
    expect(resumed.variants).toBe(2);
    const active = await activeIds();
    expect(await plannedIds(ref)).toEqual(active);
    expect(resumed.recipients).toBe(active.length - committed.length);
    const batchNos = (await db(BATCHES).where(byMailing(ref)).select('batch_no')).map((r: { batch_no: number }) => Number(r.batch_no));
    expect(new Set(batchNos).size).toBe(batchNos.length);
    expect(resumed.batches.every((batchNo) => !sentEarly.includes(batchNo))).toBe(true);

    for (const batchNo of resumed.batches) expect(await plain.sendBatch(ref, batchNo)).toBe('submitted');
    const final = await row(ref);
    expect(final).toMatchObject({ state: 'sent' });
    expect(final.planned_at).not.toBeNull();
    expect({ recipients: Number(final.recipients_count), submitted: Number(final.submitted_count), queued: Number(final.queued_count) }).toEqual({
      recipients: active.length,
      submitted: active.length,
      queued: 0,
    });
    const received = receivedPerAddress();
    expect(received.size).toBe(active.length);
    expect([...received.values()].every((count) => count === 1)).toBe(true);
    expect((await plain.reconcile()).planning).not.toContainEqual(ref);
  }, 120_000);

  it('a cancel during planning stops it: no further chunk, the planned batches are cancelled, the counts exact', async () => {
    sink.reset();
    const ref = await scheduledCampaign('Cancelled while planning');
    let cancelled: unknown;
    const { engine } = engineWith(async (mailing, chunk) => {
      if (chunk.sequence === 3) cancelled = await engine.cancel(mailing);
    });
    const plan = await engine.plan(ref, { onBatches: async (batchNos) => void (await engine.sendBatch(ref, batchNos[0])) });
    expect(plan.outcome).toBe('cancelled');
    expect(cancelled).toMatchObject({ outcome: 'stopping' });
    const final = await row(ref);
    expect(final.state).toBe('cancelled');
    const planned = await plannedIds(ref);
    const counts = {
      recipients: Number(final.recipients_count),
      submitted: Number(final.submitted_count),
      cancelled: Number(final.cancelled_count),
      queued: Number(final.queued_count),
    };
    expect(counts.recipients).toBe(planned.length);
    expect(counts.recipients).toBeLessThan((await activeIds()).length);
    expect(counts.submitted).toBe(sink.recipients().length);
    expect(counts.submitted).toBeGreaterThan(0);
    expect(counts.submitted + counts.cancelled).toBe(counts.recipients);
    expect(counts.queued).toBe(0);
    expect(final.notes).toMatch(/Cancelled: \d+ recipient\(s\) not sent/);
    const open = await db(BATCHES).where(byMailing(ref)).whereIn('state', ['pending', 'sending']).count({ n: '*' }).first();
    expect(Number(open?.n)).toBe(0);
  }, 120_000);

  it('a worker started on a half-planned campaign resumes the planning by itself and sends it to everyone once', async () => {
    sink.reset();
    const ref = await scheduledCampaign('Resumed by the worker');
    const { engine } = engineWith(async (_ref, chunk) => {
      if (chunk.sequence === 3) throw new Error('the worker died');
    });
    // Two chunks committed, their batches never queued: as if the worker died right after.
    await expect(engine.plan(ref)).rejects.toThrow('the worker died');
    expect(await row(ref)).toMatchObject({ state: 'sending', planned_at: null });
    const worker = await startWorker({ NEWSLETTER_BATCH_SIZE: '30', NEWSLETTER_TICK_MS: '500' });
    try {
      await worker.waitFor((event) => event.event === 'mailing.planning-resumed' && event.mailing === `campaign:${ref.id}`);
      await until('campaign sent', async () => (await row(ref)).state === 'sent', 60_000);
    } finally {
      await worker.kill();
    }
    const active = await activeIds();
    expect(await plannedIds(ref)).toEqual(active);
    const received = receivedPerAddress();
    expect(received.size).toBe(active.length);
    expect([...received.values()].every((count) => count === 1)).toBe(true);
    const final = await row(ref);
    expect({ recipients: Number(final.recipients_count), submitted: Number(final.submitted_count), queued: Number(final.queued_count) }).toEqual({
      recipients: active.length,
      submitted: active.length,
      queued: 0,
    });
  }, 180_000);
});
