// V8 doubles a thread's young generation whenever a scavenge finds many survivors, up to 2 × 16 MiB, and never
// gives it back. A server's start (module bodies, route tables, the session's warm-up) is such a burst: it left the
// idle server holding ~30 MiB of empty nursery (docs/benchmarks.md, "Server footprint"). Holding the growth
// factor at 1 while starting keeps the nursery at its initial 2 × 1 MiB; growth is allowed again once the
// server listens, so sustained API load can still grow it. This changes a V8 flag at run time: the factor is read
// each time V8 considers growing, and 2 is V8's default (NODE_OPTIONS=--semi-space-growth-factor=N is not kept).

import { setFlagsFromString } from 'node:v8';

const V8_DEFAULT_GROWTH = 2;

/** Stops the young generation from growing until `releaseNursery()`. */
export function holdNursery(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

export function releaseNursery(): void {
  setFlagsFromString(`--semi-space-growth-factor=${V8_DEFAULT_GROWTH}`);
}
