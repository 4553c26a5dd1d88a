import type { MailDataRequired } from '@sendgrid/mail';
import { createPersonalizer, PersonalizationError, type Personalizer } from '../../src/mail/personalizer';
import { isPrebuilt, type OutgoingRequest } from '../../src/mail/outgoing-mail';
import { describe, expect, it } from 'vitest';
import { RetryLater } from '../../src/mail/retry-later';
import { readDeliveryArgs } from '../../src/mailings/engine/delivery-reference';
import { createSendingEngine } from '../../src/mailings/engine/engine';
import { STORE_AWAY_RETRY_MS } from '../../src/mailings/engine/send-batch';
import type { MailingProducer, MailingRef } from '../../src/mailings/engine/mailing';
import { MailingRefusal } from '../../src/mailings/engine/refusal';
import { MemorySendingStore } from './support/memory-sending-store';

/** The engine with an in-memory store, a test producer and a scripted SendGrid. */

/** A request as the tests read it: prebuilt personalizations (v3 JSON) back as objects, custom args under `customArgs`. */
function asMail(request: OutgoingRequest): MailDataRequired {
  if (!isPrebuilt(request)) return request;
  const personalizations = request.personalizations.toJsonArray().map((json) => {
    const wire = JSON.parse(json) as { to: unknown; headers?: unknown; substitutions?: unknown; custom_args?: unknown };
    return { to: wire.to, headers: wire.headers, substitutions: wire.substitutions, customArgs: wire.custom_args };
  });
  return { ...request.mail, personalizations } as MailDataRequired;
}

function setup(
  options: {
    subscribers?: number;
    batchSize?: number;
    planChunkSize?: number;
    kind?: 'edition' | 'campaign';
    unknownFateQuietMs?: number | null;
    personalizer?: Personalizer;
  } = {},
) {
  const store = new MemorySendingStore();
  const ref: MailingRef = { kind: options.kind ?? 'campaign', id: 7 };
  store.addMailing(ref);
  store.addSubscribers(Array.from({ length: options.subscribers ?? 10 }, (_, i) => ({ id: i + 1, preferredLocale: i % 2 === 0 ? 'nl' : 'en' })));
  const renders: string[] = [];
  const producer: MailingProducer = {
    kind: ref.kind,
    async prepare() {
      return {
        audience: { preferredLocale: null },
        // Readers who follow "elsewhere" are outside this audience.
        variantFor: (subscriber) => (subscriber.themes.includes('elsewhere') ? null : subscriber.preferredLocale === 'en' ? 'en' : 'nl'),
        async render(key) {
          renders.push(key);
          return { subject: `Subject ${key}`, html: `<p>%greeting% ${key}</p>`, text: `%greeting% ${key}` };
        },
      };
    },
    envelope: (mailing, key) => ({
      categories: ['test'],
      customArgs: { document: mailing.documentId },
      headers: { 'List-Id': 'test <list.example.org>' },
      personalization: {
        publicUrl: 'https://cms.example.org',
        viewUrl: `https://cms.example.org/v/${key}`,
        locale: key === 'en' ? 'en' : 'nl',
        unsubscribeMailbox: null,
      },
    }),
  };
  const requests: MailDataRequired[] = [];
  let fail: (request: MailDataRequired, call: number) => unknown = () => undefined;
  let now = 1_000_000;
  const logs: string[] = [];
  store.clock = () => now;
  const engine = createSendingEngine({
    store,
    producers: [producer],
    settings: {
      from: { email: 'nieuwsbrief@example.org' },
      batchSize: options.batchSize ?? 3,
      planChunkSize: options.planChunkSize,
      leaseMs: 60_000,
      unknownFateQuietMs: options.unknownFateQuietMs ?? null,
      engagementTrackingAllowed: false,
    },
    log: (_level, event) => logs.push(event),
    now: () => now,
    personalizer: options.personalizer ?? createPersonalizer('test-secret'),
    async send(outgoing) {
      const request = asMail(outgoing);
      const error = fail(request, requests.length + 1);
      if (error) throw error;
      requests.push(request);
      return { messageId: `msg-${requests.length}` };
    },
  });
  return {
    store,
    ref,
    engine,
    renders,
    requests,
    logs,
    failWith(next: typeof fail) {
      fail = next;
    },
    advance(ms: number) {
      now += ms;
    },
    emails: () => requests.flatMap((request) => request.personalizations!.map((p) => (p.to as Array<{ email: string }>)[0].email)),
  };
}

async function sendAll(t: ReturnType<typeof setup>, batches: number[]) {
  const outcomes = [];
  for (const batchNo of batches) outcomes.push(await t.engine.sendBatch(t.ref, batchNo));
  return outcomes;
}

