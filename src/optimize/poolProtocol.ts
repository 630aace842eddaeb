// What the optimizer's main thread and its trial workers say to each other. Everything here survives
// structured cloning; the bars travel as SharedArrayBuffers, so no worker copies them. Trials go in chunks and
// come back packed (one transferred Float64Array of metrics per chunk): cloning each trial's metrics object
// cost the worker and the main thread ~20 µs a trial each, a tenth of a cheap trial.

import type { Metrics } from '../backtest/types.js';
import type { TradingSpecTexts } from '../engine/specs.js';
import type { BarReturns } from './barReturns.js';
import type { TrialBase } from './trial.js';
import type { ParamPoint } from './space.js';
import type { SharedSeries } from './sharedSeries.js';

/** A trial base without what cannot cross a thread: the strategy goes by id or path, the bars shared. */
export type PortableBase = Omit<TrialBase, 'series' | 'strategy' | 'log' | 'benchmark' | 'riskStore' | 'size' | 'commission' | 'slippage'>;

export interface PoolSetup {
  readonly strategy: string;
  readonly series: readonly SharedSeries[];
  readonly base: PortableBase;
  /** Size, commission and slippage as their spec text: parsed specs hold functions, which a worker cannot receive. */
  readonly specs: TradingSpecTexts;
  readonly fixed: ParamPoint;
}

/** Half-open [from, to) in epoch ms: a walk-forward window's in-sample span, cut out of the shared bars. */
export interface BarCut {
  readonly from: number;
  readonly to: number;
}

export interface TrialRequest {
  readonly id: number;
  readonly point: ParamPoint;
}

export interface TrialReply {
  readonly id: number;
  readonly point: ParamPoint;
  readonly params: ParamPoint;
  readonly metrics: Metrics;
}

/** A chunk of trials for one worker. */
export interface ChunkRequest {
  readonly points: readonly ParamPoint[];
  /** Run on these bars only (the worker cuts the shared series as the main thread's walk-forward does). */
  readonly cut?: BarCut;
  /** Answer with the bar returns of the (single) point instead of metrics: the diagnostics' replays. */
  readonly returns?: true;
}

/**
 * A chunk's results, in its order: trial k's metric `keys[i]` is `values[k * keys.length + i]`, or null where
 * `nulls` holds 1 at that index (a NaN is a NaN, not a null).
 */
export interface PackedTrials {
  readonly params: readonly ParamPoint[];
  readonly keys: readonly string[];
  readonly values: Float64Array;
  readonly nulls: Uint8Array;
}

export type WorkerReply =
  | { readonly kind: 'ready' }
  | ({ readonly kind: 'done' } & PackedTrials)
  | ({ readonly kind: 'returns' } & BarReturns)
  | { readonly kind: 'failed'; readonly code: string; readonly message: string };

/** Packs metrics objects that share one key order (they all come from computeMetrics). */
export function packMetrics(params: readonly ParamPoint[], metrics: readonly Metrics[]): PackedTrials {
  const keys = metrics[0] === undefined ? [] : Object.keys(metrics[0]);
  const values = new Float64Array(keys.length * metrics.length);
  const nulls = new Uint8Array(values.length);
  metrics.forEach((m, k) => {
    const row = m as unknown as Readonly<Record<string, number | null>>;
    keys.forEach((key, i) => {
      const v = row[key];
      if (v === undefined) throw new Error(`metrics of trial ${k} lack ${key}`);
      if (v === null) nulls[k * keys.length + i] = 1;
      else values[k * keys.length + i] = v;
    });
  });
  return { params, keys, values, nulls };
}

/** The metrics objects back, keys in the worker's order (so JSON of a pooled trial equals one thread's). */
export function unpackMetrics(p: PackedTrials): Metrics[] {
  const n = p.keys.length;
  return p.params.map((_, k) => {
    const m: Record<string, number | null> = {};
    for (let i = 0; i < n; i++) m[p.keys[i] as string] = p.nulls[k * n + i] === 1 ? null : (p.values[k * n + i] as number);
    return m as unknown as Metrics;
  });
}
