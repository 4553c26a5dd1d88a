import os from 'node:os';
import { defineConfig } from 'vitest/config';

// Strapi reads a .env file when it loads (dotenv, at ENV_PATH or ./.env), in the test processes and
// in the workers they start: a developer's .env (npm run dev writes one) would change what the tests
// run against. Pointing ENV_PATH at an empty file keeps the tests on the environment they set.
process.env.ENV_PATH = os.devNull;

/**
 * Files that must own their process or boot the CMS with settings it only reads while booting; each
 * runs in a fresh process with a CMS of its own. Every other integration file shares one CMS
 * (tests/support/harness.ts).
 */
const apart = [
  // Kill and crash workers and CMSs, run the production boot checks.
  'tests/integration/accepted-work-survives.test.ts',
  // Starts and stops `npm run dev` (its own CMS and worker processes).
  'tests/integration/dev-stop.test.ts',
  // Boot older databases, several times each.
  'tests/integration/edition-items-migration.test.ts',
  'tests/integration/sending-migration.test.ts',
  'tests/integration/state-migration.test.ts',
  // A fixed PORT and empty PUBLIC_URL / CORS_ORIGINS, read when the CMS boots.
  'tests/integration/edge-hardening.test.ts',
  // Boots again with Redis unreachable.
  'tests/integration/sendgrid-webhook.test.ts',
  // Boots three times with different proxy settings and limits.
  'tests/integration/admin-login-limit.test.ts',
  // MAIL_FROM and the stand-in for Strapi's own mail (admin password reset), read when the CMS boots.
  'tests/integration/outgoing-mail.test.ts',
  // The SendGrid webhook's key (SENDGRID_WEBHOOK_PUBLIC_KEY), read when the CMS boots.
  'tests/integration/delivery-feedback-e2e.test.ts',
  'tests/integration/delivery-statistics-browser.test.ts',
];

/**
 * Test processes side by side: one per core, at most two (each runs a CMS, and a file may add
 * workers and a browser). TEST_PROCESSES overrides it (1: every file one after another).
 */
const processes = Number(process.env.TEST_PROCESSES) || Math.max(1, Math.min(2, os.availableParallelism()));

const common = {
  exclude: ['node_modules/**', 'dist/**'],
  pool: 'forks' as const,
  // Integration files share nothing across processes (each its own CMS, database, Redis prefix and
  // stand-in), so the processes take files side by side; the same count for every project of a group.
  maxWorkers: processes,
  // Bounds against a hang, not expectations of speed: a test that starts several worker or CLI
  // processes (each loads Strapi) on a busy machine must get slower, not fail.
  testTimeout: 300_000,
  hookTimeout: 300_000,
};

export default defineConfig({
  test: {
    ...common,
    // Once per run (not per project): compile the app, admin build, Redis, the shared database.
    globalSetup: ['tests/support/global-setup.ts'],
    // The slowest files, listed after the summary.
    reporters: ['default', './tests/support/slowest-files-reporter.ts'],
    projects: [
      {
        // No CMS: one process for all of them (they keep no state between files).
        test: { ...common, name: 'unit', include: ['tests/unit/**/*.test.ts'], isolate: false, sequence: { groupOrder: 1 } },
      },
      {
        // One booted CMS per test process for all the files that process takes; each file starts
        // from the state right after the boot (tests/support/harness.ts). Runs beside `apart`.
        test: {
          ...common,
          name: 'shared',
          include: ['tests/integration/**/*.test.ts'],
          exclude: [...common.exclude, ...apart],
          isolate: false,
          provide: { sharedCms: true },
          sequence: { groupOrder: 2 },
        },
      },
      {
        // A process per file, each booting what it needs.
        test: { ...common, name: 'apart', include: apart, isolate: true, provide: { sharedCms: false }, sequence: { groupOrder: 2 } },
      },
    ],
  },
});