describe('planning', () => {
  it('renders each variant once, writes a delivery per recipient in the audience and batches of one variant', async () => {
    const t = setup({ subscribers: 10 });
    t.store.subscribersById.get(4)!.themes = ['elsewhere'];
    t.store.subscribersById.get(9)!.state = 'unsubscribed';
    const plan = await t.engine.plan(t.ref);
    expect(plan).toMatchObject({ outcome: 'planned', recipients: 8, variants: 2 });
    expect(t.renders.sort()).toEqual(['en', 'nl']);
    const deliveries = t.store.deliveriesOf(t.ref);
    expect(deliveries.map((d) => d.subscriberId).sort((a, b) => a - b)).toEqual([1, 2, 3, 5, 6, 7, 8, 10]);
    for (const batch of t.store.batchesOf(t.ref)) expect(batch.size).toBeLessThanOrEqual(3);
    expect(t.store.record(t.ref)!.state).toBe('sending');
    expect(t.store.record(t.ref)!.counts).toMatchObject({ recipients: 8, queued: 8, variants: 2 });
    // Planned once: a second planning finds it sending and does nothing.
    expect(await t.engine.plan(t.ref)).toEqual({ outcome: 'not-scheduled' });
  });

  it('waits for the send time unless forced', async () => {
    const t = setup();
    t.store.record(t.ref)!.sendAt = new Date(2_000_000);
    expect(await t.engine.plan(t.ref)).toEqual({ outcome: 'not-due' });
    expect((await t.engine.plan(t.ref, { force: true })).outcome).toBe('planned');
  });

  it('an empty audience is planned and sent at once, with nothing sent', async () => {
    const t = setup({ subscribers: 0 });
    expect(await t.engine.plan(t.ref)).toMatchObject({ outcome: 'planned', recipients: 0, batches: [] });
    expect(t.store.record(t.ref)!.state).toBe('sent');
  });
});

