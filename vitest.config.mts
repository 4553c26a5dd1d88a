import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    // Each integration file boots its own Strapi (one per process: Strapi is a global singleton);
    // files run one after another so boots do not compete for the machine's two cores.
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
