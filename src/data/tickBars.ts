// Ticks → bars in memory: UTC buckets of the timeframe (src/model/timeframe.ts rules), open of the first
// trade, max/min price, close of the last, size summed in time order. The store's SQL aggregation
// (persistence/tickStore.ts) is tested equal to this one, bit for bit.

import { Pi5Error } from '../core/errors.js';
import { allocateSeries, truncateSeries, type BarSeries } from '../model/barSeries.js';
import { bucketStart, parseTimeframe } from '../model/timeframe.js';
import { tickSequence, type TickSeries } from '../model/tickSeries.js';

/** Tick indexes in (time, seq) order: the order the store keeps and aggregates them in. */
function timeOrder(t: TickSeries): Uint32Array {
  const seq = tickSequence(t);
  const idx = new Uint32Array(t.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  let sorted = true;
  for (let i = 1; i < t.length && sorted; i++) sorted = (t.tsUs[i] as number) >= (t.tsUs[i - 1] as number);
  if (sorted) return idx;
  return idx.sort((a, b) => (t.tsUs[a] as number) - (t.tsUs[b] as number) || (seq[a] as number) - (seq[b] as number));
}

export function aggregateTicks(t: TickSeries, timeframe: string): BarSeries {
  const tf = parseTimeframe(timeframe);
  if (tf === null) throw new Pi5Error('PI5_ERR_BAD_USAGE', `timeframe ${JSON.stringify(timeframe)} is not a timeframe (e.g. 1m, 1h, 1d)`);
  const out = allocateSeries(t.symbol, timeframe, t.length, t.priceDecimals);
  let n = -1;
  let bucket = Number.NaN;
  for (const i of timeOrder(t)) {
    const price = t.price[i] as number;
    const size = t.size[i] as number;
    // Whole ms decide the bucket: every bucket boundary is a whole ms.
    const b = bucketStart(tf, Math.floor((t.tsUs[i] as number) / 1000));
    if (b !== bucket) {
      bucket = b;
      n++;
      out.ts[n] = b;
      out.open[n] = price;
      out.high[n] = price;
      out.low[n] = price;
      out.volume[n] = size;
    } else {
      if (price > (out.high[n] as number)) out.high[n] = price;
      if (price < (out.low[n] as number)) out.low[n] = price;
      out.volume[n] = (out.volume[n] as number) + size;
    }
    out.close[n] = price;
  }
  return truncateSeries(out, n + 1);
}
