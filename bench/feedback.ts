/**
 * `npm run bench:feedback`: SendGrid's Event Webhook end to end, per database: signed posts of 1000
 * events to the real CMS over loopback, the real worker applying them, the campaign's counters
 * polled until every event is applied, and then checked. See bench/README.md.
 *
 *   npm run bench:feedback -- [--db sqlite,postgres] [--events 200000] [--deliveries 95000]
 *                             [--in-flight 4] [--rate 0] [--post-size 1000] [--duplicate-gap 2] [--poll-ms 50] [--timeout 600]
 *                             [--repeat 1] [--profile] [--hold-worker] [--json <file>] [--worker-node-args "..."] [--cms-node-args "..."]
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateWebhookKeys, signEventPost } from '../scripts/mail-sink/events';
import { deleteRedisPrefix } from '../scripts/lib/redis-server';
import { FEEDBACK_EVENTS } from '../src/mailings/engine/schema';
import { freePort } from '../scripts/lib/free-port';
import { startCms } from './lib/cms-process';
import { createSentCampaign } from './lib/feedback-data';
import { buildEventPosts, MIX } from './lib/feedback-events';
import { checksTable, correct, feedbackProfileReport, feedbackTargets, medianRun, summaryTable, type FeedbackRun } from './lib/feedback-report';
import { runFeedback } from './lib/feedback-run';
import { startWorkerProcess } from './lib/processes';
import { table } from './lib/report';
import { APP_ROOT, benchEnv, compileOnce, createBenchDatabase, loadStrapi, type DatabaseKind } from './lib/setup';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const started = Date.now();
const progress = (line: string) => console.log(`[bench:feedback ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const load = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
const whole = (name: string, value: number, min: number, max: number) => {
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name}: a whole number from ${min} to ${max}`);
  return value;
};

/** One post of one event that names no delivery of ours: opens the CMS's queue connection and warms both processes up. */
async function warmUp(url: string, privateKey: string, worker: Awaited<ReturnType<typeof startWorkerProcess>>): Promise<void> {
  const body = JSON.stringify([
    {
      mailing: 'campaign:999999999',
      delivery: '1',
      email: 'warm-up@example.org',
      timestamp: Math.floor(Date.now() / 1000),
      event: 'processed',
      sg_event_id: `warmup${randomBytes(8).toString('hex')}`,
      sg_message_id: 'warmup.filter.0',
    },
  ]);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(`${url}/webhooks/sendgrid`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Twilio-Email-Event-Webhook-Signature': signEventPost(privateKey, timestamp, body),
      'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
    },
    body,
  });
  if (response.status !== 200) throw new Error(`the warm-up post was answered ${response.status}: ${await response.text()}`);
  await worker.waitFor((event) => event.event === 'feedback.applied', 30_000);
  worker.events.length = 0;
}

interface Settings {
  events: number;
  deliveries: number;
  inFlight: number;
  postSize: number;
  rate: number;
  duplicateGap: number;
  pollMs: number;
  timeoutMs: number;
  profile: boolean;
  holdWorker: boolean;
  workerNodeArgs: string[];
  cmsNodeArgs: string[];
  stamp: string;
}

