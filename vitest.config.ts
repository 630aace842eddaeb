import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Every process of the run (test workers, `pi5` children, their worker threads) compiles PGlite's WebAssembly
// once, without re-optimizing it: test/wasmBaselineOnly.mjs says why.
const preload = `--import=${fileURLToPath(new URL('./test/wasmBaselineOnly.mjs', import.meta.url))}`;
if (!(process.env.NODE_OPTIONS ?? '').includes(preload)) process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} ${preload}`.trim();

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
