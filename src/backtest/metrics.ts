// Backtest metrics exactly as ../shared/METRICS.md defines them (conventions in docs/metrics.md): the
// runner hands over the equity curve and closed trades, this turns them into the Metrics record.

import type { Metrics, MetricsInput } from './types.js';
import { NO_BENCHMARK, benchmarkStats } from '../core/stats/benchmark.js';
import { drawdownStats } from './metrics/drawdown.js';
import { returnMoments, returnStats } from './metrics/returns.js';
import { compensatedSum } from '../core/stats/numeric.js';
import { tradeStats } from './metrics/trades.js';
import { checkMetricsInput } from './metrics/validate.js';
import { historicalVar } from './metrics/var.js';

export { monthlyReturns } from './metrics/monthly.js';
export { quantileLinear } from '../core/stats/numeric.js';

/** Share of the N bars whose position at the close was non-zero; 0 without bars. */
function exposureOf(inMarket: Uint8Array): number {
  const n = inMarket.length;
  if (n === 0) return 0;
  let held = 0;
  for (let i = 0; i < n; i++) if (inMarket[i] !== 0) held++;
  return held / n;
}

/**
 * Every metric of METRICS.md from one run, in a handful of passes over the equity curve and without
 * allocating per bar. Throws PI5_ERR_INTERNAL when the input's arrays disagree in length. Equity is
 * assumed positive throughout: a return after a non-positive equity is not defined.
 */
export function computeMetrics(input: MetricsInput): Metrics {
  checkMetricsInput(input);
  const { times, equity, periodsPerYear } = input;
  const startEquity = equity[0] as number;
  const finalEquity = equity[equity.length - 1] as number;
  const moments = returnMoments(equity, input.riskFreeRate / periodsPerYear);
  const returns = returnStats(moments, equity, times, periodsPerYear, input.riskFreeRate);
  const drawdown = drawdownStats(equity, times);
  const relative =
    input.benchmark === undefined ? NO_BENCHMARK : benchmarkStats(equity, input.benchmark, periodsPerYear);
  const meanEquity = compensatedSum(equity) / equity.length;
  return {
    startEquity,
    finalEquity,
    netProfit: finalEquity - startEquity,
    ...returns,
    maxDrawdown: drawdown.maxDrawdown,
    maxDrawdownDuration: drawdown.maxDrawdownDuration,
    maxDrawdownDays: drawdown.maxDrawdownDays,
    calmar: drawdown.maxDrawdown === 0 ? null : returns.cagr / drawdown.maxDrawdown,
    ...historicalVar(equity, moments),
    ...relative,
    ...tradeStats(input.trades),
    exposure: exposureOf(input.inMarket),
    turnover: meanEquity === 0 ? 0 : input.tradedNotional / meanEquity,
    commissions: input.commissions,
    slippage: input.slippage,
    bars: times.length,
    periodsPerYear,
  };
}
