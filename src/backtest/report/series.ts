// The equity curve as the reports see it: one value per bar time, plus the underwater (drawdown) series.

import { Pi5Error } from '../../core/errors.js';
import type { BacktestResult } from '../types.js';

export interface EquitySeries {
  /** Bar times (epoch ms), length N. */
  readonly times: Float64Array;
  /** Equity at each bar's close, length N (a view, not a copy). */
  readonly equity: Float64Array;
  /** Equity before the first bar (E_0), the first peak of the drawdown. */
  readonly start: number;
}

/**
 * The runner may hand over E_0..E_N (N + 1 values, METRICS.md) or one value per bar time; E_0 has no
 * bar time of its own, so it is kept apart as `start` rather than invented a time.
 */
export function equitySeries(result: Pick<BacktestResult, 'times' | 'equity' | 'metrics'>): EquitySeries {
  const { times, equity } = result;
  const offset = equity.length - times.length;
  if (offset !== 0 && offset !== 1) {
    throw new Pi5Error(
      'PI5_ERR_INTERNAL',
      `backtest result: equity has ${equity.length} values for ${times.length} bar times (expected N or N + 1)`,
    );
  }
  const bars = equity.subarray(offset);
  const first = offset === 1 ? equity[0] : result.metrics.startEquity;
  const start = first !== undefined && Number.isFinite(first) ? first : (bars[0] ?? Number.NaN);
  return { times, equity: bars, start };
}

/** E_t / max(E_0..E_t) − 1 for each bar: 0 at a new high, negative under water. */
export function drawdownSeries(series: EquitySeries): Float64Array {
  const out = new Float64Array(series.equity.length);
  let peak = Number.isFinite(series.start) ? series.start : -Infinity;
  for (let i = 0; i < series.equity.length; i++) {
    const e = series.equity[i] ?? Number.NaN;
    if (!Number.isFinite(e)) {
      out[i] = Number.NaN;
      continue;
    }
    if (e > peak) peak = e;
    out[i] = peak > 0 ? e / peak - 1 : 0;
  }
  return out;
}
