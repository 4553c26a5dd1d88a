import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../scripts/lib/free-port';
import { redisAnswers } from '../../scripts/lib/redis-server';

/**
 * Servers of a test file's own, for fault tests that stop and restart them: the machine's Redis and
 * PostgreSQL serve every other test (and other people), so they are never restarted.
 */

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface RedisServer {
  url: string;
  /** Stops it the way an operator does (SIGTERM: AOF flushed) and starts it again on the same data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A redis-server on a free port with its data in a folder of its own; `aof` keeps it across restarts as production must. */
export async function startRedisServer(options: { aof: boolean; maxmemoryPolicy?: string }): Promise<RedisServer> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'np-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    options.aof ? 'yes' : 'no',
    '--maxmemory-policy',
    options.maxmemoryPolicy ?? 'noeviction',
  ];
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess;
  const start = async () => {
    child = spawn('redis-server', args, { stdio: 'ignore' });
    await waitFor(`redis-server on ${port}`, () => redisAnswers(url));
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url,
    async restart() {
      await stop();
      await start();
    },
    async stop() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PostgresCluster {
  /** The cluster's `postgres` database (trust authentication). */
  url: string;
  /** A fast shutdown, as `systemctl stop` does: every connection is terminated. */
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

const PG_BIN = (() => {
  const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort() : [];
  return versions.length > 0 ? path.join('/usr/lib/postgresql', versions[versions.length - 1], 'bin') : null;
})();

/** Whether this machine can run a PostgreSQL cluster of a test's own (Debian's server package). */
export const canRunPostgresCluster = PG_BIN !== null && fs.existsSync(path.join(PG_BIN, 'initdb'));

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user. */
function pgCommand(command: string, args: string[]): { status: number | null; output: string } {
  const asRoot = process.getuid?.() === 0;
  const binary = path.join(PG_BIN!, command);
  const result = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', binary, ...args], { encoding: 'utf8' }) : spawnSync(binary, args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}` };
}

/** A PostgreSQL cluster of its own on a free port, data in a temporary folder, fsync off (a test's data). */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  if (!canRunPostgresCluster) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  const port = await freePort();
  const dir = path.join(os.tmpdir(), `np-pg-${randomBytes(4).toString('hex')}`);
  fs.mkdirSync(dir, { mode: 0o700 });
  if (process.getuid?.() === 0) spawnSync('chown', ['postgres:postgres', dir]);
  const init = pgCommand('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.output}`);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const answers = async () => {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const cluster: PostgresCluster = {
    url,
    async start() {
      const started = pgCommand('pg_ctl', [
        '-D',
        dir,
        '-l',
        path.join(dir, 'server.log'),
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`,
        '-w',
        'start',
      ]);
      if (started.status !== 0) throw new Error(`pg_ctl start failed: ${started.output}`);
      await waitFor(`PostgreSQL on ${port}`, answers);
    },
    async stop() {
      const stopped = pgCommand('pg_ctl', ['-D', dir, '-m', 'fast', '-w', 'stop']);
      if (stopped.status !== 0) throw new Error(`pg_ctl stop failed: ${stopped.output}`);
    },
    async destroy() {
      pgCommand('pg_ctl', ['-D', dir, '-m', 'immediate', '-w', 'stop']);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}
