import type { Core } from '@strapi/strapi';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { runMailingsCommand } from '../../src/app/cli/mailings-commands';
import { trackChild } from './children';

const SCRIPT = path.resolve(__dirname, '..', '..', 'src', 'app', 'cli', 'mailings.ts');

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run newsletter -- <args>` (src/app/cli/mailings.ts) as a child process with the test's
 * environment: the whole command, its own Strapi included. A child loads Strapi for several
 * seconds, so files use it where the process itself is what they test, and `mailingsCommand` for
 * what the commands do.
 */
export function newsletterCli(args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = trackChild(spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { env: { ...process.env, ...env } }));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The same command run against the test's own CMS (what the entry runs once it has loaded Strapi): the same output and exit code. */
export async function mailingsCommand(strapi: Core.Strapi, args: string[]): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const code = await runMailingsCommand(strapi, args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), terminal: false });
  return { code, stdout, stderr };
}

/** The last line of a `--json` run: the command's answer (progress lines come before it). */
export function lastJson(stdout: string): any {
  return JSON.parse(stdout.trim().split('\n').pop()!);
}
