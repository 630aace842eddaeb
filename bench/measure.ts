// Shared benchmark plumbing: timing the best of several runs, and the result record every bench returns.

export interface BenchRecord {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The same quantity for a simple reference measured in the same run. */
  readonly baseline: number;
  readonly ratio: number;
  readonly command?: string;
  readonly note?: string;
}

/** Best (shortest) wall time in ms of `runs` calls, after one warm-up call. */
export function bestMs(runs: number, fn: () => void): number {
  fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** A higher-is-better figure (rates): ratio = value / baseline. */
export function rate(name: string, value: number, baseline: number, unit: string, note?: string): BenchRecord {
  return { name, value, unit, baseline, ratio: value / baseline, ...(note ? { note } : {}) };
}

/** A lower-is-better figure (times, bytes): ratio = baseline / value, so > 1 still means better. */
export function cost(name: string, value: number, baseline: number, unit: string, note?: string): BenchRecord {
  return { name, value, unit, baseline, ratio: baseline / value, ...(note ? { note } : {}) };
}

export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}
