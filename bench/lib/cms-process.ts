import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const APP_ROOT = path.resolve(__dirname, '..', '..');

/**
 * `npm start` exactly (package.json: node, its heap cap, Strapi's CLI, `start`), with node itself as
 * the process so that its memory is the CMS's; extra node arguments come after, so they win.
 */
function npmStartArgs(): string[] {
  const start = (JSON.parse(fs.readFileSync(path.join(APP_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  if (start[0] !== 'node' || start[start.length - 1] !== 'start')
    throw new Error(`package.json's start script is not "node ... <strapi cli> start": ${start.join(' ')}`);
  return start.slice(1).map((arg) => (arg.startsWith('node_modules/') ? path.join(APP_ROOT, arg) : arg));
}

export interface CmsProcess {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/**
 * The CMS as production runs it (`npm start`'s command, NODE_ENV=production) in a process of its
 * own on 127.0.0.1:`port`; resolves once `/_health` answers (the app compiled beforehand: compileOnce).
 */
export async function startCms(env: Record<string, string>, port: number, nodeArgs: string[] = []): Promise<CmsProcess> {
  const startArgs = npmStartArgs();
  const child = spawn(process.execPath, [...startArgs.slice(0, -2), ...nodeArgs, ...startArgs.slice(-2)], {
    cwd: APP_ROOT,
    env: { ...process.env, ...env, NODE_ENV: 'production', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the CMS exited (${child.exitCode}) before answering`);
    try {
      if ((await fetch(`${url}/_health`)).status === 204) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error('the CMS did not answer /_health within 120 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    child,
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
