// Resampling a series to a coarser timeframe (5m → 1h, 1d → 1w), with the same bucket rules the kernel's
// live aggregation uses, so a backtest on resampled bars sees exactly the bars a live session would.

import { Pi5Error } from '../core/errors.js';
import { allocateSeries, barAt, truncateSeries, type BarSeries } from '../model/barSeries.js';
import { parseTimeframe } from '../model/timeframe.js';
import { BarAggregator } from '../model/barAggregator.js';

export function resampleSeries(s: BarSeries, timeframe: string): BarSeries {
  if (timeframe === s.timeframe) return s;
  const target = parseTimeframe(timeframe);
  const base = parseTimeframe(s.timeframe);
  if (!target || !base) throw new Pi5Error('PI5_ERR_BAD_USAGE', `cannot resample ${s.symbol} from ${s.timeframe} to ${timeframe}: unknown timeframe`);
  if (target.ms <= base.ms) {
    throw new Pi5Error('PI5_ERR_BAD_USAGE', `cannot resample ${s.symbol} from ${s.timeframe} to ${timeframe}: only coarser timeframes can be built from bars`);
  }
  const out = allocateSeries(s.symbol, timeframe, s.length, s.priceDecimals);
  let n = 0;
  const agg = new BarAggregator(s.symbol, target, base.ms, (bar) => {
    out.ts[n] = bar.ts;
    out.open[n] = bar.open;
    out.high[n] = bar.high;
    out.low[n] = bar.low;
    out.close[n] = bar.close;
    out.volume[n] = bar.volume;
    n++;
  });
  for (let i = 0; i < s.length; i++) {
    agg.beforeBar(s.ts[i] as number);
    agg.add(barAt(s, i));
  }
  agg.flushOpen();
  return truncateSeries(out, n);
}
