// Micro-benchmark of the indicator hot path: SMA(30) updates per second against a naive window recomputation
// (slice + reduce), both measured in this process so the ratio is machine-independent.

import { SeededRng } from '../src/core/rng.js';
import { SMA } from '../src/indicators/index.js';
import type { BenchRecord } from './measure.js';


const PERIOD = 30;
const POINTS = 1_000_000;
// The naive baseline is O(period) with an allocation per point, so it runs on fewer points and is normalised.
const BASELINE_POINTS = 100_000;
const ROUNDS = 3;

// Written to after every run so the optimiser cannot drop the work.
let _sink = 0;

function randomWalk(n: number, seed: number): Float64Array {
  const rng = new SeededRng(seed);
  const out = new Float64Array(n);
  let cents = 10_000;
  for (let i = 0; i < n; i++) {
    cents = Math.max(1, cents + rng.int(-25, 25));
    out[i] = cents / 100;
  }
  return out;
}

function smaRate(xs: Float64Array): number {
  const sma = new SMA(PERIOD);
  let acc = 0;
  const t0 = performance.now();
  for (let i = 0; i < xs.length; i++) {
    const v = sma.update(xs[i]!);
    if (v === v) acc += v;
  }
  const seconds = (performance.now() - t0) / 1000;
  _sink += acc;
  return xs.length / seconds;
}

function naiveRate(xs: readonly number[]): number {
  let acc = 0;
  const t0 = performance.now();
  for (let i = PERIOD - 1; i < xs.length; i++) {
    const window = xs.slice(i + 1 - PERIOD, i + 1);
    acc += window.reduce((a, b) => a + b, 0) / PERIOD;
  }
  const seconds = (performance.now() - t0) / 1000;
  _sink += acc;
  return xs.length / seconds;
}

/** Best of a few rounds after a warm-up, for each side. */
export async function benchIndicators(): Promise<BenchRecord[]> {
  const xs = randomWalk(POINTS, 42);
  const baselineXs = Array.from(xs.subarray(0, BASELINE_POINTS));
  smaRate(xs.subarray(0, 50_000));
  naiveRate(baselineXs.slice(0, 5_000));
  let value = 0;
  let baseline = 0;
  for (let r = 0; r < ROUNDS; r++) {
    value = Math.max(value, smaRate(xs));
    baseline = Math.max(baseline, naiveRate(baselineXs));
    // Yield between rounds so a caller's event loop (progress output, timers) is not starved.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return [{ name: `indicators.sma${PERIOD}`, value, unit: 'updates/s', baseline, ratio: value / baseline, note: 'baseline: slice + reduce over the window' }];
}
