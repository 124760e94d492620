import { defineConfig } from 'vitest/config';

// The docs site in real Chromium: run by `npm run test:docs`, after `docs:build` (the tests serve the built site).
export default defineConfig({
  test: {
    include: ['test/docs/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
