/**
 * The end-to-end suite: `vitest run --config test/e2e/vitest.config.ts` (npm run test:e2e).
 * One worker process; the combinations run as concurrent tests, 2 at a time (2 cores), each a
 * chain of real subprocesses. Long timeouts: a combination installs, lints, migrates, serves.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/e2e/combinations.test.ts', 'test/e2e/**/*.e2e.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    maxConcurrency: Number(process.env.E2E_CONCURRENCY ?? 2),
    testTimeout: 30 * 60_000,
    hookTimeout: 10 * 60_000,
    teardownTimeout: 60_000,
    reporters: ['default', './test/e2e/summary-reporter.ts'],
    passWithNoTests: false,
  },
});
