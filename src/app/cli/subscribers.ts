/**
 * `npm run subscribers -- <command>`: the subscriber list in and out, from the command line.
 *   import <file.csv> [--dry-run] [--json] [--map field=Column,...] [--report <refused.csv>]
 *   export --out <file.csv> [--state S] [--locale nl|en] [--theme SLUG] [--json]
 * See subscribers-args.ts for the usage text. Wrong usage is refused before Strapi loads.
 * Exit codes: 0 done, 1 failed, 2 usage error.
 */
import { loadCommandStrapi } from '../load-strapi';
import { parseSubscribersArgs, SUBSCRIBERS_USAGE } from './subscribers-args';
import { runSubscribersCommand } from './subscribers-commands';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const parsed = parseSubscribersArgs(argv);
  if (!parsed.ok || parsed.value.command === 'help') {
    if (parsed.ok) console.log(SUBSCRIBERS_USAGE);
    else console.error(`subscribers: ${parsed.error}\n\n${SUBSCRIBERS_USAGE}`);
    return parsed.ok ? 0 : 2;
  }
  // Strapi logs to stdout, which carries the answer: only errors.
  const strapi = await loadCommandStrapi({ compile: false, logLevel: 'error' });
  try {
    return await runSubscribersCommand(strapi, argv, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      terminal: process.stderr.isTTY === true,
    });
  } finally {
    await strapi.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`subscribers failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
