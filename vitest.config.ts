import { defineConfig } from 'vitest/config';

// PGlite's WebAssembly runs on V8's baseline tier in every process that opens it (openPglite sets the flag):
// tests, which open dozens of short-lived embedded databases, gain most from it.

export default defineConfig({
  test: {
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
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/static/**/*.test.ts', 'test/conformance/**/*.test.ts'],
          // In-memory files that leave no state behind (no module mocks, no process.env or working-folder
          // changes): they share their worker process and its loaded modules instead of starting one per file.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // These files share their worker process too: each stops what it started (servers, databases, child
          // processes) and restores any environment variable it sets, so only the loaded modules carry over,
          // which saves importing the server's module graph once per file (~0.5 CPU-s each).
          isolate: false,
        },
      },
      {
        extends: true,
        // Browser files share one Chromium and one new embedded database to copy, made once here
        // (test/browserSetup.ts), and their worker's loaded modules as the integration files do (each file stops its
        // server and closes its contexts): the server's module graph is imported once per worker, not once per file.
        test: { name: 'browser', include: ['test/browser/**/*.test.ts'], globalSetup: ['./test/browserSetup.ts'], isolate: false },
      },
    ],
  },
});
