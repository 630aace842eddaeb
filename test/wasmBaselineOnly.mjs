// Preloaded into every Node process of a test run (vitest.config.ts puts it in NODE_OPTIONS, so test workers and
// every `pi5` child inherit it): PGlite's WebAssembly runs on V8's baseline compiler (Liftoff) only, without the
// optimizing tier-up. A test opens dozens of short-lived embedded databases; re-optimizing PGlite's hot functions
// in each costs more CPU than it saves (`pi5 user list` on an existing data dir: ~1.5 → ~0.7 s CPU, 250 → 170 MB).
// Same code, same results: only how V8 compiles the WebAssembly differs (docs/benchmarks.md, `npm test` time).
// Not a Node option allowed in NODE_OPTIONS itself, hence this file. PI5_TEST_WASM_TIERUP=1 leaves V8's default.
import { setFlagsFromString } from 'node:v8';

if (process.env.PI5_TEST_WASM_TIERUP !== '1') setFlagsFromString('--liftoff-only');
