// A checked run spec turned into the kernel's input, in one place for the backtest worker and the
// optimization worker, so an API optimization's trial is set up exactly as the API backtest of its parameters.

import { generateSyntheticBars } from '../../data/synthetic.js';
import type { BacktestInput } from '../../engine/backtestInput.js';
import { parseTradingSpecs } from '../../engine/specs.js';
import type { BarSeries } from '../../model/barSeries.js';
import type { BacktestSpec } from './backtestRequest.js';

const DEMO_START = Date.UTC(2015, 0, 1);

/** A stable seed per symbol, so the same demo request always sees the same bars. */
function seedOf(symbol: string): number {
  let h = 2166136261;
  for (let i = 0; i < symbol.length; i++) h = Math.imul(h ^ symbol.charCodeAt(i), 16777619);
  return h >>> 0;
}

function demoSeries(spec: BacktestSpec): BarSeries[] {
  return spec.symbols.map((symbol) =>
    generateSyntheticBars({ symbol, seed: seedOf(symbol), bars: spec.demoBars, timeframe: spec.timeframe, start: DEMO_START, startPrice: 20 + (seedOf(symbol) % 180) }),
  );
}

/** Everything of the kernel's input but the strategy, its parameters, the logger and progress. */
export type RunInput = Omit<BacktestInput, 'strategy' | 'params' | 'log' | 'onProgress'>;

/** `stored`: the bars read from the store on the main thread (source 'store'); demo bars are generated here. */
export function runInputOf(spec: BacktestSpec, stored: readonly BarSeries[] | null): RunInput {
  return {
    series: spec.source === 'demo' ? demoSeries(spec) : [...(stored ?? [])],
    cash: spec.cash,
    // The spec crossed the thread as text (as it is stored with the run): parsed here, at the worker's edge.
    ...parseTradingSpecs(spec),
    ...(spec.from === null ? {} : { from: spec.from }),
    ...(spec.to === null ? {} : { to: spec.to }),
    dataSources: [spec.source === 'demo' ? 'demo' : 'store'],
    adjustment: spec.adjust,
  };
}
