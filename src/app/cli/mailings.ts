/**
 * `npm run mailings -- <command>` (also `npm run newsletter --`): editions and campaigns from the command line.
 *   list                                   every edition and campaign: kind, id, documentId, title, state, counts
 *   assemble [--now]                       assemble an edition now (--now: no review window, due at once)
 *   campaign create --title T --feature SLUG[,SLUG...] [--themes SLUG,...] [--locale nl|en] [--send-at ISO]
 *                                          a campaign (draft, or scheduled with --send-at); prints its id
 *   preview <mailing> --out <dir>          one HTML (+ text) file per variant
 *   send-test <mailing> --to <addr> [--locale nl|en]  send one variant to one address ([TEST] in the subject)
 *   send <mailing> [--at ISO] [--wait]     schedule (default: now); --wait shows progress and exits 0 only on a final state
 *   cancel <mailing>                       cancel: scheduled -> cancelled; sending -> no further batch, ends cancelled
 *   status <mailing>                       state and counts
 *   fake-subscribers --count N [--locale-mix] [--themes-random]
 * <mailing> is `--edition <id>` or `--campaign <id>`, the numeric id or the document id. Every
 * command takes --json for machine-readable output. Refusals (a send time in the past, an audience
 * without recipients, featured items that are drafts, no subject in a language with recipients, a
 * mailing already sent) exit 2 with the reason.
 */
import { exitWith, PROCESS_OUTPUT, withCommandStrapi } from './command-line';
import { checkUsage, runMailingsCommand, UsageError } from './mailings-commands';

exitWith('newsletter', async () => {
  const argv = process.argv.slice(2);
  try {
    checkUsage(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`usage: ${error.message}`);
    return 2;
  }
  return withCommandStrapi((strapi) => runMailingsCommand(strapi, argv, PROCESS_OUTPUT), { compile: false });
});
