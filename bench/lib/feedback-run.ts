import IORedis from 'ioredis';
import type { Knex } from 'knex';
import { signEventPost } from '../../scripts/mail-sink/events';
import { FEEDBACK_QUEUE } from '../../src/mailings/feedback/queue';
import { DELIVERIES, FEEDBACK_EVENTS } from '../../src/mailings/engine/schema';
import { campaignCounters, type CampaignCounters, type SentCampaign } from './feedback-data';
import type { EventPlan } from './feedback-events';
import { collectProbe, type PipelineResult } from './pipeline-run';
import { procStatusMb, sampleRss, type WorkerProcess } from './processes';

export interface FeedbackRunResult {
  posts: number;
  events: number;
  /** First post sent -> last 200 received. */
  acceptSeconds: number;
  acceptedPerSecond: number;
  /** First post sent -> the campaign's counters show every event applied (polled every `pollMs`). */
  applySeconds: number;
  appliedPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  /** With a rate: how late the latest post went out (the sender kept waiting on answers). */
  maxLagMs: number;
  /** Most jobs waiting in the feedback queue at one poll. */
  maxWaiting: number;
  /** Job attempts that failed (and were retried): e.g. a deadlock between two jobs. */
  failedAttempts: number;
  failures: string[];
  jobs: {
    count: number;
    events: number;
    duplicates: number;
    unmatched: number;
    msP50: number | null;
    msP95: number | null;
    msMax: number | null;
    msTotal: number;
  };
  worker: { peakRssMb: number | null; sampledMaxRssMb: number };
  cmsSampledMaxRssMb: number;
  checks: Array<{ check: string; expected: number; found: number }>;
  profile?: PipelineResult['profile'];
}

