import fs from 'node:fs';

/*
 * A development `.env` (written by `npm run dev`): the commands load it before anything reads the
 * environment. Strapi loads it too, but only once Strapi is imported, and a command may read its
 * settings before that.
 */

/** The KEY=VALUE lines of an env file (empty when there is none). */
export function readEnvFile(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  if (!fs.existsSync(file)) return values;
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    const [, key, raw] = match;
    values[key] = raw.replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

/** Loads KEY=VALUE lines into process.env; variables already set in the environment win. */
export function loadEnvFile(file: string): void {
  for (const [key, value] of Object.entries(readEnvFile(file))) {
    if (process.env[key] === undefined) process.env[key] = value;
  }
}
