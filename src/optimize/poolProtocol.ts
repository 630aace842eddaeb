// What the optimizer's main thread and its trial workers say to each other. Everything here survives
// structured cloning; the bars travel as SharedArrayBuffers, so no worker copies them.

import type { Metrics } from '../backtest/types.js';
import type { TradingSpecTexts } from '../engine/specs.js';
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
  /** Run on these bars only (the worker cuts the shared series as the main thread's walk-forward does). */
  readonly cut?: BarCut;
}

export interface TrialReply {
  readonly id: number;
  readonly point: ParamPoint;
  readonly params: ParamPoint;
  readonly metrics: Metrics;
}

export type WorkerReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'done'; readonly trials: readonly TrialReply[] }
  | { readonly kind: 'failed'; readonly code: string; readonly message: string };
