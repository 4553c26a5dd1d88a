/**
 * `npm run subscribers -- <command>`: the subscriber list in and out, from the command line.
 *   import <file.csv> [--dry-run] [--json] [--map field=Column,...] [--report <refused.csv>]
 *   export --out <file.csv> [--state S] [--locale nl|en] [--theme SLUG] [--json]
 * See subscribers-args.ts for the usage text. Wrong usage is refused before Strapi loads.
 * Exit codes: 0 done, 1 failed, 2 usage error.
 */
import { exitWith, PROCESS_OUTPUT, withCommandStrapi } from './command-line';
import { parseSubscribersArgs, SUBSCRIBERS_USAGE } from './subscribers-args';
import { runSubscribersCommand } from './subscribers-commands';

exitWith('subscribers', async () => {
  const argv = process.argv.slice(2);
  const parsed = parseSubscribersArgs(argv);
  if (!parsed.ok || parsed.value.command === 'help') {
    if (parsed.ok) console.log(SUBSCRIBERS_USAGE);
    else console.error(`subscribers: ${parsed.error}\n\n${SUBSCRIBERS_USAGE}`);
    return parsed.ok ? 0 : 2;
  }
  return withCommandStrapi((strapi) => runSubscribersCommand(strapi, argv, PROCESS_OUTPUT), { compile: false });
});
