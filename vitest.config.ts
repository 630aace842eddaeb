import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two test files at a time even on 2 cores (vitest's default there is one): most files wait on child
    // processes, servers and databases, and no assertion depends on speed (injected clocks, work counts).
    maxWorkers: 2,
    setupFiles: ['./test/fastCheckSetup.ts'],
    reporters: ['default', './test/summaryReporter.ts'],
  },
});
