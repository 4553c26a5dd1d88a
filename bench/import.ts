/**
 * `npm run bench -- import [--rows 100000] [--db sqlite,postgres] [--node-args "..."]`: the subscriber import
 * (`npm run subscribers -- import`) on a generated Mailchimp-shaped export, per database from
 * scratch, printing rows per second and the bench process's peak RSS side by side.
 *
 * Per database: a scratch database and a child process loaded as the command loads itself (the
 * compiled app; lib/import-child.ts): the demo seed (themes), then the import through the
 * command's own function (runSubscribersCommand) with `--json`, timed from the call to its answer,
 * with the CPU time it used. RSS is sampled every 25 ms during the import; "before" is the process
 * with Strapi loaded, "peak" the highest sample.
 * The file (written once, before any timing, under .tmp/bench/) mixes what real exports hold:
 * 80 % with consent evidence (active), 14 % without (pending: a confirmation mail job each, in the
 * run's own Redis prefix, deleted afterwards; no worker sends them), 4 % unsubscribed, 1 % invalid,
 * 1 % duplicates. A second import of the same file (everything known) is timed too. Several
 * `--rows` (e.g. 20000,100000) show whether memory grows with the file.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deleteRedisPrefix } from '../scripts/lib/redis-server';
import { APP_ROOT, benchEnv, compileOnce, createBenchDatabase, type DatabaseKind } from './lib/setup';

const progress = (line: string) => process.stderr.write(`[import] ${line}\n`);
const MB = 1024 * 1024;

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

/** A Mailchimp audience export of `rows` rows (see the header for the mix). */
function writeFile(rows: number): string {
  const file = path.join(APP_ROOT, '.tmp', 'bench', `import-mailchimp-${rows}.csv`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const out = fs.openSync(file, 'w');
  const lines: string[] = ['Email Address,First Name,Last Name,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,MC_LANGUAGE,LEID,UNSUB_TIME'];
  const flush = () => {
    fs.writeSync(out, `${lines.join('\r\n')}\r\n`);
    lines.length = 0;
  };
  for (let i = 0; i < rows; i += 1) {
    const slot = i % 100;
    const day = String((i % 28) + 1).padStart(2, '0');
    const email = slot === 98 ? `reader.${i - 50}@example.org` : slot === 99 ? `reader.${i}@@example.org` : `reader.${i}@example.org`;
    const name = `"Reader, ${i}",Bench`;
    if (slot < 80)
      lines.push(
        `${email},${name},2024-03-${day} 10:00:00,198.51.100.${i % 250},2024-03-${day} 10:05:00,203.0.113.${i % 250},${slot % 5 === 0 ? 'en' : 'nl'},${i},`,
      );
    else if (slot < 94) lines.push(`${email},${name},,,,,nl,${i},`);
    else if (slot < 98) lines.push(`${email},,,2023-01-${day} 08:00:00,,,,nl,${i},2024-06-${day} 12:00:00`);
    else lines.push(`${email},${name},2024-03-${day} 10:00:00,,,,nl,${i},`);
    if (lines.length >= 10_000) flush();
  }
  flush();
  fs.closeSync(out);
  return file;
}

interface Run {
  db: DatabaseKind;
  rows: number;
  seconds: number;
  again: number;
  cpuSeconds: number;
  rssBefore: number;
  rssPeak: number;
  counts: Record<string, number>;
}

/** The run in a child process loaded as the command is (lib/import-child.ts), on a scratch database. */
async function runOnce(db: DatabaseKind, file: string, rows: number, nodeArgs: string[]): Promise<Run> {
  const database = await createBenchDatabase(db);
  const prefix = `np-bench-import-${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = { ...benchEnv('http://127.0.0.1:9', 'SG.bench-key'), ...database.env, REDIS_PREFIX: prefix };
  try {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(__dirname, 'lib', 'import-child.ts'), file], {
      cwd: APP_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (code !== 0) throw new Error(`the ${db} run exited ${code}`);
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
      first: { seconds: number; counts: Record<string, number> };
      second: { seconds: number; counts: Record<string, number> };
      rssBefore: number;
      rssPeak: number;
      cpuSeconds: number;
    };
    const again = result.second.counts;
    if (again.new !== 0 || again.active !== 0 || again.pending !== 0) throw new Error(`the second import changed something: ${JSON.stringify(again)}`);
    progress(`${db}, ${rows.toLocaleString('en')} rows: ${result.first.seconds.toFixed(1)} s; ${JSON.stringify(result.first.counts)}`);
    return {
      db,
      rows,
      seconds: result.first.seconds,
      again: result.second.seconds,
      cpuSeconds: result.cpuSeconds,
      rssBefore: result.rssBefore,
      rssPeak: result.rssPeak,
      counts: result.first.counts,
    };
  } finally {
    await database.drop();
    await deleteRedisPrefix(env.REDIS_URL, prefix);
  }
}

async function main(): Promise<void> {
  const sizes = option('rows', '100000')
    .split(',')
    .map((value) => Number(value.trim()));
  const dbs = option('db', 'sqlite,postgres')
    .split(',')
    .map((db) => db.trim()) as DatabaseKind[];
  // e.g. --node-args "--cpu-prof --cpu-prof-dir=.tmp/prof": the child's node options.
  const nodeArgs = option('node-args', '').split(' ').filter(Boolean);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1 || size > 5_000_000)) throw new Error('--rows: whole numbers from 1 to 5,000,000');
  if (dbs.some((db) => db !== 'sqlite' && db !== 'postgres')) throw new Error('--db: sqlite and/or postgres');
  progress(`rows ${sizes.join(', ')} on ${dbs.join(', ')}; ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}`);
  progress('compiling the Strapi app (once)');
  await compileOnce();
  const runs: Run[] = [];
  for (const rows of sizes) {
    const file = writeFile(rows);
    for (const db of dbs) runs.push(await runOnce(db, file, rows, nodeArgs));
  }
  console.log(`\nSubscriber import (${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'})\n`);
  console.log(
    `load average after the runs: ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')} (the machine's other work slows every figure)\n`,
  );
  console.log('| db | rows | import | rows/s | CPU | again (all known) | RSS before | peak RSS | growth | active | pending | invalid | duplicates |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const run of runs) {
    console.log(
      `| ${run.db === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${run.rows.toLocaleString('en')} | ${run.seconds.toFixed(1)} s | ${Math.round(run.rows / run.seconds).toLocaleString('en')} | ${run.cpuSeconds.toFixed(1)} s | ${run.again.toFixed(1)} s | ${Math.round(run.rssBefore / MB)} MB | ${Math.round(run.rssPeak / MB)} MB | ${Math.round((run.rssPeak - run.rssBefore) / MB)} MB | ${run.counts.active} | ${run.counts.pending} | ${run.counts.invalid} | ${run.counts.duplicates} |`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
