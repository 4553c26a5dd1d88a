/**
 * `npm run seed`: loads the demo content (idempotent). `--if-empty` seeds only a database without
 * themes or articles, so that editors' deletions are not undone at every `npm run dev`.
 */
import { demoAccountsFromEnv, ensureDemoAccounts } from '../database/seed/demo-accounts';
import { seedDemoContent } from '../database/seed/seed';
import { loadStrapi } from './lib/strapi-app';

async function main(): Promise<void> {
  const ifEmpty = process.argv.includes('--if-empty');
  const strapi = await loadStrapi({ logLevel: 'warn' });
  try {
    if (ifEmpty) {
      const existing = (await strapi.db.query('api::theme.theme').count()) + (await strapi.db.query('api::article.article').count());
      if (existing > 0) {
        // The demo accounts still: a database made before an account (or its role) existed gets it.
        await ensureDemoAccounts(strapi, demoAccountsFromEnv(process.env), (line) => console.log(`seed: ${line}`));
        console.log('seed: the database already has content; left as it is.');
        return;
      }
    }
    const report = await seedDemoContent(strapi, { log: (line) => console.log(`seed: ${line}`), accounts: demoAccountsFromEnv(process.env) });
    const total = Object.values(report.created).reduce((sum, n) => sum + n, 0);
    console.log(total === 0 ? 'seed: everything was already there; nothing changed.' : `seed: created ${JSON.stringify(report.created)}`);
  } finally {
    await strapi.destroy();
  }
}

main().catch((error) => {
  console.error(`seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
