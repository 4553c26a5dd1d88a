/**
 * `npm run bench`: the newsletter pipeline against its floor, side by side, per database and size.
 * See bench/README.md.
 *
 *   npm run bench -- [--sizes 10000,100000] [--db sqlite,postgres] [--naive 2000] [--article-themes 4] [--batch-size 1000] [--profile]
 *                   [--worker-node-args "--max-old-space-size=256"] [--analyze-after-plan]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readMailSettings } from '../src/config/mail';
import { runFloor } from './lib/floor';
import { runNaive } from './lib/naive';
import { runPipeline } from './lib/pipeline-run';
import { startSinkProcess } from './lib/processes';
import { profileReport, runTable, summaryTable, type RunResult } from './lib/report';
import { APP_ROOT, benchEnv, compileOnce, createBenchDatabase, loadStrapi, prepare, type DatabaseKind } from './lib/setup';

const SINK_API_KEY = 'SG.bench-key';
const CONCURRENCY = 4; // the worker's default NEWSLETTER_CONCURRENCY

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const started = Date.now();
const progress = (line: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

async function main(): Promise<void> {
  const sizes = option('sizes', '10000,100000').split(',').map((size) => Number(size.trim()));
  const dbs = option('db', 'sqlite,postgres').split(',').map((db) => db.trim()) as DatabaseKind[];
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
  if (!Number.isInteger(naiveCount) || naiveCount < 0) throw new Error('--naive: a whole number (0 = skip)');

  progress(`sizes ${sizes.join(', ')}; databases ${dbs.join(', ')}; batch size ${batchSize}; naive ${naiveCount || 'off'}; ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  progress('compiling the Strapi app (once)');
  await compileOnce();
  const sink = await startSinkProcess(SINK_API_KEY);
  progress(`mail stand-in (count mode) in child process ${sink.pid} at ${sink.url}`);

  const runs: RunResult[] = [];
  const failures: Array<{ db: DatabaseKind; size: number; error: string }> = [];
  try {
    for (const kind of dbs) {
      for (const [index, size] of sizes.entries()) {
        const database = await createBenchDatabase(kind);
        const env = { ...benchEnv(sink.url, SINK_API_KEY), ...database.env };
        progress(`${kind} ${size.toLocaleString('en')}: fresh database, loading Strapi`);
        const app = await loadStrapi(env);
        try {
          progress(`${kind} ${size.toLocaleString('en')}: demo seed, ${size.toLocaleString('en')} subscribers, article, edition`);
          const prepared = await prepare(app, { subscribers: size, articleThemes, progress: (line) => progress(`${kind} ${size.toLocaleString('en')}: ${line}`) });
          const pipeline = await runPipeline({ db: app.db, env, sink, editionId: prepared.editionId, recipients: prepared.recipients, batchSize, workerNodeArgs, analyzeAfterPlan: analyzeAfterPlan && kind === 'postgres', profile: profile ? path.join(resultsDir, `${stamp}-${kind}-${size}-worker`) : undefined, progress: (line) => progress(`${kind} ${size.toLocaleString('en')}: ${line}`) });
          progress(`${kind} ${size.toLocaleString('en')}: pipeline ${pipeline.seconds.toFixed(2)} s; now the floor`);
          const edition = (await app.db('editions').where({ id: prepared.editionId }).first('document_id')) as { document_id: string };
          const mail = readMailSettings();
          const floor = await runFloor({ db: app.db, sink, apiKey: SINK_API_KEY, editionId: prepared.editionId, editionDocumentId: edition.document_id, publicUrl: mail.publicUrl, tokenSecret: env.TOKEN_SECRET, from: mail.from, concurrency: CONCURRENCY, batchSize });
          progress(`${kind} ${size.toLocaleString('en')}: floor ${floor.seconds.toFixed(2)} s`);
          let naive;
          if (naiveCount > 0 && index === 0) {
            progress(`${kind}: naive reference, ${naiveCount} subscribers`);
            naive = await runNaive({ strapi: app.strapi, db: app.db, sink, apiKey: SINK_API_KEY, editionId: prepared.editionId, count: naiveCount, concurrency: CONCURRENCY, tokenSecret: env.TOKEN_SECRET });
          }
          const run: RunResult = { db: kind, size, setup: prepared.seconds, pipeline, floor, ratio: pipeline.seconds / floor.seconds, naive };
          runs.push(run);
          console.log(`\n${runTable(run)}\n`);
          if (profile) console.log(`${profileReport(run)}\n`);
        } catch (error) {
          const message = (error instanceof Error ? error.message : String(error)).slice(0, 600);
          failures.push({ db: kind, size, error: message });
          progress(`${kind} ${size.toLocaleString('en')}: FAILED: ${message}`);
        } finally {
          await app.stop();
          await database.drop();
        }
      }
    }
  } finally {
    await sink.stop();
  }

  console.log(`\nSummary (${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'})\n${summaryTable(runs)}\n`);
  for (const failure of failures) console.log(`FAILED ${failure.db} ${failure.size.toLocaleString('en')}: ${failure.error}`);
  const file = path.join(resultsDir, `${stamp}.json`);
  const meta = { date: new Date().toISOString(), argv: process.argv.slice(2), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryMb: Math.round(os.totalmem() / 2 ** 20), stand_in: 'child process, count mode', concurrency: CONCURRENCY, articleThemes, batchSize, profile, workerNodeArgs, analyzeAfterPlan };
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
