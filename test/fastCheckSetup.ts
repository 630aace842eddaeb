// Property tests draw a fresh seed on every run (fast-check's default), so repeated runs explore new cases; a
// failure's message prints `{ seed: N, path: "…" }`. FC_SEED=N (with FC_PATH="…" to go straight to the shrunk
// case) replays it: `FC_SEED=N npx vitest run <file> -t "<test name>"` (README, Development).

import fc from 'fast-check';

const seed = process.env.FC_SEED;
if (seed !== undefined && seed !== '') {
  const path = process.env.FC_PATH;
  fc.configureGlobal({ seed: Number(seed), ...(path === undefined || path === '' ? {} : { path }) });
}
