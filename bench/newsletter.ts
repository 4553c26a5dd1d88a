/**
 * `npm run bench`: the newsletter pipeline against its floor, side by side, per database and size.
 * See bench/README.md.
 *
 *   npm run bench -- [--sizes 10000,100000] [--db sqlite,postgres] [--mailings edition,campaign] [--repeat 1]
 *                   [--naive 2000] [--article-themes 4] [--batch-size 1000] [--profile]
 *                   [--worker-node-args "--max-old-space-size=256"] [--analyze-after-plan]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readMailSettings } from '../src/settings/mail';
import type { MailingKind, MailingRef } from '../src/mailings/engine/mailing';
import { createKnexSendingStore } from '../src/mailings/engine/knex-store';
import { createMailingDeps } from '../src/app/mailing-deps';
import { runFloor } from './lib/floor';
import { BENCH_MAILINGS, resetMailing, seededCampaign } from './lib/mailings';
import { runNaive } from './lib/naive';
import { runPipeline } from './lib/pipeline-run';
import { startSinkProcess } from './lib/processes';
import { profileReport, runTable, summaryTable, type RunResult } from './lib/report';
import { APP_ROOT, benchEnv, compileOnce, createBenchDatabase, loadStrapi, prepare, quietLog, type DatabaseKind } from './lib/setup';

const SINK_API_KEY = 'SG.bench-key';
const CONCURRENCY = 4; // the worker's default NEWSLETTER_CONCURRENCY

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const started = Date.now();
const progress = (line: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

async function main(): Promise<void> {
  const sizes = option('sizes', '10000,100000')
    .split(',')
    .map((size) => Number(size.trim()));
  const dbs = option('db', 'sqlite,postgres')
    .split(',')
    .map((db) => db.trim()) as DatabaseKind[];
  const mailings = option('mailings', BENCH_MAILINGS.join(','))
    .split(',')
    .map((kind) => kind.trim()) as MailingKind[];
  const repeats = Number(option('repeat', '1'));
  const naiveCount = Number(option('naive', '2000'));
  const articleThemes = Number(option('article-themes', '4'));
  const batchSize = Number(option('batch-size', '1000'));
  const profile = process.argv.includes('--profile');
  const analyzeAfterPlan = process.argv.includes('--analyze-after-plan');
  const workerNodeArgs = option('worker-node-args', '').split(' ').filter(Boolean);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const resultsDir = path.join(APP_ROOT, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) throw new Error('--batch-size: 1 to 1000 (NEWSLETTER_BATCH_SIZE of the worker)');
  if (sizes.some((size) => !Number.isInteger(size) || size < 1 || size > 5_000_000)) throw new Error('--sizes: whole numbers from 1 to 5,000,000');
  if (dbs.some((db) => db !== 'sqlite' && db !== 'postgres')) throw new Error('--db: sqlite and/or postgres');
  if (mailings.length === 0 || mailings.some((kind) => !BENCH_MAILINGS.includes(kind))) throw new Error(`--mailings: ${BENCH_MAILINGS.join(' and/or ')}`);
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 20) throw new Error('--repeat: 1 to 20');
  if (!Number.isInteger(naiveCount) || naiveCount < 0) throw new Error('--naive: a whole number (0 = skip)');

  progress(
    `sizes ${sizes.join(', ')}; databases ${dbs.join(', ')}; mailings ${mailings.join(', ')}; repeats ${repeats}; batch size ${batchSize}; naive ${naiveCount || 'off'}; ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  progress('compiling the Strapi app (once)');
  await compileOnce();
  const sink = await startSinkProcess(SINK_API_KEY);
  progress(`mail stand-in (count mode) in child process ${sink.pid} at ${sink.url}`);

  const runs: RunResult[] = [];
  const failures: Array<{ db: DatabaseKind; size: number; error: string }> = [];
  try {
    for (const db of dbs) {
      for (const [index, size] of sizes.entries()) {
        const database = await createBenchDatabase(db);
        const env = { ...benchEnv(sink.url, SINK_API_KEY), ...database.env };
        progress(`${db} ${size.toLocaleString('en')}: fresh database, loading Strapi`);
        const app = await loadStrapi(env);
        try {
          progress(`${db} ${size.toLocaleString('en')}: demo seed, ${size.toLocaleString('en')} subscribers, article, edition`);
          const prepared = await prepare(app, {
            subscribers: size,
            articleThemes,
            progress: (line) => progress(`${db} ${size.toLocaleString('en')}: ${line}`),
          });
          const producers = createMailingDeps(app.strapi, quietLog).engine.deps.producers;
          const store = createKnexSendingStore(app.db);
          for (const kind of mailings) {
            const ref: MailingRef = kind === 'edition' ? { kind, id: prepared.editionId } : await seededCampaign(app.db);
            for (let repeat = 1; repeat <= repeats; repeat += 1) {
              const label = `${db} ${size.toLocaleString('en')} ${kind}${repeats > 1 ? ` #${repeat}` : ''}`;
              if (kind === 'campaign' || repeat > 1) await resetMailing(app.db, ref);
              const pipeline = await runPipeline({
                db: app.db,
                env,
                sink,
                mailing: ref,
                recipients: prepared.recipients,
                batchSize,
                workerNodeArgs,
                analyzeAfterPlan: analyzeAfterPlan && db === 'postgres',
                profile: profile ? path.join(resultsDir, `${stamp}-${db}-${size}-${kind}-${repeat}-worker`) : undefined,
                progress: (line) => progress(`${label}: ${line}`),
              });
              progress(`${label}: pipeline ${pipeline.seconds.toFixed(2)} s; now the floor`);
              const mail = readMailSettings();
              const mailing = (await store.mailing(ref))!;
              const producer = producers.find((candidate) => candidate.kind === kind)!;
              const floor = await runFloor({
                db: app.db,
                sink,
                apiKey: SINK_API_KEY,
                mailing,
                producer,
                publicUrl: mail.publicUrl,
                tokenSecret: env.TOKEN_SECRET,
                from: mail.from,
                concurrency: CONCURRENCY,
                batchSize,
              });
              progress(`${label}: floor ${floor.seconds.toFixed(2)} s`);
              let naive;
              if (naiveCount > 0 && index === 0 && kind === 'edition' && repeat === 1) {
                progress(`${db}: naive reference, ${naiveCount} subscribers`);
                naive = await runNaive({
                  strapi: app.strapi,
                  db: app.db,
                  sink,
                  apiKey: SINK_API_KEY,
                  editionId: prepared.editionId,
                  count: naiveCount,
                  concurrency: CONCURRENCY,
                  tokenSecret: env.TOKEN_SECRET,
                });
              }
              const run: RunResult = {
                db,
                size,
                mailing: kind,
                repeat,
                setup: prepared.seconds,
                pipeline,
                floor,
                ratio: pipeline.seconds / floor.seconds,
                naive,
              };
              runs.push(run);
              console.log(`\n${runTable(run)}\n`);
              if (profile) console.log(`${profileReport(run)}\n`);
            }
          }
        } catch (error) {
          const message = (error instanceof Error ? error.message : String(error)).slice(0, 600);
          failures.push({ db, size, error: message });
          progress(`${db} ${size.toLocaleString('en')}: FAILED: ${message}`);
        } finally {
          await app.stop();
          await database.drop();
        }
      }
    }
  } finally {
    await sink.stop();
  }

  console.log(
    `\nSummary (${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'})\n${summaryTable(runs)}\n`,
  );
  for (const failure of failures) console.log(`FAILED ${failure.db} ${failure.size.toLocaleString('en')}: ${failure.error}`);
  const file = path.join(resultsDir, `${stamp}.json`);
  const meta = {
    date: new Date().toISOString(),
    argv: process.argv.slice(2),
    node: process.version,
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memoryMb: Math.round(os.totalmem() / 2 ** 20),
    stand_in: 'child process, count mode',
    concurrency: CONCURRENCY,
    mailings,
    repeats,
    articleThemes,
    batchSize,
    profile,
    workerNodeArgs,
    analyzeAfterPlan,
  };
  fs.writeFileSync(file, `${JSON.stringify({ meta, runs, failures }, null, 2)}\n`);
  progress(`results written to ${path.relative(process.cwd(), file)}`);
  if (failures.length > 0) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(String(error instanceof Error ? error.stack : error).slice(0, 2000));
    process.exit(1);
  },
);
