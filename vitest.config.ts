import { defineConfig } from 'vitest/config';

// PGlite's WebAssembly runs on V8's baseline tier in every process that opens it (openPglite sets the flag):
// tests, which open dozens of short-lived embedded databases, gain most from it.

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Safety budgets only, no assertion on speed: at load 25–30 on 2 cores, a test that opens two or three embedded
    // databases took over 60 s of wall time while using a few CPU seconds (docs/benchmarks.md, `npm test` time).
    testTimeout: 240_000,
    hookTimeout: 240_000,
    pool: 'forks',
    // Two test files at a time even on 2 cores (vitest's default there is one): most files wait on child
    // processes, servers and databases, and no assertion depends on speed (injected clocks, work counts).
    maxWorkers: 2,
    setupFiles: ['./test/fastCheckSetup.ts', './test/cpuLogSetup.ts'],
    reporters: ['default', './test/summaryReporter.ts'],
  },
});