/** One run from scratch: database, campaign, posts, CMS, worker, the measurement, the checks; everything removed afterwards. */
async function runOnce(db: DatabaseKind, repeat: number, settings: Settings): Promise<FeedbackRun> {
  const label = `${db}${repeat > 1 ? ` #${repeat}` : ''}`;
  const say = (line: string) => progress(`${label}: ${line}`);
  const database = await createBenchDatabase(db);
  const keys = generateWebhookKeys();
  const prefix = `np-bench-feedback-${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    ...benchEnv('http://127.0.0.1:9', 'SG.bench-feedback'),
    ...database.env,
    REDIS_PREFIX: prefix,
    SENDGRID_WEBHOOK_PUBLIC_KEY: keys.publicKey,
  };
  let app: Awaited<ReturnType<typeof loadStrapi>> | undefined;
  let cms: Awaited<ReturnType<typeof startCms>> | undefined;
  let worker: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
  try {
    say('fresh database, loading Strapi (headless, for the setup and the polling)');
    app = await loadStrapi(env);
    const campaign = await createSentCampaign(app.db, settings.deliveries, say);
    say(
      `campaign ${campaign.ref.id} with ${settings.deliveries.toLocaleString('en')} submitted deliveries (${campaign.seconds.toFixed(1)} s); building the posts`,
    );
    const plan = buildEventPosts(campaign, { total: settings.events, postSize: settings.postSize, duplicateGap: settings.duplicateGap });
    say(
      `${plan.posts.length} posts, ${plan.total.toLocaleString('en')} events (${Object.entries(plan.byKind)
        .map(([kind, count]) => `${kind} ${count.toLocaleString('en')}`)
        .join(
          ', ',
        )}, duplicates ${plan.duplicates.toLocaleString('en')}), ${(plan.posts.reduce((sum, post) => sum + post.length, 0) / 2 ** 20).toFixed(0)} MB, built in ${plan.seconds.toFixed(1)} s`,
    );
    cms = await startCms(env, await freePort(), settings.cmsNodeArgs);
    const probe = settings.profile ? path.join(APP_ROOT, '.tmp', 'bench', `${settings.stamp}-feedback-${db}-${repeat}-worker`) : undefined;
    if (probe) fs.mkdirSync(path.dirname(probe), { recursive: true });
    worker = await startWorkerProcess({ ...env, ...(probe ? { BENCH_PROBE_OUT: probe } : {}) }, [
      ...settings.workerNodeArgs,
      ...(probe ? ['--import', path.join(__dirname, 'lib', 'worker-probe.ts')] : []),
    ]);
    say(`CMS (npm start) at ${cms.url}, worker ${worker.pid} started; warm-up post`);
    await warmUp(cms.url, keys.privateKey, worker);
    await app.db(FEEDBACK_EVENTS).delete();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const loadBefore = os.loadavg()[0];
    say(`posting (load ${load()})`);
    const result = await runFeedback({
      db: app.db,
      cmsUrl: cms.url,
      cmsPid: cms.child.pid!,
      worker,
      redisUrl: env.REDIS_URL,
      prefix,
      privateKey: keys.privateKey,
      campaign,
      plan,
      inFlight: settings.inFlight,
      rate: settings.rate,
      holdWorker: settings.holdWorker,
      pollMs: settings.pollMs,
      timeoutMs: settings.timeoutMs,
      profile: probe,
      progress: say,
    });
    const run: FeedbackRun = {
      db,
      repeat,
      deliveries: settings.deliveries,
      inFlight: settings.inFlight,
      rate: settings.rate,
      holdWorker: settings.holdWorker,
      setupSeconds: campaign.seconds,
      load: [loadBefore, os.loadavg()[0]],
      result,
    };
    say(
      `accepted ${Math.round(result.acceptedPerSecond).toLocaleString('en')} ev/s, applied ${Math.round(result.appliedPerSecond).toLocaleString('en')} ev/s (${result.applySeconds.toFixed(2)} s); load ${load()}`,
    );
    console.log(`\n${label}: checks after the run\n${checksTable(run)}\n`);
    if (result.failedAttempts > 0)
      console.log(`${label}: ${result.failedAttempts} job attempts failed and were retried by BullMQ: ${result.failures.join('; ')}\n`);
    if (settings.profile) console.log(`${feedbackProfileReport(run)}\n`);
    return run;
  } finally {
    await worker?.stop();
    await cms?.stop();
    await app?.stop();
    await database.drop();
    await deleteRedisPrefix(env.REDIS_URL, prefix);
  }
}

async function main(): Promise<void> {
  const dbs = option('db', 'sqlite,postgres')
    .split(',')
    .map((db) => db.trim()) as DatabaseKind[];
  const events = whole('events', Number(option('events', '200000')), 2, 5_000_000);
  const settings: Settings = {
    events,
    // Two events per delivery (processed, delivered) leave 5 % of --events for the other kinds and the duplicates.
    deliveries: whole('deliveries', Number(option('deliveries', String(Math.floor(events * 0.475)))), 1, Math.floor(events / 2)),
    inFlight: whole('in-flight', Number(option('in-flight', '4')), 1, 64),
    postSize: whole('post-size', Number(option('post-size', '1000')), 1, 2000),
    rate: whole('rate', Number(option('rate', '0')), 0, 10_000_000),
    duplicateGap: whole('duplicate-gap', Number(option('duplicate-gap', '2')), 1, 50),
    pollMs: whole('poll-ms', Number(option('poll-ms', '50')), 10, 1000),
    timeoutMs: whole('timeout', Number(option('timeout', '600')), 10, 3600) * 1000,
    profile: process.argv.includes('--profile'),
    holdWorker: process.argv.includes('--hold-worker'),
    workerNodeArgs: option('worker-node-args', '').split(' ').filter(Boolean),
    cmsNodeArgs: option('cms-node-args', '').split(' ').filter(Boolean),
    stamp: new Date().toISOString().replace(/[:.]/g, '-'),
  };
  const repeats = whole('repeat', Number(option('repeat', '1')), 1, 10);
  const json = option('json', '');
  if (dbs.length === 0 || dbs.some((db) => db !== 'sqlite' && db !== 'postgres')) throw new Error('--db: sqlite and/or postgres');
  const { rate, inFlight, postSize } = settings;
  const pacing = rate > 0 ? `paced to ${rate.toLocaleString('en')} events/s` : 'as fast as answered';

  if (settings.holdWorker)
    progress('--hold-worker: the worker is stopped while the posts go out (diagnostic: the endpoint alone; applied figures are then not a throughput)');
  progress(
    `databases ${dbs.join(', ')} x ${repeats}; ${events.toLocaleString('en')} events for ${settings.deliveries.toLocaleString('en')} deliveries, posts of ${postSize}, ${inFlight} in flight, ${pacing}; ${os.cpus().length} cores, load ${load()}`,
  );
  progress('compiling the Strapi app (once)');
  await compileOnce();
  const runs: FeedbackRun[] = [];
  const failures: Array<{ db: DatabaseKind; error: string }> = [];
  for (const db of dbs) {
    for (let repeat = 1; repeat <= repeats; repeat += 1) {
      try {
        const run = await runOnce(db, repeat, settings);
        runs.push(run);
        if (!correct(run)) failures.push({ db, error: 'the checks after the run do not hold' });
      } catch (error) {
        const message = (error instanceof Error ? error.message : String(error)).slice(0, 800);
        failures.push({ db, error: message });
        progress(`${db}: FAILED: ${message}`);
      }
    }
  }

  console.log(
    `\nSummary (${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, load ${load()}; posts of ${postSize}, ${inFlight} in flight, ${pacing}, signed inside the timing, bodies prebuilt, duplicates ${settings.duplicateGap}+ posts after their original; mix per --events beyond 2 per delivery: ${Object.entries(
      MIX,
    )
      .map(([kind, share]) => `${kind} ${Math.round(share * 100)} %`)
      .join(', ')})`,
  );
  console.log(summaryTable(runs));
  for (const db of dbs) {
    const group = runs.filter((run) => run.db === db);
    if (group.length === 0) continue;
    const verdicts = feedbackTargets(group.length > 1 ? medianRun(group) : group[0]);
    console.log(
      `\n${db}${group.length > 1 ? ` (medians of ${group.length} runs)` : ''}:\n${table([['target', 'measured', 'verdict'], ...verdicts.map((target) => [target.target, target.measured, target.verdict])])}`,
    );
  }
  for (const failure of failures) console.log(`FAILED ${failure.db}: ${failure.error}`);
  if (json) {
    const meta = {
      date: new Date().toISOString(),
      argv: process.argv.slice(2),
      node: process.version,
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      load: os.loadavg(),
      ...settings,
    };
    fs.writeFileSync(
      json,
      `${JSON.stringify({ meta, runs: runs.map((run) => ({ ...run, result: { ...run.result, profile: run.result.profile ? { ...run.result.profile, cpu: undefined } : undefined } })), failures }, null, 2)}\n`,
    );
    progress(`results written to ${json}`);
  }
  if (failures.length > 0) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(String(error instanceof Error ? error.stack : error).slice(0, 2000));
    process.exit(1);
  },
);
