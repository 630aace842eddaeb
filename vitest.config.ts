import { defineConfig } from 'vitest/config';

// PGlite's WebAssembly runs on V8's baseline tier in every process that opens it (openPglite sets the flag):
// tests, which open dozens of short-lived embedded databases, gain most from it.

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two test files at a time even on 2 cores (vitest's default there is one): most files wait on child
    // processes, servers and databases, and no assertion depends on speed (injected clocks, work counts).
    maxWorkers: 2,
    setupFiles: ['./test/fastCheckSetup.ts', './test/cpuLogSetup.ts'],
    reporters: ['default', './test/summaryReporter.ts'],
  },
});
