import { defineConfig } from 'vitest/config';

// Fast tests: unit (core, milliseconds) then generator (yeoman-test, the compiled lib/).
// The end-to-end suite has its own config: test/e2e/vitest.config.ts.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'core/**/*.spec.ts', 'test/kubernetes/**/*.test.ts', 'test/generator/**/*.test.ts', 'test/subgenerators/**/*.test.ts', 'test/update/**/*.test.ts', 'test/create/**/*.test.ts', 'test/e2e/combinations.test.ts', 'test/e2e/support/*.test.ts', 'test/interactive/**/*.test.ts'],
    sequence: { concurrent: false },
    testTimeout: 30_000,
    // ejs goes through vitest's module graph, so the core purity test's `fs` mock reaches its own `fs` import.
    server: { deps: { inline: ['ejs'] } },
  },
});
