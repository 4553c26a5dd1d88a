/**
 * What the three command lines (`npm run mailings`, `npm run subscribers`, `npm run gdpr`) share
 * around their own work: Strapi loaded for the command and destroyed after it, the process's
 * output as the commands' output, and the exit with the command's code (an unexpected failure: one
 * line on stderr, exit 1). Exit codes: 0 done, 1 failed, 2 wrong usage.
 */
import type { Core } from '@strapi/strapi';
import { loadCommandStrapi } from '../load-strapi';
import type { CommandOutput } from './mailings-commands';

/** stdout carries the answers (JSON with --json), stderr progress and reasons. */
export const PROCESS_OUTPUT: CommandOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  terminal: process.stderr.isTTY === true,
};

/**
 * Runs `command` against a Strapi loaded for it, then destroys Strapi. Strapi logs only errors:
 * its log goes to stdout, which carries the answer. `compile: false` runs the compiled app in `dist/`.
 */
export async function withCommandStrapi(command: (strapi: Core.Strapi) => Promise<number>, options: { compile?: boolean } = {}): Promise<number> {
  const strapi = await loadCommandStrapi({ ...options, logLevel: 'error' });
  try {
    return await command(strapi);
  } finally {
    await strapi.destroy();
  }
}

/** Runs the command line's main and exits with its code. */
export function exitWith(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
