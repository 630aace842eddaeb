import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Every process of the run (test workers, `pi5` children, their worker threads) compiles PGlite's WebAssembly
// once, without re-optimizing it: test/wasmBaselineOnly.mjs says why.
const preload = `--import=${fileURLToPath(new URL('./test/wasmBaselineOnly.mjs', import.meta.url))}`;
if (!(process.env.NODE_OPTIONS ?? '').includes(preload)) process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} ${preload}`.trim();

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