describe('planning in committed chunks', () => {
  const subscriberIdsOf = (t: ReturnType<typeof setup>) =>
    t.store
      .deliveriesOf(t.ref)
      .map((d) => d.subscriberId)
      .sort((a, b) => a - b);

  it('each chunk commits the batches it filled; a partly filled batch is written by the chunk that fills it, the rest by the last', async () => {
    const t = setup({ subscribers: 10, batchSize: 3, planChunkSize: 4 });
    const handedOut: number[][] = [];
    const plan = await t.engine.plan(t.ref, { onBatches: async (batchNos) => void handedOut.push(batchNos) });
    expect(plan).toMatchObject({ outcome: 'planned', recipients: 10, variants: 2 });
    // Pages of 4 (nl = odd ids, en = even ids): the first chunk fills no batch of 3.
    const chunks = t.store.chunks.map(({ chunk }) => ({
      last: chunk.last,
      recipients: chunk.recipients,
      batches: chunk.batches.map((b) => [b.variantKey, b.subscriberIds]),
    }));
    expect(chunks).toEqual([
      { last: false, recipients: 0, batches: [] },
      {
        last: false,
        recipients: 6,
        batches: [
          ['nl', [1, 3, 5]],
          ['en', [2, 4, 6]],
        ],
      },
      {
        last: true,
        recipients: 4,
        batches: [
          ['nl', [7, 9]],
          ['en', [8, 10]],
        ],
      },
    ]);
    expect(t.store.chunks.map(({ chunk }) => chunk.variants.map((v) => v.key))).toEqual([['nl', 'en'], [], []]);
    expect(handedOut).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(subscriberIdsOf(t)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(t.store.record(t.ref)).toMatchObject({ state: 'sending', counts: { recipients: 10, queued: 10, variants: 2 } });
    expect(t.store.record(t.ref)!.plannedAt).toBeInstanceOf(Date);
  });

  it('batches go out while planning goes on, and the mailing is not sent before planning has ended', async () => {
    const t = setup({ subscribers: 10, batchSize: 2, planChunkSize: 4 });
    const states: string[] = [];
    await t.engine.plan(t.ref, {
      async onBatches(batchNos) {
        for (const batchNo of batchNos) expect(await t.engine.sendBatch(t.ref, batchNo)).toBe('submitted');
        states.push(t.store.record(t.ref)!.state);
      },
    });
    // Every batch handed out so far was sent at once: the mailing had nothing open, yet stayed sending.
    expect(states.slice(0, -1).every((state) => state === 'sending')).toBe(true);
    expect(t.store.record(t.ref)).toMatchObject({ state: 'sent', counts: { recipients: 10, submitted: 10, queued: 0 } });
    expect(t.emails()).toHaveLength(10);
  });

  it('a planning that stopped half-way (its worker died) is resumed: nobody twice, nobody left out, no variant rendered again', async () => {
    const t = setup({ subscribers: 23, batchSize: 3, planChunkSize: 5 });
    t.store.subscribersById.get(12)!.themes = ['elsewhere'];
    t.store.beforeChunk = async (_ref, chunk) => {
      if (chunk.sequence === 3) throw new Error('worker killed');
    };
    await expect(t.engine.plan(t.ref, { onBatches: async (batchNos) => void (await sendAll(t, batchNos)) })).rejects.toThrow('worker killed');
    expect(t.store.record(t.ref)).toMatchObject({ state: 'sending', plannedAt: null });
    const committed = t.store.deliveriesOf(t.ref).length;
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(22);
    // Nothing is final while planning is unfinished, and the worker's tick finds it to resume.
    expect((await t.engine.reconcile()).planning).toEqual([t.ref]);
    expect(t.store.record(t.ref)!.state).toBe('sending');

    t.store.beforeChunk = async () => undefined;
    const resumed = await t.engine.plan(t.ref);
    expect(resumed).toMatchObject({ outcome: 'planned', recipients: 22 - committed, variants: 2 });
    expect(t.logs).toContain('mailing.planning-resumed');
    expect(t.renders.sort()).toEqual(['en', 'nl']);
    const all = Array.from({ length: 23 }, (_, i) => i + 1).filter((id) => id !== 12);
    expect(subscriberIdsOf(t)).toEqual(all);
    const batchNos = t.store.batchesOf(t.ref).map((b) => b.batchNo);
    expect(new Set(batchNos).size).toBe(batchNos.length);
    if (resumed.outcome !== 'planned') throw new Error('not planned');
    await sendAll(t, resumed.batches);
    expect(t.store.record(t.ref)).toMatchObject({ state: 'sent', counts: { recipients: 22, submitted: 22, queued: 0 } });
    expect(t.emails().sort()).toEqual(all.map((id) => `r${id}@example.org`).sort());
    expect((await t.engine.reconcile()).planning).toEqual([]);
  });

  it('a cancel during planning stops it: no further chunk, the planned batches are cancelled, the counts exact', async () => {
    const t = setup({ subscribers: 20, batchSize: 2, planChunkSize: 4 });
    t.store.beforeChunk = async (ref, chunk) => {
      if (chunk.sequence === 3) expect(await t.engine.cancel(ref)).toMatchObject({ outcome: 'stopping' });
    };
    const plan = await t.engine.plan(t.ref, { onBatches: async (batchNos) => void (await t.engine.sendBatch(t.ref, batchNos[0])) });
    expect(plan).toEqual({ outcome: 'cancelled', batches: [1, 2, 3, 4] });
    expect(t.store.chunks).toHaveLength(2);
    expect(t.emails()).toHaveLength(4);
    expect(t.store.record(t.ref)).toMatchObject({ state: 'cancelled', counts: { recipients: 8, submitted: 4, cancelled: 4, queued: 0 } });
    expect((await t.engine.reconcile()).planning).toEqual([]);
  });
});

describe('sending a batch', () => {
  it('submits every recipient once, keeps the message id and puts the delivery reference in custom_args', async () => {
    const t = setup({ subscribers: 7 });
    const plan = await t.engine.plan(t.ref);
    if (plan.outcome !== 'planned') throw new Error('not planned');
    expect(await sendAll(t, plan.batches)).toEqual(plan.batches.map(() => 'submitted'));
    expect(await t.engine.sendBatch(t.ref, plan.batches[0])).toBe('already-done');
    expect(t.emails().sort()).toEqual(Array.from({ length: 7 }, (_, i) => `r${i + 1}@example.org`).sort());
    expect(t.store.record(t.ref)).toMatchObject({ state: 'sent', counts: { submitted: 7, queued: 0 } });
    for (const delivery of t.store.deliveriesOf(t.ref)) expect(delivery.messageId).toMatch(/^msg-\d+$/);

    const personalization = t.requests[0].personalizations![0];
    // As SendGrid does for every event: the message's custom args merged with the personalization's.
    const merged = { ...(t.requests[0].customArgs as Record<string, string>), ...(personalization.customArgs as Record<string, string>) };
    const args = readDeliveryArgs(merged);
    expect(args?.mailing).toEqual(t.ref);
    const delivery = t.store.deliveries.find((d) => d.id === args?.deliveryId)!;
    expect(t.store.subscribersById.get(delivery.subscriberId)!.email).toBe((personalization.to as Array<{ email: string }>)[0].email);
    expect(t.requests[0].customArgs).toMatchObject({ mailing: 'campaign:7', document: expect.any(String) });
    expect(personalization.customArgs).toEqual({ subscriber_id: expect.stringMatching(/^sub-/), delivery: expect.stringMatching(/^[0-9a-z]+$/) });
    expect(t.requests[0].headers).toEqual({ 'List-Id': 'test <list.example.org>' });
    expect(t.requests[0].categories).toEqual(['test']);
  });

  it('429 and 5xx: the batch goes back to pending and the job retries later; nobody twice', async () => {
    const t = setup({ subscribers: 3 });
    const plan = await t.engine.plan(t.ref);
    if (plan.outcome !== 'planned') throw new Error('not planned');
    t.failWith((_request, call) => (call === 1 ? { code: 429, response: { headers: { 'retry-after': '2' } } } : undefined));
    await expect(t.engine.sendBatch(t.ref, 1, 1)).rejects.toSatisfy((error) => error instanceof RetryLater && error.delayMs === 2000);
    expect(t.store.batchesOf(t.ref)[0].state).toBe('pending');
    t.failWith((_request, call) => (call === 1 ? { code: 503 } : undefined));
    await expect(t.engine.sendBatch(t.ref, 1, 2)).rejects.toBeInstanceOf(RetryLater);
    t.failWith(() => undefined);
    expect(await t.engine.sendBatch(t.ref, 1, 3)).toBe('submitted');
    expect(t.emails().sort()).toEqual(['r1@example.org', 'r3@example.org']);
  });

  it('personalizations: a dead thread sends the batch back to pending for a retry; rows that cannot be personalized fail, nothing is sent', async () => {
    let failure: Error | null = new Error('personalizer thread exited (1)');
    const real = createPersonalizer('test-secret');
    const t = setup({
      subscribers: 3,
      batchSize: 10,
      personalizer: { build: async (recipe, rows) => (failure ? Promise.reject(failure) : real.build(recipe, rows)), close: async () => undefined },
    });
    await t.engine.plan(t.ref);
    await expect(t.engine.sendBatch(t.ref, 1, 1)).rejects.toBeInstanceOf(RetryLater);
    expect(t.store.batchesOf(t.ref)[0].state).toBe('pending');
    expect(t.requests).toHaveLength(0);
    failure = null;
    expect(await t.engine.sendBatch(t.ref, 1, 2)).toBe('submitted');
    expect(t.emails()).toHaveLength(2);

    const u = setup({
      subscribers: 2,
      batchSize: 10,
      personalizer: { build: async () => Promise.reject(new PersonalizationError('A link key is 16-64 URL-safe characters.')), close: async () => undefined },
    });
    await u.engine.plan(u.ref);
    expect(await u.engine.sendBatch(u.ref, 1)).toBe('failed');
    expect(u.requests).toHaveLength(0);
    const [batch] = u.store.batchesOf(u.ref);
    expect(batch.state).toBe('failed');
    expect(u.store.record(u.ref)!.counts.failed).toBe(batch.size);
    expect(
      u.store
        .deliveriesOf(u.ref)
        .filter((d) => d.batchNo === 1)
        .map((d) => d.error),
    ).toEqual(Array(batch.size).fill(expect.stringMatching(/personalizations not built: A link key/)));
  });

  it('a 400 for one address fails that address alone; the rest go out', async () => {
    const t = setup({ subscribers: 3, batchSize: 10 });
    await t.engine.plan(t.ref);
    t.failWith((request) => {
      const index = request.personalizations!.findIndex((p) => (p.to as Array<{ email: string }>)[0].email === 'r3@example.org');
      return index >= 0
        ? { code: 400, response: { body: { errors: [{ message: 'Invalid email', field: `personalizations.${index}.to.0.email` }] } } }
        : undefined;
    });
    // Two batches (nl, en): r3 is Dutch.
    const outcomes = await sendAll(t, [1, 2]);
    expect(outcomes).toEqual(['submitted', 'submitted']);
    expect(t.emails().sort()).toEqual(['r1@example.org', 'r2@example.org']);
    const failed = t.store.deliveriesOf(t.ref).filter((d) => d.status === 'failed');
    expect(failed.map((d) => d.subscriberId)).toEqual([3]);
    expect(failed[0].error).toMatch(/Invalid email/);
    expect(t.store.record(t.ref)!.counts).toMatchObject({ submitted: 2, failed: 1 });
  });

  it('returns what happened: a batch refused as a whole is failed, and so is the mailing', async () => {
    const t = setup({ subscribers: 2, batchSize: 10 });
    await t.engine.plan(t.ref);
    t.failWith(() => ({ code: 401, response: { body: { errors: [{ message: 'bad key' }] } } }));
    expect(await sendAll(t, [1, 2])).toEqual(['failed', 'failed']);
    expect(t.store.record(t.ref)!.state).toBe('failed');
  });

  it('a timeout may have reached SendGrid: its recipients become unknown, never sent twice', async () => {
    const t = setup({ subscribers: 2, batchSize: 10 });
    await t.engine.plan(t.ref);
    t.failWith(() => Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ECONNABORTED' }));
    expect(await t.engine.sendBatch(t.ref, 1)).toBe('unknown');
    t.failWith(() => undefined);
    expect(await t.engine.sendBatch(t.ref, 1)).toBe('already-done');
    expect(await t.engine.sendBatch(t.ref, 2)).toBe('submitted');
    expect(t.store.record(t.ref)).toMatchObject({ state: 'sent', counts: { unknown: 1, submitted: 1 } });
    expect(t.store.record(t.ref)!.notes).toMatch(/unknown fate/);
  });

  it('a lease that expired while sending: unknown fate, surfaced, not resent', async () => {
    const t = setup({ subscribers: 2, batchSize: 10 });
    await t.engine.plan(t.ref);
    // A worker leased batch 1 and died before SendGrid answered.
    expect(await t.store.lease(t.ref, 1, 1_000_000 + 60_000)).toMatchObject({ state: 'sending', attempts: 1 });
    expect(await t.engine.sendBatch(t.ref, 1)).toBe('busy');
    expect((await t.engine.reconcile()).batches).toEqual([{ mailing: t.ref, batchNo: 2 }]);
    t.advance(61_000);
    expect((await t.engine.reconcile()).batches).toEqual([
      { mailing: t.ref, batchNo: 1 },
      { mailing: t.ref, batchNo: 2 },
    ]);
    expect(await t.engine.sendBatch(t.ref, 1)).toBe('unknown');
    expect(await t.engine.sendBatch(t.ref, 2)).toBe('submitted');
    expect(t.emails()).toEqual(['r2@example.org']);
    expect(t.store.record(t.ref)).toMatchObject({ state: 'sent', counts: { unknown: 1, submitted: 1, queued: 0 } });
  });

  it('the database away when SendGrid answers: the answer is recorded once it is back, never turned into unknown', async () => {
    const t = setup({ subscribers: 3, batchSize: 10 });
    await t.engine.plan(t.ref);
    // The database restarts while the request is on its way: the first two attempts to record the answer fail.
    t.failWith(() => void (t.store.away = { times: 2, method: 'settleAndClose' }));
    expect(await t.engine.sendBatch(t.ref, 1)).toBe('submitted');
    expect(t.requests).toHaveLength(1);
    expect(t.store.away.times).toBe(0);
    t.failWith(() => undefined);
    expect(await t.engine.sendBatch(t.ref, 2)).toBe('submitted');
    expect(t.store.record(t.ref)).toMatchObject({ state: 'sent', counts: { submitted: 3, unknown: 0, queued: 0 } });
    expect(t.logs).toEqual(expect.arrayContaining(['batch.record-waiting', 'batch.recorded']));
  });

  it('the database away before the request: nothing is sent, the job comes back soon, the batch is not left leased', async () => {
    const t = setup({ subscribers: 3, batchSize: 10 });
    await t.engine.plan(t.ref);
    const soon = (error: unknown) => error instanceof RetryLater && error.delayMs === STORE_AWAY_RETRY_MS;
    t.store.away = { times: 1, method: 'lease' };
    await expect(t.engine.sendBatch(t.ref, 1)).rejects.toSatisfy(soon);
    expect(t.store.batchesOf(t.ref)[0]).toMatchObject({ state: 'pending', attempts: 0 });
    // Leased, then the database went away (and the release waited for it to come back).
    t.store.away = { times: 1, method: 'recipients' };
    await expect(t.engine.sendBatch(t.ref, 1)).rejects.toSatisfy(soon);
    expect(t.store.batchesOf(t.ref)[0]).toMatchObject({ state: 'pending', attempts: 1, lockedUntil: null });
    expect(t.requests).toHaveLength(0);
    expect(await t.engine.sendBatch(t.ref, 1)).toBe('submitted');
    expect(t.emails().sort()).toEqual(['r1@example.org', 'r3@example.org']);
  });

  it('an error that is not the database being away is not waited for', async () => {
    const t = setup({ subscribers: 1, batchSize: 10 });
    await t.engine.plan(t.ref);
    const store = t.store;
    const settle = store.settleAndClose.bind(store);
    let calls = 0;
    store.settleAndClose = async (...args) => {
      calls += 1;
      if (calls === 1) throw new Error('SQLITE_CONSTRAINT: a bug, not an outage');
      return settle(...args);
    };
    await expect(t.engine.sendBatch(t.ref, 1)).rejects.toThrow(/SQLITE_CONSTRAINT/);
    expect(calls).toBe(1);
  });

  it('someone who unsubscribed after planning is skipped as suppressed', async () => {
    const t = setup({ subscribers: 3, batchSize: 10 });
    await t.engine.plan(t.ref);
    t.store.subscribersById.get(1)!.state = 'unsubscribed';
    await sendAll(t, [1, 2]);
    expect(t.emails()).not.toContain('r1@example.org');
    expect(t.store.record(t.ref)!.counts).toMatchObject({ suppressed: 1, submitted: 2 });
  });
});

describe('unknown fate with the Event Webhook (quiet period 10 minutes)', () => {
  const QUIET = 10 * 60_000;
  async function timedOut() {
    const t = setup({ subscribers: 2, batchSize: 10, unknownFateQuietMs: QUIET });
    await t.engine.plan(t.ref);
    t.failWith(() => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    expect(await t.engine.sendBatch(t.ref, 1)).toBe('unknown');
    t.failWith(() => undefined);
    expect(await t.engine.sendBatch(t.ref, 2)).toBe('submitted');
    return t;
  }

  it('the mailing waits for the batch: an event of one of its deliveries makes it submitted, nothing is resent', async () => {
    const t = await timedOut();
    expect(t.store.record(t.ref)!.state).toBe('sending');
    expect((await t.engine.status(t.ref))!.awaitingResolution).toEqual([{ batchNo: 1, recipients: 1, since: 1_000_000 }]);
    t.store.acceptByEvent(t.ref, t.store.deliveriesOf(t.ref).find((d) => d.batchNo === 1)!.id);
    t.advance(QUIET + 1);
    const work = await t.engine.reconcile();
    expect(work.resent).toEqual([]);
    expect(t.store.record(t.ref)).toMatchObject({ state: 'sent', counts: { submitted: 2, unknown: 0 } });
    expect(t.emails()).toEqual(['r2@example.org']);
  });

  it('no event within the quiet period: the batch is sent again, once', async () => {
    const t = await timedOut();
    t.advance(QUIET - 1);
    expect((await t.engine.reconcile()).resent).toEqual([]);
    t.advance(2);
    const work = await t.engine.reconcile();
    expect(work.resent).toEqual([{ mailing: t.ref, batchNo: 1 }]);
    expect(work.batches).toContainEqual({ mailing: t.ref, batchNo: 1 });
    expect((await t.engine.reconcile()).resent).toEqual([]);
    expect(t.store.record(t.ref)!.counts).toMatchObject({ queued: 1, unknown: 0 });
    expect(await t.engine.sendBatch(t.ref, 1)).toBe('submitted');
    expect(t.emails()).toEqual(['r2@example.org', 'r1@example.org']);
    expect(t.store.record(t.ref)).toMatchObject({ state: 'sent', counts: { submitted: 2, unknown: 0, queued: 0 } });
  });

  it('a cancel ends the waiting: the batch stays unknown and is never resent', async () => {
    const t = await timedOut();
    expect(await t.engine.cancel(t.ref)).toMatchObject({ outcome: 'too-late' });
    expect(t.store.record(t.ref)!.state).toBe('sent');
    t.advance(QUIET + 1);
    expect((await t.engine.reconcile()).resent).toEqual([]);
    expect(t.store.record(t.ref)!.counts).toMatchObject({ unknown: 1 });
  });

  it('without a webhook a batch of unknown fate is final at once and never resent', async () => {
    const t = setup({ subscribers: 1, batchSize: 10 });
    await t.engine.plan(t.ref);
    t.failWith(() => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await t.engine.sendBatch(t.ref, 1);
    expect(t.store.record(t.ref)!.state).toBe('sent');
    t.advance(24 * 3_600_000);
    expect((await t.engine.reconcile()).resent).toEqual([]);
  });
});

describe('cancel', () => {
  it('a scheduled mailing: cancelled, nothing planned or sent', async () => {
    const t = setup();
    expect(await t.engine.cancel(t.ref)).toEqual({ outcome: 'cancelled' });
    expect(await t.engine.plan(t.ref)).toEqual({ outcome: 'not-scheduled' });
    expect(t.requests).toHaveLength(0);
  });

  it('while sending: no further batch is leased, the one in flight settles, the counts are exact', async () => {
    const t = setup({ subscribers: 12, batchSize: 2 });
    const plan = await t.engine.plan(t.ref);
    if (plan.outcome !== 'planned') throw new Error('not planned');
    expect(plan.batches).toHaveLength(6);
    await t.engine.sendBatch(t.ref, 1);
    // Batch 2 is in flight when the editor cancels.
    let cancel: Awaited<ReturnType<typeof t.engine.cancel>> | undefined;
    t.failWith((_request, call) => {
      if (call === 2 && !cancel) void t.engine.cancel(t.ref).then((result) => (cancel = result));
      return undefined;
    });
    const inFlight = t.engine.sendBatch(t.ref, 2);
    expect(await inFlight).toBe('submitted');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cancel).toEqual({ outcome: 'stopping', batches: 4, recipients: 8, inFlight: 1 });
    for (const batchNo of plan.batches.slice(2)) expect(await t.engine.sendBatch(t.ref, batchNo)).toBe('cancelled');
    expect(t.emails()).toHaveLength(4);
    expect(t.store.record(t.ref)).toMatchObject({ state: 'cancelled', counts: { recipients: 12, submitted: 4, cancelled: 8, queued: 0 } });
    expect(t.store.record(t.ref)!.notes).toMatch(/Cancelled: 8 recipient\(s\) not sent, 4 submitted/);
    expect(await t.engine.cancel(t.ref)).toEqual({ outcome: 'final', state: 'cancelled' });
  });

  it('once every batch is submitted or in flight it is too late: the mailing ends sent', async () => {
    const t = setup({ subscribers: 2, batchSize: 10 });
    await t.engine.plan(t.ref);
    await t.engine.sendBatch(t.ref, 1);
    await t.store.lease(t.ref, 2, 2_000_000);
    expect(await t.engine.cancel(t.ref)).toEqual({ outcome: 'too-late', inFlight: 1 });
    expect(t.store.record(t.ref)!.state).toBe('sending');
  });
});

describe('a remainder: sending to those who did not get it', () => {
  it('reaches each reader of the audience once across the original and its remainders; a remainder of a remainder too', async () => {
    const t = setup({ subscribers: 12, batchSize: 2 });
    const plan = await t.engine.plan(t.ref);
    if (plan.outcome !== 'planned') throw new Error('not planned');
    await t.engine.sendBatch(t.ref, 1);
    // Batch 2's answer is lost (unknown fate: they may have it), batch 3's address is refused (failed).
    t.failWith((_request, call) => (call === 2 ? Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) : undefined));
    await t.engine.sendBatch(t.ref, 2);
    t.failWith(() => undefined);
    expect(await t.engine.cancel(t.ref)).toMatchObject({ outcome: 'stopping' });
    for (const batchNo of plan.batches.slice(2)) await t.engine.sendBatch(t.ref, batchNo);
    const got = new Set(t.emails());
    const remainder: MailingRef = { kind: t.ref.kind, id: 8 };
    t.store.addMailing(remainder, { state: 'draft', remainderOf: t.ref.id });
    t.store.subscribersById.get(12)!.state = 'unsubscribed';
    await t.engine.schedule(remainder, 'now');
    const planned = await t.engine.plan(remainder);
    if (planned.outcome !== 'planned') throw new Error('remainder not planned');
    const unknown = t.store
      .deliveriesOf(t.ref)
      .filter((delivery) => delivery.status === 'unknown')
      .map((delivery) => delivery.subscriberId);
    expect(unknown.length).toBeGreaterThan(0);
    const expected = [...t.store.subscribersById.values()]
      .filter((s) => s.state === 'active' && !got.has(s.email) && !unknown.includes(s.id))
      .map((s) => s.id)
      .sort((a, b) => a - b);
    expect(planned.recipients).toBe(expected.length);
    expect(
      t.store
        .deliveriesOf(remainder)
        .map((delivery) => delivery.subscriberId)
        .sort((a, b) => a - b),
    ).toEqual(expected);
    // Half of the remainder goes out, then a remainder of the original again: only who got neither.
    await t.engine.sendBatch(remainder, planned.batches[0]);
    await t.engine.cancel(remainder);
    for (const batchNo of planned.batches.slice(1)) await t.engine.sendBatch(remainder, batchNo);
    const second: MailingRef = { kind: t.ref.kind, id: 9 };
    t.store.addMailing(second, { state: 'draft', remainderOf: t.ref.id });
    await t.engine.schedule(second, 'now');
    const again = await t.engine.plan(second);
    if (again.outcome !== 'planned') throw new Error('second remainder not planned');
    for (const batchNo of again.batches) await t.engine.sendBatch(second, batchNo);
    const counts = new Map<string, number>();
    for (const email of t.emails()) counts.set(email, (counts.get(email) ?? 0) + 1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const reached = new Set([...counts.keys()]);
    const active = [...t.store.subscribersById.values()].filter((s) => s.state === 'active');
    // Everyone active got exactly one message, except those whose first delivery's fate is unknown.
    expect(
      active
        .filter((s) => !reached.has(s.email))
        .map((s) => s.id)
        .sort((a, b) => a - b),
    ).toEqual(unknown.sort((a, b) => a - b));
    expect(reached.has('r12@example.org')).toBe(got.has('r12@example.org'));
  });
});

describe('refusals when scheduling', () => {
  it('refuses a time in the past, an empty audience and a mailing that is already sending', async () => {
    const t = setup({ subscribers: 1 });
    t.store.record(t.ref)!.state = 'draft';
    await expect(t.engine.schedule(t.ref, new Date(1_000_000 - 3_600_000))).rejects.toMatchObject({
      code: 'in-the-past',
      message: expect.stringMatching(/in the past/),
    });
    t.store.subscribersById.get(1)!.themes = ['elsewhere'];
    await expect(t.engine.schedule(t.ref, new Date(1_000_000))).rejects.toMatchObject({
      code: 'no-recipients',
      message: expect.stringMatching(/no active subscribers/),
    });
    t.store.subscribersById.get(1)!.themes = [];
    expect((await t.engine.schedule(t.ref, new Date(1_000_000))).state).toBe('scheduled');
    await t.engine.plan(t.ref);
    await expect(t.engine.schedule(t.ref, new Date(1_000_000))).rejects.toBeInstanceOf(MailingRefusal);
  });
});

describe('scheduling never starts a mailing before its time', () => {
  it('a time one millisecond ago is refused (send now offered); one a millisecond ahead is neither due nor planned until it comes', async () => {
    const t = setup({ subscribers: 2 });
    t.store.record(t.ref)!.state = 'draft';
    await expect(t.engine.schedule(t.ref, new Date(1_000_000 - 1))).rejects.toMatchObject({
      code: 'in-the-past',
      message: expect.stringMatching(/Nu versturen/),
    });
    expect(t.store.record(t.ref)!.state).toBe('draft');

    const at = new Date(1_000_000 + 1);
    expect(await t.engine.schedule(t.ref, at)).toMatchObject({ state: 'scheduled', sendAt: at });
    expect((await t.engine.reconcile()).due).toEqual([]);
    expect(await t.engine.plan(t.ref)).toEqual({ outcome: 'not-due' });
    expect(t.requests).toHaveLength(0);
    t.advance(1);
    expect((await t.engine.reconcile()).due).toEqual([t.ref]);
    expect((await t.engine.plan(t.ref)).outcome).toBe('planned');
  });

  it('"now" is the engine\'s own clock: never refused as past, due at once', async () => {
    const t = setup({ subscribers: 2 });
    t.store.record(t.ref)!.state = 'draft';
    expect(await t.engine.schedule(t.ref, 'now')).toMatchObject({ state: 'scheduled', sendAt: new Date(1_000_000) });
    expect((await t.engine.reconcile()).due).toEqual([t.ref]);
  });

  it('unscheduling takes a scheduled mailing back to draft without a send time; only a scheduled one', async () => {
    const t = setup({ subscribers: 2 });
    t.store.record(t.ref)!.state = 'draft';
    await expect(t.engine.unschedule(t.ref)).rejects.toMatchObject({
      code: 'not-schedulable',
      message: expect.stringMatching(/is draft; only a scheduled campaign can be unscheduled/),
    });
    await t.engine.schedule(t.ref, new Date(2_000_000));
    expect(await t.engine.unschedule(t.ref)).toMatchObject({ state: 'draft', sendAt: null });
    t.advance(2_000_000);
    expect((await t.engine.reconcile()).due).toEqual([]);
    expect(await t.engine.plan(t.ref)).toEqual({ outcome: 'not-scheduled' });
    // Schedule again, then a worker claims it: too late to unschedule.
    await t.engine.schedule(t.ref, 'now');
    await t.engine.plan(t.ref);
    await expect(t.engine.unschedule(t.ref)).rejects.toMatchObject({ code: 'not-schedulable', message: expect.stringMatching(/is sending/) });
    await expect(t.engine.unschedule({ kind: 'campaign', id: 99 })).rejects.toMatchObject({ code: 'missing' });
  });
});
