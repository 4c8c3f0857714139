import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Forks isolate the native addon and Piscina pools of one file from another.
    pool: 'forks',
    // Hundreds of pools start and end here under heavy load: worker threads compile on their own
    // thread, or a Node 20 teardown race can abort a fork (src/util/worker-compiles.ts).
    env: { MIXTAPE_WORKER_COMPILES: 'own-thread' },
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // The JSON report lets CI print a plain "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-output/vitest.json' },
  },
});
