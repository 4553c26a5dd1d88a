import { spawn } from 'node:child_process';
import path from 'node:path';
import { trackChild } from './children';

const SCRIPT = path.resolve(__dirname, '..', '..', 'src', 'app', 'cli', 'mailings.ts');

/** Runs `npm run newsletter -- <args>` (src/app/cli/mailings.ts) as a child process with the test's environment. */
export function newsletterCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = trackChild(spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { env: { ...process.env, ...env } }));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The last line of a `--json` run: the command's answer (progress lines come before it). */
export function lastJson(stdout: string): any {
  return JSON.parse(stdout.trim().split('\n').pop()!);
}
