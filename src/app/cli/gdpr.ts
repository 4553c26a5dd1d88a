/**
 * `npm run gdpr -- <command>`: GDPR requests about newsletter subscribers, from the command line.
 *
 *   export --email a@example.org [--out file.json]   everything we hold on that person (stdout or file)
 *   erase  --email a@example.org --yes               erases the person everywhere (refuses without --yes)
 *   purge  [--dry-run]                               erases expired pending and unsubscribed subscribers
 *
 * Exit codes: 0 done, 1 not found or failed, 2 usage error.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { GDPR_USAGE, parseGdprArgs, type GdprCommand, type SubscriberRefArg } from './gdpr-args';
import { RetentionConfigError, retentionSettingsFromEnv } from '../../core/retention';
import { eraseSubscriber } from '../../gdpr/erase';
import { exportSubscriberData } from '../../gdpr/export';
import { purgeExpiredSubscribers } from '../../gdpr/purge';
import { exitWith, withCommandStrapi } from './command-line';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

function describe(ref: SubscriberRefArg): string {
  return 'email' in ref ? `email ${ref.email.trim().toLowerCase()}` : `document id ${ref.documentId}`;
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseGdprArgs(argv);
  if (!parsed.ok) {
    console.error(`gdpr: ${parsed.error}\n\n${GDPR_USAGE}`);
    return EXIT_USAGE;
  }
  const command = parsed.value;
  if (command.command === 'help') {
    console.log(GDPR_USAGE);
    return EXIT_OK;
  }
  if (command.command === 'erase' && !command.yes) {
    console.error(`gdpr: erase deletes the subscriber with ${describe(command.ref)} permanently; add --yes to confirm.`);
    return EXIT_USAGE;
  }
  // Read the retention settings before loading Strapi, so a bad value fails fast.
  let retention: ReturnType<typeof retentionSettingsFromEnv> | undefined;
  if (command.command === 'purge') {
    try {
      retention = retentionSettingsFromEnv(process.env);
    } catch (error) {
      if (error instanceof RetentionConfigError) {
        console.error(`gdpr: ${error.message}`);
        return EXIT_USAGE;
      }
      throw error;
    }
  }

  return withCommandStrapi((strapi) => runGdprCommand(strapi, command, retention));
}

async function runGdprCommand(
  strapi: Core.Strapi,
  command: Exclude<GdprCommand, { command: 'help' }>,
  retention: ReturnType<typeof retentionSettingsFromEnv> | undefined,
): Promise<number> {
  switch (command.command) {
    case 'export': {
      const data = await exportSubscriberData(strapi, command.ref);
      if (!data) {
        console.error(`gdpr: no subscriber with ${describe(command.ref)}.`);
        return EXIT_FAILED;
      }
      const json = `${JSON.stringify(data, null, 2)}\n`;
      if (command.out) {
        const file = path.resolve(command.out);
        // The export holds personal data: readable by the owner only.
        fs.writeFileSync(file, json, { mode: 0o600 });
        console.error(`gdpr: exported subscriber ${data.subscriber.documentId} (${data.deliveries.length} deliveries) to ${file}`);
      } else {
        process.stdout.write(json);
      }
      return EXIT_OK;
    }
    case 'erase': {
      const result = await eraseSubscriber(strapi, command.ref);
      if (!result.erased) {
        console.error(`gdpr: no subscriber with ${describe(command.ref)}; nothing erased.`);
        return EXIT_FAILED;
      }
      const { subscribers, consentRecords, deliveries } = result.removed;
      console.log(
        `gdpr: erased subscriber with ${describe(command.ref)}: ${subscribers} subscriber record(s), ${consentRecords} consent record(s), ${deliveries} delivery record(s).`,
      );
      return EXIT_OK;
    }
    case 'purge': {
      const settings = retention!;
      const result = await purgeExpiredSubscribers(strapi, { ...settings, dryRun: command.dryRun });
      const rules = `pending created before ${result.cutoffs.pendingCreatedBefore} (${settings.pendingMaxAgeDays} days), unsubscribed before ${result.cutoffs.unsubscribedBefore} (${settings.unsubscribedRetentionDays} days)`;
      if (result.dryRun) {
        console.log(`gdpr: dry run, nothing erased. Would erase ${result.pending} pending and ${result.unsubscribed} unsubscribed subscriber(s): ${rules}.`);
      } else {
        const { subscribers, consentRecords, deliveries } = result.removed;
        console.log(
          `gdpr: erased ${result.pending} pending and ${result.unsubscribed} unsubscribed subscriber(s) (${rules}); removed ${subscribers} subscriber, ${consentRecords} consent and ${deliveries} delivery record(s).`,
        );
      }
      return EXIT_OK;
    }
  }
}

exitWith('gdpr', () => main(process.argv.slice(2)));