export const FEEDBACK_KEY_FUNCTIONS = ['applyFeedback', 'claim', 'tracking', 'accept', 'mark', 'count', 'subscribersOf', 'suppress', 'bySuppression'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const matches = (counters: CampaignCounters, expected: EventPlan['expected']) =>
  counters.delivered === expected.delivered &&
  counters.deferred === expected.deferred &&
  counters.bounced === expected.bounced &&
  counters.spamReports === expected.spamReports &&
  counters.unsubscribes === expected.unsubscribes;

/**
 * Posts the prebuilt posts to the CMS's /webhooks/sendgrid, at most `inFlight` at once, each signed
 * just before it goes (inside the timing: the sender's cost, not the endpoint's latency), while a
 * poller reads the campaign's counters every `pollMs` until they show every event applied.
 */
export async function runFeedback(options: {
  db: Knex;
  cmsUrl: string;
  cmsPid: number;
  worker: WorkerProcess;
  redisUrl: string;
  prefix: string;
  privateKey: string;
  campaign: SentCampaign;
  plan: EventPlan;
  inFlight: number;
  /** Events per second offered (posts paced to it, open loop); 0: as fast as `inFlight` allows. */
  rate: number;
  /** Diagnostic: the worker is stopped (SIGSTOP) while the posts go out and continued after the last answer. */
  holdWorker: boolean;
  pollMs: number;
  timeoutMs: number;
  /** Base path of the probe's files when the worker runs with bench/lib/worker-probe.ts. */
  profile?: string;
  progress: (line: string) => void;
}): Promise<FeedbackRunResult> {
  const { db, plan, worker } = options;
  const ref = options.campaign.ref;
  const redis = new IORedis(options.redisUrl, { maxRetriesPerRequest: null });
  const waitKey = `${options.prefix}:${FEEDBACK_QUEUE}:wait`;
  const workerRss = sampleRss(worker.pid);
  const cmsRss = sampleRss(options.cmsPid);
  const url = `${options.cmsUrl}/webhooks/sendgrid`;
  try {
    if (options.profile) {
      worker.child.kill('SIGUSR2'); // the probe starts recording
      await sleep(300);
    }
    if (options.holdWorker) worker.child.kill('SIGSTOP');
    const latencies: number[] = [];
    let next = 0;
    let lastOk = 0;
    let failure: Error | null = null;
    const started = performance.now();
    let maxLagMs = 0;
    const send = async () => {
      while (!failure && next < plan.posts.length) {
        const index = next++;
        const body = plan.posts[index];
        if (options.rate > 0) {
          // Post `index` is due when the events before it have had their time at the offered rate.
          const due = started + (index * plan.total * 1000) / plan.posts.length / options.rate;
          const wait = due - performance.now();
          if (wait > 0) await sleep(wait);
          else maxLagMs = Math.max(maxLagMs, -wait);
        }
        const timestamp = String(Math.floor(Date.now() / 1000));
        const signature = signEventPost(options.privateKey, timestamp, body);
        const sent = performance.now();
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'User-Agent': 'SendGrid Event API',
            'X-Twilio-Email-Event-Webhook-Signature': signature,
            'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
          },
          body,
        });
        const text = await response.text();
        const now = performance.now();
        latencies.push(now - sent);
        if (response.status !== 200) failure = new Error(`a post was answered ${response.status}: ${text.slice(0, 300)}`);
        lastOk = now;
      }
    };
    const sender = () =>
      send().catch((error: unknown) => {
        failure = new Error(`a post failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    const senders = Promise.all(Array.from({ length: options.inFlight }, sender));

    void senders.then(() => {
      if (options.holdWorker) worker.child.kill('SIGCONT');
      if (!failure) options.progress(`all ${plan.posts.length} posts answered 200 in ${((lastOk - started) / 1000).toFixed(2)} s`);
    });
    let maxWaiting = 0;
    let applySeconds = 0;
    const deadline = Date.now() + options.timeoutMs;
    let lastReport = Date.now();
    let reportedFailures = 0;
    for (;;) {
      const counters = await campaignCounters(db, ref);
      if (matches(counters, plan.expected)) {
        applySeconds = (performance.now() - started) / 1000;
        break;
      }
      maxWaiting = Math.max(maxWaiting, await redis.llen(waitKey));
      if (failure) throw failure;
      // A failed attempt is retried by BullMQ (src/mailings/feedback/queue.ts): reported, and the run goes on.
      for (const failed of worker.events.filter((event) => event.event === 'feedback.job-failed').slice(reportedFailures)) {
        reportedFailures += 1;
        options.progress(
          `  job ${String(failed.jobId)} attempt ${String(failed.attempts)} failed (BullMQ retries it): ${String(failed.message).split(' - ').pop()!.slice(0, 200)}`,
        );
      }
      if (worker.exited()) throw new Error(`the worker exited: ${worker.exited()}`);
      if (Date.now() > deadline)
        throw new Error(`timed out after ${options.timeoutMs / 1000} s; counters ${JSON.stringify(counters)}, expected ${JSON.stringify(plan.expected)}`);
      if (Date.now() - lastReport > 5000) {
        lastReport = Date.now();
        options.progress(
          `  ${((performance.now() - started) / 1000).toFixed(0)} s: ${latencies.length}/${plan.posts.length} posts answered, delivered_count ${counters.delivered.toLocaleString('en')}/${plan.expected.delivered.toLocaleString('en')}, ${maxWaiting} jobs waiting at most`,
        );
      }
      await sleep(options.pollMs);
    }
    await senders;
    if (failure) throw failure;
    const profile = options.profile ? await collectProbe(worker.child, options.profile, FEEDBACK_KEY_FUNCTIONS) : undefined;

    // Everything applied: the queue drains (a last post of duplicates only moves no counter), then the checks.
    const jobs = () => worker.events.filter((event) => event.event === 'feedback.applied');
    for (let attempt = 0; attempt < 200 && jobs().length < plan.posts.length; attempt += 1) await sleep(50);
    const applied = jobs();
    const failures = worker.events
      .filter((event) => event.event === 'feedback.job-failed')
      .map((event) => String(event.message).split(' - ').pop()!.slice(0, 200));
    const ms = applied
      .map((event) => Number(event.ms))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const sum = (field: string) => applied.reduce((total, event) => total + Number(event[field] ?? 0), 0);

    const counters = await campaignCounters(db, ref);
    const count = async (query: Knex.QueryBuilder) => Number(((await query.count({ n: '*' }).first()) as { n: unknown }).n);
    const deliveries = () => db(DELIVERIES).where({ mailing_kind: ref.kind, mailing_id: ref.id });
    const bit = (value: number) => deliveries().whereRaw('(feedback & ?) <> 0', [value]);
    const state = (value: string) => db('subscribers').where({ state: value });
    const total = options.campaign.deliveries.length;
    const checks: FeedbackRunResult['checks'] = [
      { check: 'campaigns.delivered_count', expected: plan.expected.delivered, found: counters.delivered },
      { check: 'campaigns.deferred_count (readers, not events)', expected: plan.expected.deferred, found: counters.deferred },
      { check: 'campaigns.bounced_count', expected: plan.expected.bounced, found: counters.bounced },
      { check: 'campaigns.spam_reports_count', expected: plan.expected.spamReports, found: counters.spamReports },
      { check: 'campaigns.unsubscribes_count', expected: plan.expected.unsubscribes, found: counters.unsubscribes },
      { check: 'campaigns.dropped_count', expected: 0, found: counters.dropped },
      { check: 'campaigns.submitted_count (unchanged)', expected: total, found: counters.submitted },
      { check: 'deliveries submitted', expected: total, found: await count(deliveries().where({ status: 'submitted' })) },
      { check: 'deliveries with the delivered bit', expected: plan.expected.delivered, found: await count(bit(2)) },
      { check: 'deliveries with the deferred bit', expected: plan.expected.deferred, found: await count(bit(1)) },
      { check: 'deliveries with the bounced bit', expected: plan.expected.bounced, found: await count(bit(4)) },
      { check: 'subscribers bounced', expected: plan.suppressed.bounced, found: await count(state('bounced')) },
      { check: 'subscribers complained', expected: plan.suppressed.complained, found: await count(state('complained')) },
      { check: 'subscribers unsubscribed', expected: plan.suppressed.unsubscribed, found: await count(state('unsubscribed')) },
      { check: 'event ids claimed (unique events)', expected: plan.unique, found: await count(db(FEEDBACK_EVENTS)) },
      { check: 'jobs applied (one per post)', expected: plan.posts.length, found: applied.length },
      { check: 'events in the jobs', expected: plan.total, found: sum('events') },
      { check: 'duplicates dropped by the worker', expected: plan.duplicates, found: sum('duplicates') },
      { check: 'unmatched events', expected: 0, found: sum('unmatched') },
    ];
    const latency = [...latencies].sort((a, b) => a - b);
    const accept = (lastOk - started) / 1000;
    return {
      posts: plan.posts.length,
      events: plan.total,
      acceptSeconds: accept,
      acceptedPerSecond: plan.total / accept,
      applySeconds,
      appliedPerSecond: plan.total / applySeconds,
      latencyMs: {
        p50: percentile(latency, 50),
        p95: percentile(latency, 95),
        p99: percentile(latency, 99),
        max: latency[latency.length - 1],
        mean: latency.reduce((a, b) => a + b, 0) / latency.length,
      },
      maxLagMs,
      maxWaiting,
      failedAttempts: failures.length,
      failures: [...new Set(failures)].slice(0, 5),
      jobs: {
        count: applied.length,
        events: sum('events'),
        duplicates: sum('duplicates'),
        unmatched: sum('unmatched'),
        msP50: ms.length ? percentile(ms, 50) : null,
        msP95: ms.length ? percentile(ms, 95) : null,
        msMax: ms.length ? ms[ms.length - 1] : null,
        msTotal: ms.reduce((a, b) => a + b, 0),
      },
      worker: { peakRssMb: procStatusMb(worker.pid, 'VmHWM'), sampledMaxRssMb: workerRss.stop().maxMb },
      cmsSampledMaxRssMb: cmsRss.stop().maxMb,
      checks,
      profile,
    };
  } finally {
    if (options.holdWorker) worker.child.kill('SIGCONT');
    workerRss.stop();
    cmsRss.stop();
    await redis.quit();
  }
}
